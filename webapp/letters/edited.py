"""Edited drafts: the user's own wording in the letter's layout, never their HTML.

The user edits the *body* of a letter as plain text (paragraphs separated by
blank lines). :func:`render_edited` puts that text, autoescaped, into the same
template the letter was made from, so the addresses, date, reference, subject
and closing stay exactly as generated. :func:`body_text` gives the generated
body as plain text, to start editing from.
"""

from __future__ import annotations

import re

import lxml.html

from .context import LetterContext
from .render import environment_for, template_candidates

#: Longest body the user may write (characters): a few pages of text.
MAX_BODY = 20_000
#: Marks the generated body so that :func:`body_text` can find it.
_MARK = "parley-body"
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def paragraphs(text: str) -> list[list[str]]:
    """Plain text → paragraphs (split on blank lines) of lines (split on newlines)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for block in _BLANK_LINE.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            out.append(lines)
    return out


def _render(ctx: LetterContext, paras: list[list[str]] | None) -> str:
    env = environment_for(ctx)
    base = env.select_template(template_candidates(ctx))
    template = env.get_template(f"letters/{ctx.lang}/edited.html")
    return template.render(ctx.template_vars(), base_template=base, paragraphs=paras, mark=_MARK)


def render_edited(ctx: LetterContext, text: str) -> str:
    """The letter of ``ctx`` with its body replaced by ``text`` (escaped, never HTML)."""
    return _render(ctx, paragraphs(text))


def _segments(el) -> list[str]:
    """The element's text; source newlines are spaces, ``<br>`` is a newline."""
    parts = [(el.text or "").replace("\n", " ")]
    for child in el:
        if isinstance(child.tag, str):
            parts.extend(["\n"] if child.tag == "br" else _segments(child))
        parts.append((child.tail or "").replace("\n", " "))
    return parts


def _block_text(el) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(_segments(el)).split("\n"))
    return "\n".join(line for line in lines if line)


def _blocks(el):
    """Paragraph-like elements under ``el``, in document order."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in {"p", "h1", "h2", "h3", "li", "tr"}:
            yield child
        else:
            yield from _blocks(child)


def body_text(ctx: LetterContext) -> str:
    """The generated body of the letter as plain text, one paragraph per block."""
    doc = lxml.html.document_fromstring(_render(ctx, None))
    [body] = doc.xpath(f"//*[@id='{_MARK}']")
    out = []
    for block in _blocks(body):
        text = _block_text(block) if block.tag != "tr" else " | ".join(
            _block_text(cell) for cell in block if isinstance(cell.tag, str))
        if block.tag == "li":
            text = "• " + text
        if text.strip():
            out.append(text)
    return "\n\n".join(out)
