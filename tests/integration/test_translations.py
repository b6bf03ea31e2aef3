"""The Simplified Chinese interface catalogue is complete, consistent and compiled.

The messages are re-extracted exactly as scripts/i18n.sh does it; when a test
here fails, run ``scripts/i18n.sh``, translate what is new and run it again.
"""

from __future__ import annotations

import copy
import gettext
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
POT = TRANSLATIONS / "messages.pot"
# Flask-Babel looks the catalogue up as str(Locale.parse("zh_CN")) == "zh_Hans_CN".
PO = TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")

# The same arguments as scripts/i18n.sh.
EXTRACT = ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
           "--project=Parley", "--copyright-holder=Parley contributors"]

# %(name)s, %(num)d, %s, %.2f ... but not %%.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +\-]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")


def placeholders(text: str) -> list[tuple[str, str]]:
    return sorted((name or "", conv) for name, conv in PLACEHOLDER.findall(text) if conv != "%")


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale="zh_Hans_CN")


@pytest.fixture(scope="module")
def fresh_pot(tmp_path_factory) -> Catalog:
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *EXTRACT, "-o", str(out),
                    "."], cwd=ROOT, check=True, capture_output=True)
    with out.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def po() -> Catalog:
    return read(PO)


def entries(catalog: Catalog):
    return [m for m in catalog if m.id]


def test_letter_templates_are_not_extracted(fresh_pot):
    leaked = sorted({path for m in entries(fresh_pot) for path, _line in m.locations
                     if path.startswith("templates/letters/")})
    assert leaked == []
    # ...while the rest of the interface is.
    files = {path for m in entries(fresh_pot) for path, _line in m.locations}
    assert {"templates/base.html", "webapp/forms.py"} <= files


def test_the_committed_pot_is_up_to_date(fresh_pot):
    committed = {m.id for m in entries(read(POT))}
    fresh = {m.id for m in entries(fresh_pot)}
    assert sorted(map(str, fresh - committed)) == [], "new messages: run scripts/i18n.sh"
    assert sorted(map(str, committed - fresh)) == [], "removed messages: run scripts/i18n.sh"


def test_every_message_is_translated(fresh_pot, po):
    problems = []
    for message in entries(fresh_pot):
        translated = po.get(message.id)
        if translated is None:
            problems.append(f"missing: {message.id!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif isinstance(translated.string, tuple):
            if len(translated.string) != 1 or not translated.string[0].strip():
                problems.append(f"plural needs exactly one msgstr[0]: {message.id!r}")
        elif not translated.string.strip():
            problems.append(f"empty: {message.id!r}")
    assert problems == []


def test_the_catalogue_has_one_plural_form_and_is_not_fuzzy(po):
    assert po.plural_forms == "nplurals=1; plural=0;"
    assert not po.fuzzy
    assert not [m.id for m in entries(po) if m.fuzzy]
    assert not list(po.obsolete)


def test_placeholders_are_kept(po):
    problems = []
    for message in entries(po):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            for msgid in ids:
                if placeholders(string) != placeholders(msgid):
                    problems.append(f"{msgid!r} → {string!r}")
        if message.python_format:
            names = {name for name, _conv in PLACEHOLDER.findall(ids[0]) if name}
            for string in strings:
                try:
                    string % dict.fromkeys(names, 1)
                except (KeyError, TypeError, ValueError) as exc:
                    problems.append(f"{string!r} does not format: {exc!r}")
    assert problems == []


#: Header fields that say which tool and when: a newer Babel compiling the same
#: catalogue writes another Generated-By, and that is not a change of messages.
TOOL_HEADERS = ("generated-by", "pot-creation-date", "po-revision-date")


def compiled_messages(catalog: dict) -> dict:
    """A compiled catalogue's messages, with the header reduced to what matters
    (language, plural forms, charset), not which compiler wrote it."""
    messages = dict(catalog)
    header = messages.pop("", "")
    kept = sorted(line for line in header.splitlines()
                  if line and line.split(":", 1)[0].strip().lower() not in TOOL_HEADERS)
    return {**messages, "": "\n".join(kept)}


def _compile(po: Catalog, **header) -> gettext.GNUTranslations:
    compiled = io.BytesIO()
    if header:
        po = copy.deepcopy(po)
        for key, value in header.items():
            po.mime_headers = [(k, v) for k, v in po.mime_headers if k != key] + [(key, value)]
    write_mo(compiled, po)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def test_the_committed_mo_matches_the_po(po):
    fresh = _compile(po)
    with MO.open("rb") as f:
        committed = gettext.GNUTranslations(f)
    assert compiled_messages(committed._catalog) == compiled_messages(fresh._catalog), \
        "stale messages.mo: run scripts/i18n.sh"
    # Every message is there, translated the same, in both: checked one by one
    # so a failure names the message.
    differ = [k for k in fresh._catalog if committed._catalog.get(k) != fresh._catalog[k] and k]
    assert differ == []


def test_a_catalogue_from_another_babel_release_still_matches(po):
    """Babel 2.18 and 2.19 write different Generated-By headers for the same
    catalogue: that alone must not make the compiled file look stale."""
    with MO.open("rb") as f:
        committed = gettext.GNUTranslations(f)
    other = _compile(po, **{"Generated-By": "Babel 9.99.0"})
    assert compiled_messages(committed._catalog) == compiled_messages(other._catalog)


def test_a_changed_translation_or_plural_rule_is_still_stale(po):
    """...while what matters is still compared: a translation or the plural rule."""
    with MO.open("rb") as f:
        committed = compiled_messages(gettext.GNUTranslations(f)._catalog)
    changed = copy.deepcopy(po)
    message = next(m for m in entries(changed) if isinstance(m.string, str) and m.string)
    message.string += "!"
    assert compiled_messages(_compile(changed)._catalog) != committed
    plural = _compile(po, **{"Plural-Forms": "nplurals=2; plural=(n != 1);"})
    assert compiled_messages(plural._catalog) != committed


ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def test_the_login_page_is_in_chinese(client):
    response = client.get("/auth/login", headers=ZH)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>登录</h1>" in page
    assert "电子邮箱" in page  # a lazy form label
    assert "Log in" not in page


def test_the_chinese_page_says_it_is_chinese(client):
    page = client.get("/auth/login", headers=ZH).get_data(as_text=True)
    # current_locale() is str(get_locale()): "zh_Hans_CN", not "zh_CN".
    assert '<html lang="zh-CN">' in page
    # ...and so the switch offers English, not Chinese again.
    assert 'value="en"' in page


def test_english_stays_the_default(client):
    page = client.get("/auth/login", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Log in</h1>" in page
