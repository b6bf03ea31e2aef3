"""``parley remind [--today DATE] [--days N]``: e-mail each user what is due.

Run it once a day from cron or a scheduler; running it again (by mistake, or
twice at once) sends nothing twice (see :mod:`webapp.services.reminders`).
Prints one summary line. Exit codes: 0 done; 1 e-mail is not set up or some
mails failed (they are tried again next run); 2 bad arguments.
"""

from __future__ import annotations

import click
from flask.cli import ScriptInfo

from .plan import parse_today


def _app():
    """The app ``flask``'s test runner gives, or the configured one."""
    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None and info.create_app is not None:
        return info.load_app()
    from .. import create_app

    return create_app()


@click.command("remind")
@click.option("--today", "today", metavar="DATE",
              help="The day to remind from (YYYY-MM-DD); default: today where each "
                   "borrower lives.")
@click.option("--days", default=3, show_default=True, type=click.IntRange(0, 60),
              help="Also remind of what falls due within this many days.")
def remind_command(today: str | None, days: int) -> None:
    """E-mail every verified user their follow-ups and payments due (each once)."""
    day = parse_today(today)
    from ..services import mailer
    from ..services.reminders import remind

    app = _app()
    if not mailer.is_configured(app.config):
        click.echo("parley remind needs e-mail: set MAIL_SERVER and MAIL_FROM", err=True)
        raise SystemExit(1)
    with app.app_context():
        summary = remind(app.config, today=day, days=days)
    click.echo(summary.line())
    if summary.failed:
        raise SystemExit(1)
