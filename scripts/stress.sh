#!/usr/bin/env bash
# Runs the build under load, as on a learner's laptop with a video call, an IDE and Docker:
# a CPU hog keeps every core busy (at least 4 busy threads) while `mvn verify` runs, N times in
# a row (default 3); prints each run's wall time and result, and exits 1 if any run failed.
# With --no-hog it runs the normal suite N times in a row, to show it holds run after run.
#   Usage: scripts/stress.sh [--runs N] [--threads T | --no-hog] [-- <more mvn arguments>]
#   e.g.   scripts/stress.sh --runs 1 -- -Dtest='SolutionsPassTest' -Dworkshop.only=log
#          scripts/stress.sh --no-hog --runs 10
# The hog is stress-ng when installed, else a Java busy loop; it is stopped when the script ends,
# however it ends (Ctrl-C included).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
threads=4
hog_wanted=yes
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --no-hog) hog_wanted=no; shift ;;
    --) shift; break ;;
    *) echo "Unknown option $1 (use --runs N, --threads T, --no-hog, -- <mvn arguments>)" >&2; exit 2 ;;
  esac
done
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
[ "$threads" -ge "$cores" ] || threads=$cores
[ "$threads" -ge 4 ] || threads=4

work=$(mktemp -d)
hog=
stop_hog() {
  if [ -n "$hog" ]; then kill "$hog" 2>/dev/null || true; wait "$hog" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop_hog EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$hog_wanted" = no ]; then
  echo "No CPU hog: the normal suite, $runs runs in a row"
elif command -v stress-ng >/dev/null 2>&1; then
  stress-ng --cpu "$threads" --quiet &
  hog=$!
  echo "CPU hog: stress-ng, $threads workers (pid $hog)"
else
  cat > "$work/Hog.java" <<'JAVA'
public class Hog {
    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        for (int i = 0; i < threads; i++) {
            new Thread(() -> { long x = 0; while (true) { x = x * 31 + 7; if (x == 42) System.out.print(""); } }).start();
        }
    }
}
JAVA
  java "$work/Hog.java" "$threads" &
  hog=$!
  echo "CPU hog: a Java busy loop, $threads threads (pid $hog)"
fi

failed=0
for run in $(seq 1 "$runs"); do
  started=$(date +%s)
  log="$work/run-$run.log"
  if mvn -B verify "$@" >"$log" 2>&1; then result=passed; else result=FAILED; failed=1; fi
  took=$(( $(date +%s) - started ))
  load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
  tests=$(grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures' "$log" | tail -1 | sed -E 's/^\[[A-Z]+\] //' || true)
  printf 'run %d of %d: %s in %dm%02ds (load average %s) %s\n' "$run" "$runs" "$result" $((took / 60)) $((took % 60)) "$load" "$tests"
  if [ "$result" = FAILED ]; then
    grep -E 'Tests run:|FAIL|ERROR\]' "$log" | grep -v '^\[INFO\]' | tail -25 || true
    cp "$log" "target/stress-run-$run.log" 2>/dev/null && echo "  full log: target/stress-run-$run.log"
  fi
done
exit $failed
