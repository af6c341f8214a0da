#!/usr/bin/env bash
# Measures what learners wait for, as medians of N runs (default 5):
#   - the background stack: `stack up` until Kafka answers (wall clock, from the command line),
#     and the broker's own start time as the stack reports it;
#   - grading one exercise with the stack up (`check log1 --solution`, wall clock);
#   - the resident memory of the background stack's JVM;
#   - with --suite, the whole test suite (`mvn verify`, warm: dependencies already downloaded).
# Usage: scripts/benchmark.sh [--runs N] [--suite]
# Uses its own Kafka port (WORKSHOP_KAFKA_PORT, default 29092) so a running stack is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
suite=false
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --suite) suite=true; shift ;;
    *) echo "Unknown option $1 (use --runs N, --suite)" >&2; exit 2 ;;
  esac
done
export WORKSHOP_KAFKA_PORT=${WORKSHOP_KAFKA_PORT:-29092}
export WORKSHOP_STACK=auto

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
seconds() { awk -v ns="$1" 'BEGIN {printf "%.2f", ns/1e9}'; }

./jbang workshop stack down >/dev/null 2>&1 || true
./jbang workshop list >/dev/null 2>&1 # JBang builds the runner once, outside the timings

echo "Background stack start (stack up), $runs runs, Kafka on port $WORKSHOP_KAFKA_PORT"
up_times=(); broker_times=(); rss=()
for i in $(seq "$runs"); do
  start=$(now)
  out=$(./jbang workshop stack up 2>&1)
  end=$(now)
  up_times+=("$(seconds $((end - start)))")
  broker_times+=("$(printf '%s\n' "$out" | sed -n 's/.*Kafka broker ready in \([0-9.]*\) s.*/\1/p')")
  pid=$(printf '%s\n' "$out" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
  rss+=("$(ps -o rss= -p "$pid" | awk '{printf "%.0f", $1/1024}')")
  if [ "$i" -lt "$runs" ]; then ./jbang workshop stack down >/dev/null; fi
done
echo "  stack up, wall clock (s):     ${up_times[*]}  -> median $(printf '%s\n' "${up_times[@]}" | median)"
echo "  broker ready, in its JVM (s): ${broker_times[*]}  -> median $(printf '%s\n' "${broker_times[@]}" | median)"
echo "  stack JVM resident (MB):      ${rss[*]}"

echo "Grading one exercise with the stack up (check log1 --solution), $runs runs"
grade_times=()
for i in $(seq "$runs"); do
  start=$(now)
  ./jbang workshop check log1 --solution >/dev/null 2>&1
  end=$(now)
  grade_times+=("$(seconds $((end - start)))")
done
echo "  wall clock (s): ${grade_times[*]}  -> median $(printf '%s\n' "${grade_times[@]}" | median)"

# A Kafka Streams grading: a second JVM runs the application until it has committed its input.
echo "Grading one Kafka Streams exercise with the stack up (check streams1 --solution), $runs runs"
streams_times=()
for i in $(seq "$runs"); do
  start=$(now)
  ./jbang workshop check streams1 --solution >/dev/null 2>&1
  end=$(now)
  streams_times+=("$(seconds $((end - start)))")
done
echo "  wall clock (s): ${streams_times[*]}  -> median $(printf '%s\n' "${streams_times[@]}" | median)  (goal: <= 5 s)"
echo "  stack JVM resident after grading (MB): $(ps -o rss= -p "$pid" | awk '{printf "%.0f", $1/1024}')"
./jbang workshop stack down >/dev/null

if $suite; then
  echo "Whole test suite (mvn -o verify, warm), $runs runs"
  suite_times=()
  for i in $(seq "$runs"); do
    start=$(now)
    mvn -q -o verify >/dev/null 2>&1
    end=$(now)
    suite_times+=("$(seconds $((end - start)))")
  done
  echo "  wall clock (s): ${suite_times[*]}  -> median $(printf '%s\n' "${suite_times[@]}" | median)"
fi
