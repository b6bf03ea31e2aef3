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

# axe-core: the accessibility checker the browser tests run on every page (test-only).
(cd "$tmp" && npm pack -q axe-core@4.14.1 >/dev/null && tar xzf axe-core-4.14.1.tgz && mv package axe)
mkdir -p tests/browser/vendor/axe-core
cp "$tmp/axe/axe.min.js" "$tmp/axe/LICENSE" tests/browser/vendor/axe-core/
echo "axe-core 4.14.1 (npm), vendored for the browser tests only: never served by the app" \
  > tests/browser/vendor/axe-core/VERSION
