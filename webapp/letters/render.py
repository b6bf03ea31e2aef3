"""Rendering a letter: HTML from the templates, then PDF (WeasyPrint).

HTML is the one source of truth for a letter's wording: the PDF prints it and
the DOCX (``docx.py``) is built by walking its blocks, so an edited draft
renders the same way in all three.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from webapp.domain.model import Case

from .context import LetterContext, build_context
from .paths import templates_dir
from .spelling import AmericanSpelling

#: Locales whose English letters are spelt the American way (``spelling.py``).
AMERICAN_LOCALES = frozenset({"en_US"})


@lru_cache(maxsize=2)
def environment(american: bool = False) -> Environment:
    """The letters' Jinja environment: autoescaped, strict, whitespace-trimmed.

    ``StrictUndefined`` makes a misspelt or missing name an error instead of
    an empty string, so the tests catch it rather than a creditor. With
    ``american`` the templates' own text is spelt the American way.
    """
    return Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=[AmericanSpelling] if american else [],
    )


def environment_for(ctx: LetterContext) -> Environment:
    """The environment that writes ``ctx``'s letter in its locale's spelling."""
    return environment(ctx.locale in AMERICAN_LOCALES)


def template_candidates(ctx: LetterContext) -> list[str]:
    """Template files for ``ctx``, most specific first (jurisdiction variant, then general)."""
    base = f"letters/{ctx.lang}/{ctx.letter.template_name}"
    return [f"{base}.{ctx.jurisdiction}.html", f"{base}.html"]


def render_html(ctx: LetterContext) -> str:
    """The letter as a complete, print-ready HTML document (A4, no external resources)."""
    template = environment_for(ctx).select_template(template_candidates(ctx))
    return template.render(ctx.template_vars())


def render_letter(
    case: Case,
    debt_id: str | None,
    letter_key: str,
    lang: str,
    *,
    today: date,
    plan: Mapping[str, Any] | None = None,
    strategy: str | None = None,
    extras: Mapping[str, Any] | None = None,
) -> str:
    """Shortcut: :func:`build_context` then :func:`render_html`."""
    ctx = build_context(
        case, debt_id, letter_key, lang, today=today, plan=plan, strategy=strategy, extras=extras
    )
    return render_html(ctx)


def render_pdf(html: str) -> bytes:
    """Print ``html`` to PDF with WeasyPrint; fonts come from fontconfig and are embedded.

    The CSS names WenQuanYi Micro Hei for Chinese; WeasyPrint embeds the subset
    of glyphs used, so a Chinese letter stays around 20-60 KB.
    """
    # Imported here: WeasyPrint takes about a second to import, and most
    # callers (HTML preview, DOCX) never need it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Letters are self-contained. Allowing no protocol at all means an edited
    # draft with an <img src="http://..."> cannot make the server call out
    # (WeasyPrint logs the refusal and leaves the image out).
    fetcher = URLFetcher(allowed_protocols=frozenset(), fail_on_errors=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def letter_text_digest(html: str) -> str:
    """SHA-256 (hex) of a letter's HTML as UTF-8: what a frozen letter is identified by."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()
