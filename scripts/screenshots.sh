#!/usr/bin/env bash
# Captures, with a headless Chromium, the title slide of each deck and the documentation site's
# start page as PNG files, from the rendered site (mvn -Pdocs package -DskipTests).
# Usage: scripts/screenshots.sh [--site DIR] [--out DIR] [--size WIDTHxHEIGHT]
#   defaults: --site target/site --out target/screenshots --size 1280x720
# Needs chromium (Debian/Ubuntu: apt-get install chromium) or Google Chrome on the PATH
# (or CHROMIUM=/path/to/browser).
set -euo pipefail
cd "$(dirname "$0")/.."

site=target/site
out=target/screenshots
size=1280x720
while [ $# -gt 0 ]; do
  case $1 in
    --site) site=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    *) echo "Unknown option $1 (use --site DIR, --out DIR, --size WIDTHxHEIGHT)" >&2; exit 2 ;;
  esac
done

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
  done
fi
if [ -z "$browser" ]; then
  echo "No Chromium found: install it (apt-get install chromium) or set CHROMIUM=/path/to/browser." >&2
  exit 1
fi
if [ ! -f "$site/docs/index.html" ]; then
  echo "No rendered site in $site: build it first with  mvn -Pdocs package -DskipTests" >&2
  exit 1
fi

mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# shot <page> <png>: one page, after its scripts ran (reveal.js lays the slide out in JavaScript)
shot() {
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size="${size/x/,}" \
    --virtual-time-budget=5000 --screenshot="$2" "file://$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" \
    >/dev/null 2>&1
  if [ ! -s "$2" ]; then
    echo "Chromium wrote no screenshot of $1" >&2
    exit 1
  fi
  echo "$2"
}

shot "$site/docs/index.html" "$out/site-start-page.png"
for deck in "$site"/slides/*.html; do
  shot "$deck" "$out/slides-$(basename "$deck" .html).png"
done
