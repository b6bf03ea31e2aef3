#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml: every Python dependency pinned to
# an exact version with its hashes.
#
#   bash scripts/lock.sh            keep the locked versions, add what is new
#   bash scripts/lock.sh --upgrade  move everything to the newest versions the ranges allow
#
# Run it after changing a dependency in pyproject.toml (or with --upgrade when
# you mean to take new releases), then run `bash scripts/test.sh` and commit
# pyproject.toml and requirements/*.lock together.
#
# requirements/dev.lock  the app and the dev extra (tests, lint): what the suite runs with
# requirements/app.lock  the app alone, pinned to the same versions as dev.lock
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
tool=$(mktemp -d); trap 'rm -rf "$tool"' EXIT
python3 -m venv "$tool"
"$tool/bin/pip" install -q "uv==$UV_VERSION"
# --universal: one lock for every platform (x86_64 and aarch64 machines alike).
uv=("$tool/bin/uv" pip compile -q --generate-hashes --universal --python-version 3.11
    --no-header --annotation-style line)
upgrade=(); [[ ${1:-} == --upgrade ]] && upgrade=(--upgrade)
mkdir -p requirements
"${uv[@]}" "${upgrade[@]}" pyproject.toml --extra dev -o requirements/dev.lock
# The app's lock takes its versions from the dev lock, so both install the same thing.
pins=requirements/.pins-from-dev.lock
trap 'rm -rf "$tool" "$pins"' EXIT
grep -v -e '^\s*--hash' -e '^\s*$' requirements/dev.lock | sed -e 's/ *\\$//' -e 's/ *#.*//' > "$pins"
"${uv[@]}" pyproject.toml -c "$pins" -o requirements/app.lock
echo "wrote requirements/dev.lock and requirements/app.lock"
