#!/usr/bin/env bash
# Sets up Parley on a Debian machine: system packages, a virtualenv, the package.
#   bash scripts/setup.sh        the app (PDF fonts, Python packages)
#   bash scripts/setup.sh dev    also what the tests need (Chromium, poppler, dev packages)
#   bash scripts/setup.sh latest the dev setup with the newest versions the ranges allow
#                                (not locked: for trying an upgrade on purpose)
# Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-app}

apt_packages=(fonts-wqy-microhei libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
if [[ $mode == dev || $mode == latest ]]; then
  apt_packages+=(chromium poppler-utils wrk)
fi
python3 -m venv --help >/dev/null 2>&1 || apt_packages+=(python3-venv)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages come from the lock (exact versions, hashes checked), so a new
# machine, CI and every developer run what the suite was run with. Set
# PARLEY_VENV to use another folder (test.sh --latest does).
venv=${PARLEY_VENV:-.venv}
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
lock=requirements/app.lock; [[ $mode == dev ]] && lock=requirements/dev.lock
if [[ $mode == latest ]]; then
  # Not reproducible on purpose: the newest versions pyproject.toml's ranges allow.
  echo "setup: installing the newest allowed Python packages into $venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q --upgrade --upgrade-strategy eager -e ".[dev]"
  exit 0
fi
stamp="$venv/.parley-installed-$(basename "$lock" .lock)"
want=$(cat "$lock" pyproject.toml setup.py | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "setup: installing Python packages from $lock into $venv"
  "$venv/bin/python" -m pip install -q "pip==26.3"
  "$venv/bin/python" -m pip install -q --require-hashes --no-deps -r "$lock"
  "$venv/bin/python" -m pip install -q --no-deps -e .
  "$venv/bin/python" -m pip check
  echo "$want" > "$stamp"
fi
