"""``parley letters CASE.json``: write the letters of one type for a case.

One file per non-priority creditor, named after the debt id, plus
``budget-statement.<ext>`` when the letter makes an offer. Bad input (an
unreadable or invalid case file, an unknown type, language or format, a letter
not for this jurisdiction, an infeasible strategy) prints ``path: message``
lines on stderr and exits with code 2, never a traceback.

A settlement below the floor creditors usually accept (``options.settlement_floor``,
30% by default) is written only with ``--insist``, as the web asks for a tick:
without it the command names the share, the floor and the lump sums that would
reach 40% and 60%, and exits with code 2.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

import click

from webapp.domain.casefile import loads
from webapp.domain.errors import FieldError, ValidationError
from webapp.domain.plan import make_plan
from webapp.formatting import format_money, format_number
from webapp.letters.bundle import render_bundle, render_zip
from webapp.letters.catalogue import CATALOGUE, FORMATS, LANGUAGES, default_language
from webapp.letters.context import _FLAGS

#: Exit code for bad input, as click itself uses for usage errors.
EXIT_INVALID = 2


def _fail(errors: list[FieldError]) -> None:
    for error in errors:
        click.echo(str(error), err=True)
    raise SystemExit(EXIT_INVALID)


def _options(letter_key, lang, fmt, today, extras) -> tuple[date | None, dict[str, str]]:
    """Check the options that need no case file; report every problem at once."""
    errors = []
    if letter_key not in CATALOGUE:
        errors.append(
            FieldError(
                "type", f"unknown letter type '{letter_key}' (choose from {', '.join(CATALOGUE)})"
            )
        )
    if lang is not None and lang not in LANGUAGES:
        errors.append(
            FieldError("lang", f"unknown language '{lang}' (choose from {', '.join(LANGUAGES)})")
        )
    if fmt not in FORMATS:
        errors.append(
            FieldError("format", f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
        )
    day = None
    if today is not None:
        try:
            day = date.fromisoformat(today)
        except ValueError:
            errors.append(FieldError("today", f"not a date (expected YYYY-MM-DD): '{today}'"))
    values = {}
    for item in extras:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            errors.append(FieldError("extra", f"expected KEY=VALUE, got '{item}'"))
        else:
            values[key.strip()] = value
    if errors:
        _fail(errors)
    return day, values


def floor_problem(plan: dict, letter_key: str, extras: dict[str, str],
                  money=str) -> FieldError | None:
    """Why a settlement letter may not be written without ``--insist`` (None: it may)."""
    if letter_key != "settlement" or _FLAGS.get(str(extras.get("below_floor", "")).lower()):
        return None
    found = next((s for s in plan.get("strategies", ()) if s.get("name") == "settlement"), None)
    if not found or not found.get("below_floor"):
        return None
    span = found.get("lump_sum_range") or {}
    reach = ""
    if span.get("low") is not None and span.get("high") is not None:
        reach = (f" (a lump sum of {money(span['low'])} would reach 40%, "
                 f"{money(span['high'])} 60%)")
    return FieldError(
        "insist",
        f"this settlement offers {format_number(str(found.get('share')))}% of what you owe, "
        f"below the {format_number(str(found.get('floor')))}% creditors usually accept{reach}: "
        "creditors are unlikely to accept it; pass --insist to write it anyway")


@click.command("letters")
@click.argument("case_file", metavar="CASE.json")
@click.option(
    "--type",
    "letter_key",
    default="proposal",
    show_default=True,
    help=f"Letter type: {', '.join(CATALOGUE)}.",
)
@click.option("--lang", default=None, help="en or zh_CN (default: the case's language).")
@click.option(
    "--strategy",
    default=None,
    help="Whose offers the letters carry (default: the letter type's own).",
)
@click.option("--format", "fmt", default="pdf", show_default=True, help="pdf, docx or html.")
@click.option(
    "--out",
    "out_dir",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory to write into (created if missing).",
)
@click.option("--today", default=None, help="The letters' date, YYYY-MM-DD (default: today).")
@click.option(
    "--extra",
    "extras",
    multiple=True,
    metavar="KEY=VALUE",
    help="A letter field, e.g. deadline=2027-02-28 or call_date=2027-01-10 (repeatable).",
)
@click.option("--zip", "as_zip", is_flag=True, help="Write one letters.zip instead of files.")
@click.option(
    "--insist",
    is_flag=True,
    help="Write a settlement below the floor creditors usually accept anyway "
    "(without it such a settlement stops with exit code 2).",
)
def letters_command(case_file, letter_key, lang, strategy, fmt, out_dir, today, extras, as_zip,
                    insist):
    """Write the letters of one type to every creditor in CASE.json it goes to
    (the non-priority ones; the priority ones for priority_arrears)."""
    day, values = _options(letter_key, lang, fmt, today, extras)
    if insist and letter_key == "settlement":
        values["below_floor"] = "yes"
    try:
        with open(case_file, "rb") as fh:
            text = fh.read()
    except OSError as exc:
        _fail([FieldError(case_file, f"cannot read the file ({exc.strerror})")])
    try:
        case = loads(text)
        lang = lang or default_language(case.language, case.jurisdiction)
        plan = make_plan(case)
        money = partial(format_money, currency=case.currency)
        if problem := floor_problem(plan, letter_key, values, money):
            _fail([problem])
        options = dict(
            today=day or date.today(),
            fmt=fmt,
            plan=plan,
            strategy=strategy,
            extras=values,
        )
        if as_zip:
            files = {"letters.zip": render_zip(case, letter_key, lang, **options)}
        else:
            files = render_bundle(case, letter_key, lang, **options)
    except ValidationError as exc:
        _fail([e if e.path else FieldError(case_file, e.message) for e in exc.errors])
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
    except OSError as exc:
        _fail([FieldError("out", f"cannot write to {out} ({exc.strerror})")])
    for name in files:
        click.echo(str(out / name))
