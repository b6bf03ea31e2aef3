"""``parley plan CASE.json``: print the plan for a case file as JSON.

Invalid input (an unreadable file, text that is not JSON, a case that breaks
the contract) prints one ``path: message`` line per problem on stderr and exits
with code 2, never a traceback. ``-`` reads the case from standard input.
"""

from __future__ import annotations

import json
import sys

import click

from webapp.domain.casefile import loads
from webapp.domain.errors import ValidationError
from webapp.domain.plan import SCHEDULE_FORMS, STRATEGIES, make_plan

#: Exit code for bad input, as click itself uses for usage errors.
EXIT_INVALID = 2


def parse_today(value: str | None):
    """``--today DATE`` as a ``date`` (None when not given); exit 2 if it is no date."""
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        click.echo(f"--today: {value!r} is not a date such as 2027-03-20", err=True)
        raise SystemExit(EXIT_INVALID) from None


def read_case_text(case_file: str) -> bytes:
    """The bytes of CASE.json (``-``: standard input); exit 2 if it cannot be read."""
    try:
        if case_file == "-":
            return sys.stdin.buffer.read()
        with open(case_file, "rb") as fh:
            return fh.read()
    except OSError as exc:
        click.echo(f"{case_file}: cannot read the file ({exc.strerror})", err=True)
        raise SystemExit(EXIT_INVALID) from None


@click.command("plan")
@click.argument("case_file", metavar="CASE.json")
@click.option(
    "--strategy",
    "strategies",
    multiple=True,
    type=click.Choice(list(STRATEGIES)),
    help="Only these strategies (repeatable); default: all.",
)
@click.option(
    "--schedule",
    type=click.Choice(list(SCHEDULE_FORMS)),
    default="monthly",
    show_default=True,
    help="Each strategy's schedule: every month, one row per plan year, or none.",
)
def plan_command(case_file: str, strategies: tuple[str, ...], schedule: str) -> None:
    """Print the repayment plan (parley-plan/1) for CASE.json on stdout."""
    text = read_case_text(case_file)
    try:
        plan = make_plan(loads(text), strategies=strategies or None, schedule=schedule)
    except ValidationError as exc:
        for error in exc.errors:
            click.echo(str(error) if error.path else f"{case_file}: {error}", err=True)
        raise SystemExit(EXIT_INVALID) from None
    click.echo(json.dumps(plan, ensure_ascii=False, indent=2))
