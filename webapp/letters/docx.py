"""DOCX from a letter's HTML: the same wording, as editable Word paragraphs.

The templates are the single source of the wording; this module walks the
rendered HTML's blocks (``p``, ``h1``-``h3``, ``li``, ``table``) and rebuilds
them with python-docx. It understands the few classes the templates use
(``right``, ``center``, ``indent``, ``item``, ``space``, ``marking``) and
nothing else, so it also turns an edited draft into a DOCX.
"""

from __future__ import annotations

import io
import re

import lxml.html
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

#: Latin font: Arial is on every Word installation and matches Liberation Sans.
LATIN_FONT = "Arial"
#: Chinese font for Word's East Asian text: SimSun (宋体) is on every Windows
#: and WPS installation and is the usual face for a formal Chinese letter.
EAST_ASIA_FONT = "SimSun"

_CONTAINERS = {"body", "div", "article", "section", "address", "header", "footer", "main"}
_SKIP = {"head", "style", "script", "title", "template"}
_BOLD = {"strong", "b", "th"}
_ALIGN = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
_SPACES = re.compile(r"\s+")


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _segments(el, bold: bool = False) -> list[tuple[str, bool]]:
    """The element's text as (text, bold) pieces; ``<br>`` becomes a newline."""
    out = [(el.text, bold)] if el.text else []
    for child in el:
        if isinstance(child.tag, str):
            if child.tag == "br":
                out.append(("\n", bold))
            else:
                out.extend(_segments(child, bold or child.tag in _BOLD))
        if child.tail:
            out.append((child.tail, bold))
    return out


def _fill(paragraph: Paragraph, el, bold: bool = False) -> None:
    """Add the element's runs, collapsing HTML whitespace as a browser would."""
    pieces = []
    for text, b in _segments(el, bold):
        text = text if text == "\n" else _SPACES.sub(" ", text)
        pieces.append((text, b))
    if pieces:
        pieces[0] = (pieces[0][0].lstrip(" "), pieces[0][1])
        pieces[-1] = (pieces[-1][0].rstrip(" "), pieces[-1][1])
    for text, b in pieces:
        if text == "\n":
            paragraph.add_run().add_break()
        elif text:
            paragraph.add_run(text).bold = b or None


def _paragraph(doc, el, align, style: str | None = None) -> Paragraph:
    classes = _classes(el)
    paragraph = doc.add_paragraph(style=style)
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if "indent" in classes:
        # Chinese paragraphs open with a two-character indent.
        fmt.first_line_indent = Pt(22)
    if "item" in classes:
        fmt.left_indent = Pt(22)
    if "space" in classes or "signature-space" in classes:
        fmt.space_before = Pt(24 if "signature-space" in classes else 12)
    heading = el.tag in ("h1", "h2", "h3")
    _fill(paragraph, el, bold=heading or "marking" in classes)
    if heading:
        for run in paragraph.runs:
            run.font.size = Pt({"h1": 14, "h2": 12, "h3": 11}[el.tag])
    return paragraph


def _table(doc, el) -> Table:
    rows = [r for r in el.iter("tr")]
    width = max(
        (sum(int(c.get("colspan", 1)) for c in r if c.tag in ("td", "th")) for r in rows), default=1
    )
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        col = 0
        bold_row = "total" in _classes(row) or "group" in _classes(row)
        for cell_el in (c for c in row if c.tag in ("td", "th")):
            span = int(cell_el.get("colspan", 1))
            cell = table.cell(r, col)
            if span > 1:
                cell = cell.merge(table.cell(r, col + span - 1))
            paragraph = cell.paragraphs[0]
            _fill(paragraph, cell_el, bold=bold_row or cell_el.tag == "th")
            if "num" in _classes(cell_el):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            col += span
    return table


def _walk(doc, el, align) -> None:
    for child in el:
        if not isinstance(child.tag, str) or child.tag in _SKIP:
            continue
        classes = _classes(child)
        here = next((_ALIGN[c] for c in ("center", "right") if c in classes), align)
        if child.tag in _CONTAINERS:
            start = len(doc.paragraphs)
            _walk(doc, child, here)
            if "sign-off" in classes:
                # as in print: the closing, the name and the enclosures stay on one page
                for paragraph in doc.paragraphs[start:-1]:
                    paragraph.paragraph_format.keep_with_next = True
        elif child.tag in ("ul", "ol"):
            style = "List Number" if child.tag == "ol" else "List Bullet"
            for item in child.iter("li"):
                _paragraph(doc, item, here, style)
        elif child.tag == "table":
            _table(doc, child)
        else:
            _paragraph(doc, child, here)


def _set_fonts(doc, lang: str) -> None:
    """Normal style: Latin and East Asian fonts, and the document language."""
    style = doc.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(10.5)
    rpr = style.element.get_or_add_rPr()
    # python-docx sets only ascii/hAnsi; without eastAsia Word picks its own
    # face for Chinese, and mixed text looks broken.
    rpr.rFonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), lang)
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang_el)


def render_docx(html: str) -> bytes:
    """A DOCX of the letter in ``html`` (as produced by ``render_html``): A4, editable."""
    root = lxml.html.document_fromstring(html)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(22)
    _set_fonts(doc, root.get("lang") or "en-GB")
    body = root.find("body")
    _walk(doc, body if body is not None else root, None)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
