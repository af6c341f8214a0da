#!/usr/bin/env bash
# The room benchmark: N simulated learners (default 30) grade the module 1-5 solutions at once (module 2 aside: it needs the 3-broker cluster),
# each through the runner in a JVM of their own, against ONE broker secured as a room's would be
# (SASL/SCRAM, an authorizer, prefixed ACLs per learner, progress events on). Prints gradings per
# minute, p50/p95 grading time, the broker's CPU and peak memory, the load average before and
# after, and the cross-talk check (every topic and group belongs to exactly one learner).
# Usage: scripts/room-bench.sh [N [exercise ids, comma-separated: a subset of modules 1-5]]
# The broker is a child JVM on free ports; nothing of the workshop's fixed ports is used.
set -euo pipefail
cd "$(dirname "$0")/.."

learners=${1:-30}
only=${2:-}
case $learners in
  ''|*[!0-9]*|0) echo "Usage: scripts/room-bench.sh [number of learners, e.g. 30]" >&2; exit 2 ;;
esac

mvn -q -o test-compile 2>/dev/null || mvn -q test-compile
classpath_file=target/room-bench.classpath
mvn -q -o dependency:build-classpath -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test >/dev/null 2>&1 \
  || mvn -q dependency:build-classpath -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test >/dev/null
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/test-classes:target/classes:$(cat "$classpath_file")" workshop.RoomBench "$learners" $only
