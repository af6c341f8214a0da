#!/usr/bin/env bash
# CI job "compose": the live workshop's stack (docker-compose.yml, with the replication module's
# 3-broker cluster) up and healthy, then every solution graded against it by the runner, which
# finds it at the workshop's ports. Always stopped (and its data removed) at the end.
# Uses `docker compose` (v2), or Debian's docker-compose v1 where v2 is missing (v1 has no
# --wait: the script waits on the health checks itself).
set -euo pipefail
cd "$(dirname "$0")/.."
if docker compose version > /dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
compose+=(--profile replication)
down() { "${compose[@]}" down -v --remove-orphans > /dev/null 2>&1 || true; }
trap down EXIT
started=$(date +%s)
"${compose[@]}" build connect
if [ "${compose[0]}" = docker ]; then
  "${compose[@]}" up -d --wait --wait-timeout "${COMPOSE_WAIT_SECONDS:-600}"
else
  "${compose[@]}" up -d
  deadline=$(( $(date +%s) + ${COMPOSE_WAIT_SECONDS:-600} ))
  for service in $("${compose[@]}" config --services); do
    id=$("${compose[@]}" ps -q "$service")
    [ -n "$id" ] || continue
    until [ "$(docker inspect -f '{{.State.Health.Status}}' "$id")" = healthy ]; do
      [ "$(date +%s)" -lt "$deadline" ] || { echo "$service is not healthy in time" >&2; "${compose[@]}" logs --tail 50 "$service" >&2; exit 1; }
      sleep 5
    done
  done
fi
echo "compose stack healthy in $(( $(date +%s) - started )) s"
"${compose[@]}" ps
./jbang workshop check --all --solution
