#!/usr/bin/env bash
# Interface translations: extract → update (or init) → compile.
#
# Usage: scripts/i18n.sh
#
#   1. extracts every message from webapp/**.py and templates/**.html (not
#      templates/letters/: those are per-language letters, see babel.cfg) into
#      webapp/translations/messages.pot;
#   2. merges it into webapp/translations/zh_Hans_CN/LC_MESSAGES/messages.po
#      (`pybabel init` the first time), without fuzzy matching, so a changed
#      English text shows up as a new, empty msgstr rather than a guess;
#      obsolete entries are dropped (git keeps them);
#   3. compiles messages.mo next to it.
#
# Then translate the empty msgstr entries in the .po and run it again.
# All three files are committed, so an install needs no compile step;
# tests/integration/test_translations.py fails when any of them is stale.
#
# Why zh_Hans_CN and not zh_CN: the app selects "zh_CN", but Flask-Babel turns
# it into Locale.parse("zh_CN") == zh_Hans_CN and looks for a directory of that
# name (gettext falls back to zh_Hans_CN, then zh; never zh_CN).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -x .venv/bin/pybabel ]]; then pybabel=.venv/bin/pybabel; else pybabel=pybabel; fi
dir=webapp/translations
pot=$dir/messages.pot
locale=zh_Hans_CN
po=$dir/$locale/LC_MESSAGES/messages.po
mkdir -p "$dir"

# Keep these arguments in step with tests/integration/test_translations.py.
# (No --ignore-dirs: it matches directory *names*, so "letters" would also skip
# webapp/letters/*.py, and it switches off the default skipping of .venv etc.)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$pybabel" extract -F babel.cfg -k _l -k lazy_gettext \
  --project=Parley --copyright-holder="Parley contributors" \
  -o "$tmp" . 2>&1 >/dev/null | { grep -v -e '^extracting messages from' -e '^writing PO template' || true; } >&2
# Only the creation date changed: keep the committed .pot as it is.
if [[ -f $pot ]] && diff -q <(grep -v '^"POT-Creation-Date:' "$pot") \
                            <(grep -v '^"POT-Creation-Date:' "$tmp") >/dev/null; then
  echo "messages.pot unchanged"
else
  cp "$tmp" "$pot"
  echo "wrote $pot"
fi

if [[ -f $po ]]; then
  "$pybabel" update -i "$pot" -d "$dir" -l "$locale" --no-fuzzy-matching --ignore-obsolete \
    --ignore-pot-creation-date
else
  "$pybabel" init -i "$pot" -d "$dir" -l "$locale"
fi

"$pybabel" compile -d "$dir" -l "$locale" --statistics
