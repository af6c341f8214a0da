#!/usr/bin/env bash
# CI job "confluent": the `confluent` Maven profile (Confluent's Avro serializer and ksqlDB's
# client) with the ksqlDB track graded on the container stack (cp-schema-registry,
# cp-ksqldb-server). Needs CONFLUENT_REPOSITORY_URL (Confluent's Maven repository) and Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CONFLUENT_REPOSITORY_URL:?set CONFLUENT_REPOSITORY_URL to Confluent Maven repository}"
docker info --format 'Docker {{.ServerVersion}}' || { echo "No Docker engine answers: this job needs one." >&2; exit 1; }
mvn -B -ntp -Pconfluent -Dconfluent.repository.url="$CONFLUENT_REPOSITORY_URL" verify -Dworkshop.stack=testcontainers "$@"
