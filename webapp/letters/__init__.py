"""Letters to creditors: the catalogue, and rendering to HTML, PDF and DOCX.

Typical use::

    ctx = build_context(case, "vanq", "proposal", "en", today=today, plan=plan)
    html = render_html(ctx)          # preview, edit, freeze (letter_text_digest)
    pdf = render_pdf(html)
    docx = render_docx(html)
    zip_bytes = render_zip(case, "proposal", "en", today=today, plan=plan)

Bad input raises ``webapp.domain.errors.ValidationError`` naming the field.
"""

from .bundle import render_bundle, render_zip
from .catalogue import BORROWER_NOTE, CATALOGUE, FORMATS, LANGUAGES, LetterType, letter_type
from .context import LetterContext, build_context
from .docx import render_docx
from .render import letter_text_digest, render_html, render_letter, render_pdf

__all__ = [
    "BORROWER_NOTE",
    "CATALOGUE",
    "FORMATS",
    "LANGUAGES",
    "LetterContext",
    "LetterType",
    "build_context",
    "letter_text_digest",
    "letter_type",
    "render_bundle",
    "render_docx",
    "render_html",
    "render_letter",
    "render_pdf",
    "render_zip",
]
