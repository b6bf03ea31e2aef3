"""``parley caseload-refresh``: work out every caseload summary that is missing,
expired or behind its case (after the migration, or a bulk SQL write).

The pages keep summaries current by themselves (a session hook, and the
caseload works out its own expired ones first); this does all of them at once,
a batch at a time, so that no counselor's first view pays for it.
"""

from __future__ import annotations

import click

from .remind import _app


@click.command("caseload-refresh")
def caseload_refresh_command() -> None:
    """Work out the caseload summaries that are missing or out of date."""
    from ..services.caseload import refresh_all

    app = _app()
    with app.app_context():
        done = refresh_all()
    click.echo(f"{done} caseload summar{'y' if done == 1 else 'ies'} worked out")
