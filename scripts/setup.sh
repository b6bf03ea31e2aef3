#!/usr/bin/env bash
# Sets up Parley on a Debian machine: system packages, a virtualenv, the package.
#   bash scripts/setup.sh        the app (PDF fonts, Python packages)
#   bash scripts/setup.sh dev    also what the tests need (Chromium, poppler, dev packages)
# Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-app}

apt_packages=(fonts-wqy-microhei libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
if [[ $mode == dev ]]; then
  apt_packages+=(chromium poppler-utils)
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

[[ -x .venv/bin/python ]] || python3 -m venv .venv
extra=""; [[ $mode == dev ]] && extra="[dev]"
stamp=".venv/.parley-installed$extra"
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extra"
  touch "$stamp"
fi
