"""Configuration: safe defaults, overridden by the environment, then by tests.

Every setting can come from an environment variable of the same name
(``DATABASE_URL``, ``SECRET_KEY``, ``RATELIMIT_STORAGE_URI``...). With nothing
set, Parley runs on SQLite in the instance folder with a secret key generated
once and kept there (mode 0600), so a restart does not log everybody out.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .domain.limits import MAX_API_BODY


def _secret_key(instance_path: str) -> str:
    env = os.environ.get("SECRET_KEY")
    if env:
        return env
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting together must not write different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "parley.sqlite")
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` URLs → the psycopg 3 driver."""
    # Heroku-style URLs name the old driver; Parley uses psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load(instance_path: str) -> dict:
    """The configuration dict for an app whose instance folder is ``instance_path``."""
    env = os.environ.get
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # hide_parameters: a database error must not carry the row's values
        # (account numbers, addresses) into the error log.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 8,
        # Forms and case-file imports; the JSON API has its own, smaller limit.
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "API_MAX_CONTENT_LENGTH": int(env("API_MAX_CONTENT_LENGTH", "") or MAX_API_BODY),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": "translations",
        "LANGUAGES": ["en", "zh_CN"],
        # memory:// counts per worker; behind gunicorn with several workers use
        # redis://127.0.0.1:6379 so every worker shares one count.
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": env("RATELIMIT_ENABLED", "1") == "1",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour"),
        "API_RATE_LIMIT": env("API_RATE_LIMIT", "60 per minute"),
        # Sending letters by e-mail: no MAIL_SERVER means "not set up" (the UI
        # then offers "mark as sent" only). MAIL_USE_TLS=1 means STARTTLS.
        # Background jobs (webapp/jobs): RQ on this Redis when set, else a thread
        # of the web process. JOBS_BACKEND=rq|thread|inline overrides the choice.
        "REDIS_URL": env("REDIS_URL", ""),
        "JOBS_BACKEND": env("JOBS_BACKEND", ""),
        "JOBS_QUEUE": env("JOBS_QUEUE", "parley"),
        "MAIL_SERVER": env("MAIL_SERVER", ""),
        "MAIL_PORT": int(env("MAIL_PORT", "") or 25),
        "MAIL_USE_TLS": env("MAIL_USE_TLS", "0") == "1",
        "MAIL_USERNAME": env("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env("MAIL_PASSWORD", ""),
        "MAIL_FROM": env("MAIL_FROM", ""),
        # Letters e-mailed by one account in any 24 hours (attempts count).
        "MAIL_PER_DAY": int(env("MAIL_PER_DAY", "") or 20),
        # How long the link in a verification e-mail works, in seconds.
        "EMAIL_VERIFY_MAX_AGE": int(env("EMAIL_VERIFY_MAX_AGE", "") or 3 * 24 * 3600),
    }
