"""A proposal's whole set: one letter per non-priority creditor plus the
budget statement, in one format, as files or as one ZIP."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from webapp.domain.errors import FieldError, ValidationError
from webapp.domain.model import Case

from .catalogue import BUDGET_STATEMENT, FORMATS, letter_type
from .context import build_context
from .docx import render_docx
from .render import render_html, render_pdf

#: How each format turns a letter's HTML into file bytes.
CONVERTERS: dict[str, Callable[[str], bytes]] = {
    "html": lambda html: html.encode("utf-8"),
    "pdf": render_pdf,
    "docx": render_docx,
}
assert set(CONVERTERS) == set(FORMATS)
#: The budget statement's file name, without extension.
BUDGET_STATEMENT_NAME = "budget-statement"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(debt_id: str) -> str:
    """A file name from a debt id: no path separators, no leading dot, never empty."""
    name = _UNSAFE.sub("_", debt_id).lstrip(".")
    return name[:100] or "debt"


def render_bundle(
    case: Case,
    letter_key: str,
    lang: str,
    *,
    today: date,
    fmt: str = "pdf",
    plan: Mapping[str, Any] | None = None,
    strategy: str | None = None,
    extras: Mapping[str, Any] | None = None,
) -> dict[str, bytes]:
    """``{file name: bytes}``: ``<debt_id>.<fmt>`` per non-priority debt, and
    ``budget-statement.<fmt>`` when the letter makes an offer.

    Every context is built (and checked) before anything is rendered, so bad
    input fails fast with all of its errors and no half-made set.
    """
    if fmt not in CONVERTERS:
        raise ValidationError(
            [FieldError("format", f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")]
        )
    debts = case.non_priority_debts
    if not debts:
        raise ValidationError([FieldError("debts", "there is no non-priority debt to write to")])
    contexts = {}
    errors: list[FieldError] = []
    for debt in debts:
        try:
            ctx = build_context(
                case,
                debt.id,
                letter_key,
                lang,
                today=today,
                plan=plan,
                strategy=strategy,
                extras=extras,
            )
        except ValidationError as exc:
            errors.extend(e for e in exc.errors if e not in errors)
            continue
        name = safe_name(debt.id)
        while name in contexts:
            # two ids that differ only in unsafe characters must not overwrite each other
            name += "_"
        contexts[name] = ctx
    if errors:
        raise ValidationError(errors)
    letter = letter_type(letter_key)
    if letter.makes_offer:
        contexts[BUDGET_STATEMENT_NAME] = build_context(
            case,
            None,
            BUDGET_STATEMENT.key,
            lang,
            today=today,
            plan=plan,
            strategy=strategy or letter.strategy,
        )
    convert = CONVERTERS[fmt]
    return {f"{name}.{fmt}": convert(render_html(ctx)) for name, ctx in contexts.items()}


def render_zip(
    case: Case,
    letter_key: str,
    lang: str,
    *,
    today: date,
    fmt: str = "pdf",
    plan: Mapping[str, Any] | None = None,
    strategy: str | None = None,
    extras: Mapping[str, Any] | None = None,
) -> bytes:
    """:func:`render_bundle` packed in a ZIP (fixed timestamps, so it is reproducible)."""
    files = render_bundle(
        case, letter_key, lang, today=today, fmt=fmt, plan=plan, strategy=strategy, extras=extras
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(today.year, today.month, today.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()
