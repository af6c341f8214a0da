#!/usr/bin/env bash
# The launcher a learner types first (./jbang; jbang.cmd on Windows: ci-launcher-smoke.cmd):
# it finds Java, fetches JBang once through Maven, and the runner answers.
set -euo pipefail
cd "$(dirname "$0")/.."
./jbang workshop --help > /dev/null
./jbang workshop list | grep -q 'log1'
echo "launcher smoke test passed"
