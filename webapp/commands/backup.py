"""``parley backup FILE`` and ``parley restore FILE`` (see services/backup.py)."""

from __future__ import annotations

from pathlib import Path

import click

from .plan import EXIT_INVALID


def _app():
    from .. import create_app

    return create_app()


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write every table and upload to FILE (a new .tar.gz, mode 0600)."""
    from ..services.backup import backup, upload_store

    if file.exists():
        click.echo(f"{file}: already exists; choose a new file name", err=True)
        raise SystemExit(EXIT_INVALID)
    app = _app()
    with app.app_context():
        try:
            counts = backup(file, upload_store(app))
        except OSError as exc:  # the upload store could not be read
            click.echo(f"upload store: {exc}; no backup was written", err=True)
            raise SystemExit(1) from None
    click.echo(f"backed up {sum(counts.values())} rows from {len(counts)} tables to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Load FILE into an empty database (migrations are applied first)."""
    from ..domain.errors import ValidationError
    from ..services.backup import restore, upload_store
    from .serve import upgrade_database

    if not file.is_file():
        click.echo(f"{file}: no such file", err=True)
        raise SystemExit(EXIT_INVALID)
    app = _app()
    upgrade_database(app)
    with app.app_context():
        try:
            counts = restore(file, upload_store(app))
        except ValidationError as exc:
            for error in exc.errors:
                click.echo(f"{error.path}: {error.message}", err=True)
            raise SystemExit(EXIT_INVALID) from None
        except OSError as exc:  # the upload store: nothing was committed
            click.echo(f"upload store: {exc}; nothing was restored", err=True)
            raise SystemExit(1) from None
    click.echo(f"restored {sum(counts.values())} rows into {len(counts)} tables")
