#!/usr/bin/env bash
# CI job "verify": the default build, as a learner's machine without Docker runs it. Every test
# grades on the embedded stack (Kafka, Connect, PostgreSQL, Schema Registry in JVMs), whether or
# not a Docker engine answers (hosted Windows runners have one that runs no Linux images).
# Runs the same here: scripts/ci-verify.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# On Linux also the opt-in room test with Connect, PostgreSQL and the registry (RoomServicesTest, 2-4 min).
if [ "$(uname -s)" = Linux ]; then
  set -- -Dworkshop.room.services=true "$@"
fi
mvn -B -ntp verify -Dworkshop.stack=embedded "$@"
