"""``parley sweep-uploads``: remove stored files that no upload row names.

A file is written before its row is committed and removed after its row is
deleted (``webapp.services.uploads``); a crash in between, or a failed
removal, leaves a file nobody can download. Run this now and then (cron): it
spares files written in the last hour, whose rows may be about to commit.
"""

from __future__ import annotations

import click

from .remind import _app


@click.command("sweep-uploads")
def sweep_uploads_command() -> None:
    """Remove uploaded files left without a row (a crash, a failed removal)."""
    from ..services.uploads import sweep_orphans

    app = _app()
    with app.app_context():
        removed = sweep_orphans()
    click.echo(f"{removed} orphaned upload file(s) removed")
