#!/usr/bin/env bash
# CI job "verify": the default build, as a learner's machine without Docker runs it. Every test
# grades on the embedded stack (Kafka, Connect, PostgreSQL, Schema Registry in JVMs), whether or
# not a Docker engine answers (hosted Windows runners have one that runs no Linux images).
# Runs the same here: scripts/ci-verify.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify -Dworkshop.stack=embedded "$@"
