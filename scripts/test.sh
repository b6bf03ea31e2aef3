#!/usr/bin/env bash
# Sets up everything the tests need, lints, then runs the whole suite twice:
# on SQLite, and on PostgreSQL (TEST_DATABASE_URL, default 127.0.0.1:5432/test).
# Outside CI the PostgreSQL run is skipped with a notice when no server answers;
# in CI (CI=true) it is required.
set -euo pipefail
cd "$(dirname "$0")/.."
# --latest: the same run against the newest versions pyproject.toml's ranges
# allow (in .venv-latest), to try an upgrade on purpose before `scripts/lock.sh --upgrade`.
if [[ ${1:-} == --latest ]]; then
  shift
  export PARLEY_VENV=.venv-latest
  bash scripts/setup.sh latest
else
  bash scripts/setup.sh dev
fi
export PATH="$PWD/${PARLEY_VENV:-.venv}/bin:$PATH"

echo "== ruff"
ruff check webapp tests bench

mkdir -p test-artifacts
echo "== pytest on SQLite"
env -u TEST_DATABASE_URL pytest "$@"

pg_url=${TEST_DATABASE_URL:-postgresql://127.0.0.1:5432/test}
if python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$pg_url" 2>/dev/null; then
  echo "== pytest on PostgreSQL ($pg_url)"
  TEST_DATABASE_URL=$pg_url pytest "$@"
elif [[ ${CI:-} == true ]]; then
  echo "PostgreSQL at $pg_url does not answer: CI needs it" >&2
  exit 1
else
  echo "== PostgreSQL at $pg_url does not answer: skipped the PostgreSQL run"
fi
