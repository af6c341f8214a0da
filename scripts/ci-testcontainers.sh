#!/usr/bin/env bash
# CI job "testcontainers" (Linux with Docker): every solution graded against the container
# stack, one set of containers for the test JVM (services started in parallel, reused by every
# grader), plus the backend's own tests and doctor's Docker report.
# Runs here too, against any engine with the images (DOCKER_HOST is honoured).
set -euo pipefail
cd "$(dirname "$0")/.."
docker info --format 'Docker {{.ServerVersion}}' || { echo "No Docker engine answers: this job needs one." >&2; exit 1; }
mvn -B -ntp test -Dworkshop.stack=testcontainers \
  -Dtest='SolutionsPassTest,ContainerStackTest,DockerDoctorTest' -Dsurefire.failIfNoSpecifiedTests=false "$@"
