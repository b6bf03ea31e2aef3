#!/usr/bin/env bash
# Re-vendor the front-end assets from the npm registry (pages never load from a CDN).
# Usage: bash scripts/vendor-assets.sh   (needs npm; the result is committed)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack -q @picocss/pico@2.1.1 >/dev/null && tar xzf picocss-pico-2.1.1.tgz)
mkdir -p webapp/static/vendor/pico
cp "$tmp/package/css/pico.min.css" "$tmp/package/LICENSE.md" webapp/static/vendor/pico/
echo "@picocss/pico 2.1.1 (npm)" > webapp/static/vendor/pico/VERSION
