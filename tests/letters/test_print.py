"""Printed letters keep their sign-off and their small tables in one piece (issue 14.7).

Every letter type is printed to PDF (WeasyPrint) in English and Chinese for each
example case, and each page's text is read back with pypdf: the closing, the
signed name and the enclosure line must be on the same page, that page must
hold more than the sign-off alone, and a letter is at most two pages. Sweeps
push the closing (and the statement's summary table) across the page boundary
line by line, where a split used to happen.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.letters.support import (
    SHARED_EXAMPLES,
    TODAY,
    able_to_offer,
    offered_strategy,
    required_extras,
    writable,
)
from webapp.domain.casefile import parse_case
from webapp.domain.plan import make_plan
from webapp.letters import CATALOGUE, LANGUAGES, render_letter, render_pdf
from webapp.letters.catalogue import recipients

ROOT = Path(__file__).resolve().parents[2]
SHARED = SHARED_EXAMPLES
#: The example cases, once each (tests/data/examples mirrors the shared ones).
_FILES = sorted(ROOT.glob("tests/data/examples/*.json")) + sorted(SHARED.glob("*.json"))
EXAMPLES = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in _FILES}
#: Who signs: the examples carry no sender, and a letter needs one (issue 14.1).
SENDER = {"name": "Alex Printtest", "address": "1 Page Street\nLeeds\nLS1 1AA"}
CLOSING = {"en": re.compile(r"Yours faithfully,|Sincerely,"), "zh_CN": re.compile("此致")}
SIGNED = {"en": re.compile(r"Alex Printtest\s*$", re.M), "zh_CN": re.compile(r"申请人（签名）：")}
ENCLOSED = {"en": "Enclosed:", "zh_CN": "附件："}
EXTRAS = {key: required_extras(key) for key in ("confirmation", "counter_proposal")}


def _case(path: Path, contractual: str | None = None):
    raw = json.loads(path.read_text(encoding="utf-8"))
    if contractual is not None:  # beyond the budget: a reduced offer is made (13.1)
        raw["debts"][0]["contractual_payment"] = contractual
    raw["lump_sum"] = raw.get("lump_sum") or "1000"
    raw["borrower"] = SENDER
    for debt in raw["debts"]:
        debt["account_ref"] = f"ACC-{debt['id']}"
    case = parse_case(raw)
    return case, make_plan(case)


def pages(pdf: bytes) -> list[str]:
    """The text of each page of a PDF (Chinese with its spaces removed)."""
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def _where(texts: list[str], pattern) -> set[int]:
    found = set()
    for i, text in enumerate(texts):
        flat = text.replace(" ", "") if isinstance(pattern, str) else text
        needle = pattern.replace(" ", "") if isinstance(pattern, str) else pattern
        if (needle in flat) if isinstance(needle, str) else needle.search(flat):
            found.add(i)
    return found


def assert_sign_off_together(texts: list[str], lang: str, enclosed: bool, what: str) -> None:
    """Closing, name and enclosure on the last page, with the letter's text before them."""
    last = len(texts) - 1
    assert len(texts) <= 2, f"{what}: {len(texts)} pages"
    closing = _where(texts, CLOSING[lang])
    signed = _where(texts, SIGNED[lang])
    assert closing and max(closing) == last, f"{what}: closing not on the last page"
    assert signed and max(signed) == last, f"{what}: name not on the last page"
    if enclosed:
        assert max(_where(texts, ENCLOSED[lang])) == last, f"{what}: enclosure on its own"
    else:
        assert not _where(texts, ENCLOSED[lang]) - {0, last}
    # the last page is more than the sign-off: some of the letter's text comes with it
    body = re.sub(r"\s+", "", CLOSING[lang].split(texts[last])[0])
    assert len(texts) == 1 or body, f"{what}: the last page is only the sign-off"


@cache
def _pdf(path: Path, key: str, lang: str) -> tuple[tuple[str, ...], bool]:
    case, plan = able_to_offer(*_case(path), key)
    row = CATALOGUE[key]
    debt, letter = recipients(row, case)[0]
    strategy = offered_strategy(plan, key) if row.makes_offer else None
    html = render_letter(case, debt.id, letter.key, lang, today=TODAY, plan=plan,
                         strategy=strategy, extras=EXTRAS.get(key))
    return tuple(pages(render_pdf(html))), letter.with_statement


def _combos():
    for path in EXAMPLES.values():
        case, plan = _case(path)
        for key, row in CATALOGUE.items():
            if case.jurisdiction in row.jurisdictions and recipients(row, case) \
                    and writable(*able_to_offer(case, plan, key), key):
                for lang in LANGUAGES:
                    yield pytest.param(path, key, lang, id=f"{path.stem}-{key}-{lang}")


#: The schedule of contacts a letter written from the contact log carries: a
#: document of its own after the letter, starting on a new page (issue 9).
SCHEDULE = {"en": "Schedule: contacts that break the rules", "zh_CN": "附：违规催收记录表"}


def letter_pages(texts: list[str], lang: str, what: str) -> list[str]:
    """The pages of the letter itself: those before its schedule of contacts,
    which must start on a page of its own, after the sign-off."""
    starts = _where(texts, SCHEDULE[lang])
    if not starts:
        return texts
    first = min(starts)
    assert first > 0 and not _where([texts[first]], CLOSING[lang]), \
        f"{what}: the schedule does not start on a page of its own"
    return texts[:first]


@pytest.mark.parametrize(("path", "key", "lang"), list(_combos()))
def test_every_letter_prints_its_sign_off_on_one_page(path, key, lang):
    texts, enclosed = _pdf(path, key, lang)
    what = f"{path.stem} {key} {lang}"
    letter = letter_pages(list(texts), lang, what)
    enclosed = enclosed or len(letter) < len(texts)  # the schedule is named as enclosed
    assert_sign_off_together(letter, lang, enclosed, what)


def test_the_example_letters_each_fit_on_one_page():
    """The examples' letters are short: none may spill onto a second page (the
    Chinese 个性化分期 letter used to put its sign-off alone on page 2). A letter
    made longer on purpose may take two pages; this keeps the usual ones on one."""
    spilled = [f"{path.stem} {key} {lang}" for path, key, lang in
               (p.values for p in _combos())
               if len(letter_pages(list(_pdf(path, key, lang)[0]), lang, key)) > 1]
    assert spilled == []


#: Sentences of circumstances (about half a line each): the closing of this example's
#: proposal walks down the end of page 1 and over the edge in both languages.
SWEEP = range(10, 45)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_sign_off_never_splits_wherever_the_page_ends(lang):
    """A longer account of circumstances moves the closing line by line past the
    page boundary: at no length may the closing, the name or the enclosure part."""
    case, plan = _case(next(p for p in EXAMPLES.values() if "cn-credit-cards" in p.name),
                       contractual="9000")
    debt = case.non_priority_debts[0]
    line = {"en": "I lost my job and my hours were cut. ",
            "zh_CN": "本人于三月失业，此后只能打零工维持生活。"}[lang]
    counts = set()
    for n in SWEEP:
        html = render_letter(case, debt.id, "proposal", lang, today=TODAY, plan=plan,
                             extras={"circumstances": (line * n).strip()})
        texts = pages(render_pdf(html))
        counts.add(len(texts))
        assert_sign_off_together(texts, lang, True, f"{n} sentences")
    assert counts == {1, 2}  # the sweep did cross the page boundary


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_statement_summary_table_stays_in_one_piece(lang):
    """More income lines push the summary table down to the page boundary: its
    heading and its last row must always be on the same page."""
    heading = {"en": "Summary", "zh_CN": "汇总"}[lang]
    last_row = {"en": "Available for other creditors",
                "zh_CN": "每月可用于偿还其他债务的金额"}[lang]
    path = next(p for p in EXAMPLES.values() if "gb-family" in p.name)
    raw = json.loads(path.read_text(encoding="utf-8"))
    for n in range(0, 40, 3):
        extra = [{"label": f"Odd job {i}", "amount": "1", "frequency": "monthly"}
                 for i in range(n)]
        case = parse_case({**raw, "income": raw["income"] + extra, "borrower": SENDER})
        html = render_letter(case, None, "budget_statement", lang, today=TODAY,
                             plan=make_plan(case))
        texts = pages(render_pdf(html))
        top = _where(texts, heading)
        bottom = _where(texts, last_row)
        assert top and bottom and max(top) == min(bottom), f"{n} extra lines: table split"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_a_word_copy_keeps_the_sign_off_with_the_name_too(lang):
    from docx import Document

    from webapp.letters import render_docx

    case, plan = _case(next(p for p in EXAMPLES.values() if "gb-family" in p.name))
    html = render_letter(case, "vanq", "proposal", lang, today=TODAY, plan=plan)
    paragraphs = Document(io.BytesIO(render_docx(html))).paragraphs
    closing = next(i for i, p in enumerate(paragraphs) if CLOSING[lang].search(p.text))
    tail = paragraphs[closing:]
    assert ENCLOSED[lang] in tail[-1].text
    assert all(p.paragraph_format.keep_with_next for p in tail[:-1])
