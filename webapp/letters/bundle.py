"""A proposal's whole set: one letter per creditor it goes to (every
non-priority creditor, or the priority ones for a priority letter) plus the
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

from .catalogue import BUDGET_STATEMENT, FORMATS, LetterType, letter_type, recipients
from .context import LetterContext, build_context
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
    """``{file name: bytes}``: ``<debt_id>.<fmt>`` per creditor the letter goes to
    (``catalogue.recipients``), and ``budget-statement.<fmt>`` when the letter
    goes with the statement.

    Every context is built (and checked) before anything is rendered, so bad
    input fails fast with all of its errors and no half-made set.
    """
    if fmt not in CONVERTERS:
        raise ValidationError(
            [FieldError("format", f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")]
        )
    try:
        letter = letter_type(letter_key)
    except KeyError:
        raise ValidationError([FieldError("type", f"unknown letter type '{letter_key}'")]) from None
    targets = recipients(letter, case)
    if not targets and letter.evidence:
        raise ValidationError([FieldError("contacts", "no debt's logged contacts break a "
                                                      "collection rule: there is nothing to "
                                                      "complain of")])
    if not targets:
        which = "priority debt of these kinds: " + ", ".join(letter.kinds) if letter.priority \
            else "non-priority debt"
        raise ValidationError([FieldError("debts", f"there is no {which} to write to")])
    contexts = {}
    errors: list[FieldError] = []
    for debt, row in targets:
        try:
            ctx = build_context(
                case,
                debt.id,
                row.key,
                lang,
                today=today,
                plan=plan,
                # a letter sent "instead" carries the set's offers, not its own default
                strategy=strategy or letter.strategy,
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
    if letter.with_statement:
        contexts[BUDGET_STATEMENT_NAME] = statement_context(
            case, letter, lang, today=today, plan=plan, strategy=strategy
        )
    convert = CONVERTERS[fmt]
    return {f"{name}.{fmt}": convert(render_html(ctx)) for name, ctx in contexts.items()}


def statement_context(
    case: Case,
    letter: LetterType,
    lang: str,
    *,
    today: date,
    plan: Mapping[str, Any] | None,
    strategy: str | None,
) -> LetterContext:
    """The budget statement that goes with ``letter``.

    An offer letter's statement lists that strategy's offers. A priority letter
    makes no offer: its statement lists the plan's offers when the strategy is
    feasible, and only the budget when it is not (a deficit).
    """
    options = dict(today=today, plan=plan, strategy=strategy or letter.strategy)
    if letter.makes_offer:
        return build_context(case, None, BUDGET_STATEMENT.key, lang, **options)
    try:
        return build_context(case, None, BUDGET_STATEMENT.key, lang, **options)
    except ValidationError:
        return build_context(case, None, BUDGET_STATEMENT.key, lang, today=today)


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
