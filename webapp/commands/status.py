"""``parley status CASE.json [--today DATE]``: where every negotiation stands.

Prints ``parley-status/1`` (shared/CASEFILE.md) on stdout. Without ``--today``
the day is today's date where the case's borrower lives (the jurisdiction's
time zone), so that a run just after midnight in Shanghai says the same as the
borrower's own calendar. Invalid input prints one ``path: message`` line per
problem on stderr and exits with code 2, never a traceback.
"""

from __future__ import annotations

import json
from datetime import date

import click

from webapp.domain.casefile import loads
from webapp.domain.errors import ValidationError
from webapp.domain.status import make_status

from .plan import EXIT_INVALID, parse_today, read_case_text


def local_today(jurisdiction: str) -> date:
    from webapp.models.types import local_date, now_utc

    return local_date(now_utc(), jurisdiction)


@click.command("status")
@click.argument("case_file", metavar="CASE.json")
@click.option("--today", "today", metavar="DATE",
              help="The day to report on (YYYY-MM-DD); default: today where the borrower lives.")
def status_command(case_file: str, today: str | None) -> None:
    """Print where every negotiation stands (parley-status/1) for CASE.json."""
    day = parse_today(today)
    text = read_case_text(case_file)
    try:
        case = loads(text)
        status = make_status(case, day or local_today(case.jurisdiction))
    except ValidationError as exc:
        for error in exc.errors:
            click.echo(str(error) if error.path else f"{case_file}: {error}", err=True)
        raise SystemExit(EXIT_INVALID) from None
    click.echo(json.dumps(status, ensure_ascii=False, indent=2))
