#!/usr/bin/env bash
# Sets Parley up (first run only) and serves it on http://127.0.0.1:5000 with
# SQLite in instance/ (set DATABASE_URL for PostgreSQL). Migrations are applied.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
exec .venv/bin/parley serve --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
