"""``parley serve``: apply migrations, then serve the app with gunicorn."""

from __future__ import annotations

import click


def upgrade_database(app) -> None:
    """Bring the database schema up to date (idempotent)."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve_command(host: str, port: int, workers: int) -> None:
    """Apply database migrations and serve Parley on HOST:PORT."""
    from gunicorn.app.base import BaseApplication

    from .. import create_app

    app = create_app()
    upgrade_database(app)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")

        def load(self):
            return app

    click.echo(f"Parley is running on http://{host}:{port}/  (Ctrl+C stops it)")
    Server().run()


@click.command("upgrade-db")
def upgrade_command() -> None:
    """Apply database migrations (DATABASE_URL, default SQLite in instance/)."""
    from .. import create_app

    upgrade_database(create_app())
    click.echo("database is up to date")
