"""``parley serve``: apply migrations, then serve the app with gunicorn."""

from __future__ import annotations

import click


def upgrade_database(app) -> None:
    """Bring the database schema up to date (idempotent)."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def hide_server_header() -> None:
    """Make gunicorn stop sending ``Server: gunicorn``: no need to tell anyone
    which software to look up exploits for. (Gunicorn has no setting for it.)"""
    from gunicorn.http import wsgi

    if getattr(wsgi.Response, "_parley_no_server", False):
        return
    default_headers = wsgi.Response.default_headers

    def without_server(self):
        return [h for h in default_headers(self) if not h.lower().startswith("server:")]

    wsgi.Response.default_headers = without_server
    wsgi.Response._parley_no_server = True


def check_rate_limit_storage(app, workers: int) -> str | None:
    """Why these settings cannot serve safely, or None.

    ``memory://`` counts in each process: with N workers a client gets N times
    the login attempts (the review saw 20 of 60 a minute pass a limit of 10).
    So several workers need a shared store; one worker with threads shares its
    memory and is fine.
    """
    cfg = app.config
    if workers > 1 and cfg.get("RATELIMIT_ENABLED", True) and \
            str(cfg.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        return (f"--workers {workers} with RATELIMIT_STORAGE_URI=memory:// would give every "
                "client that many times the login attempts: set RATELIMIT_STORAGE_URI="
                "redis://127.0.0.1:6379 (shared by all workers), or serve with --workers 1 "
                "(and --threads for concurrency)")
    return None


def log_format() -> str:
    """``LOG_FORMAT``: ``json`` (the default in production) or ``text``."""
    import os

    from ..config import is_production

    chosen = os.environ.get("LOG_FORMAT", "").strip().lower()
    if chosen in ("json", "text"):
        return chosen
    return "json" if is_production() else "text"


def json_gunicorn_logger():
    """A gunicorn logger class whose lines are JSON (``logs.JsonFormatter``)."""
    from gunicorn.glogging import Logger

    from ..logs import JsonFormatter

    class JsonLogger(Logger):
        def setup(self, cfg):
            super().setup(cfg)
            for logger in (self.error_log, self.access_log):
                for handler in logger.handlers:
                    handler.setFormatter(JsonFormatter())

    return JsonLogger


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes. More than 1 needs RATELIMIT_STORAGE_URI=redis://...")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Threads per process.")
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    """Apply database migrations and serve Parley on HOST:PORT."""
    from gunicorn.app.base import BaseApplication

    from .. import create_app
    from ..config import ConfigError
    from ..crypto import KeyProblem

    try:
        app = create_app()
    except (ConfigError, KeyProblem) as exc:  # a malformed PARLEY_ENCRYPTION_KEYS too
        raise click.UsageError(str(exc)) from None
    problem = check_rate_limit_storage(app, workers)
    if problem:
        raise click.UsageError(problem)
    upgrade_database(app)
    hide_server_header()
    json_logs = log_format() == "json"
    if json_logs:
        from ..logs import use_json

        use_json()  # Parley's own lines, one per request (webapp/observability.py)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            if json_logs:
                # Parley logs each request itself, with its id; gunicorn's own
                # messages (start, worker deaths) become JSON lines too.
                self.cfg.set("logger_class", json_gunicorn_logger())
            else:
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
