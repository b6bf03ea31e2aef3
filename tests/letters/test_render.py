"""PDF, DOCX and ZIP output. PDFs are slow-ish: a representative few, checked
by extracting their text; HTML covers every combination (test_html.py)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from tests.letters.support import LONG, TODAY
from webapp.formatting import format_money
from webapp.letters import (
    letter_text_digest,
    render_bundle,
    render_docx,
    render_letter,
    render_pdf,
    render_zip,
)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_english_proposal_pdf(examples):
    case, plan = examples["gb-family"]
    data = render_pdf(render_letter(case, "vanq", "proposal", "en", today=TODAY, plan=plan))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Vanquis" in text and "£192.16" in text and "Offer of payment" in text
    assert "1 Dec 2026" in text


def test_chinese_instalment_pdf_embeds_a_cjk_font(examples):
    case, plan = examples["cn-credit-cards"]
    html = render_letter(case, "icbc", "cn_instalment", "zh_CN", today=TODAY, plan=plan)
    data = render_pdf(html)
    text = pdf_text(data).replace(" ", "")
    assert "致工商银行信用卡中心" in text and "个性化分期还款申请" in text
    assert "¥2,923.08" in text and "第七十条" in text and "此致" in text
    assert any("WenQuanYi" in f for f in pdf_fonts(data))
    assert len(data) < 200_000  # a subset is embedded, not the 5 MB font


def test_hostile_pdf_keeps_reference_amount_and_mixed_text(hostile):
    case, plan = hostile["GB"]
    html = render_letter(case, "x1", "proposal", "zh_CN", today=TODAY, plan=plan)
    text = pdf_text(render_pdf(html)).replace("\n", "").replace(" ", "")
    assert "<script>alert(1)</script>" in text  # shown as text, never markup
    assert 'AC-<1>&"2"' in text
    assert "£397.29" in text and "还款方案申请" in text
    long_html = render_letter(case, "x2", "hold", "en", today=TODAY, plan=plan)
    long_text = pdf_text(render_pdf(long_html)).replace("\n", "").replace(" ", "")
    assert LONG.replace(" ", "") in long_text  # wrapped, not cut off


PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42m"
    "P8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def test_pdf_never_fetches_external_resources():
    html = (
        f'<!DOCTYPE html><html><body><p>x</p><img src="http://127.0.0.1:9/x.png">'
        f'<img src="{PIXEL}"></body></html>'
    )
    data = render_pdf(html)
    assert data.startswith(b"%PDF") and b"/Image" not in data


def test_chinese_docx_has_amount_chinese_text_and_east_asian_font(examples):
    case, plan = examples["cn-credit-cards"]
    html = render_letter(case, "pab", "proposal", "zh_CN", today=TODAY, plan=plan)
    data = render_docx(html)
    doc = Document(io.BytesIO(data))
    text = docx_text(data)
    assert "¥2,045.99" in text and "致平安银行信用卡：" in text and "敬礼" in text
    rfonts = doc.styles["Normal"].element.rPr.rFonts
    assert rfonts.get(qn("w:eastAsia")) == "SimSun"
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=0.1)


def test_budget_statement_docx_has_tables(examples):
    case, plan = examples["us-with-priority"]
    html = render_letter(case, None, "budget_statement", "en", today=TODAY, plan=plan)
    doc = Document(io.BytesIO(render_docx(html)))
    assert len(doc.tables) >= 4
    text = docx_text(render_docx(html))
    assert "Oak Street Properties" in text
    assert format_money(Decimal(plan["budget"]["available"]), "USD", "en_US") in text


def test_english_docx_bold_offer_and_lists(examples):
    case, plan = examples["gb-family"]
    html = render_letter(case, "vanq", "hold", "en", today=TODAY, plan=plan)
    doc = Document(io.BytesIO(render_docx(html)))
    assert [p.style.name for p in doc.paragraphs].count("List Bullet") == 2
    bold = [r.text for p in doc.paragraphs for r in p.runs if r.bold]
    assert "29 Dec 2026" in bold  # offer-by date: today + 28 days


def test_bundle_and_zip_hold_one_letter_per_creditor_and_the_statement(examples):
    case, plan = examples["cn-credit-cards"]
    files = render_bundle(case, "proposal", "zh_CN", today=TODAY, plan=plan, fmt="html")
    assert sorted(files) == ["budget-statement.html", "icbc.html", "pab.html", "wld.html"]
    data = render_zip(case, "proposal", "zh_CN", today=TODAY, plan=plan, fmt="docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == [
            "budget-statement.docx",
            "icbc.docx",
            "pab.docx",
            "wld.docx",
        ]
        assert "¥2,990.30" in docx_text(archive.read("icbc.docx"))
    assert render_zip(case, "proposal", "zh_CN", today=TODAY, plan=plan, fmt="docx") != b""


def test_letters_without_offer_have_no_statement(examples):
    case, plan = examples["us-with-priority"]
    files = render_bundle(case, "contact_restrictions", "en", today=TODAY, plan=plan, fmt="html")
    assert sorted(files) == ["amex.html", "sofi.html"]


def test_digest_is_sha256_of_the_html():
    assert letter_text_digest("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert letter_text_digest("致") != letter_text_digest("至")
