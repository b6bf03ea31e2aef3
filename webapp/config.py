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

from .crypto import load_keys
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


def create_private_sqlite_file(uri: str) -> None:
    """Create a SQLite database file readable by its owner only (0600), before
    SQLite creates it with the umask's 0644; its journal and WAL files inherit
    the mode. An existing file is left as its owner set it."""
    from sqlalchemy.engine import make_url

    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    if url.database.startswith("file:"):
        return
    path = Path(url.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def normalise_database_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` URLs → the psycopg 3 driver."""
    # Heroku-style URLs name the old driver; Parley uses psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _int(name: str, default: int, minimum: int) -> int:
    """An integer setting from the environment; a bad value stops the start with its name."""
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def is_production() -> bool:
    """``PARLEY_ENV=production``: the one switch for HTTPS-only cookies and HSTS."""
    return os.environ.get("PARLEY_ENV", "").strip().lower() == "production"


class ConfigError(RuntimeError):
    """The settings cannot serve safely; the message says what to set."""


#: The shortest SECRET_KEY production accepts (32 random characters).
MIN_SECRET_LENGTH = 32


def production_problems(environ) -> list[str]:
    """What stops ``PARLEY_ENV=production`` from starting, in plain words.

    Production means several web nodes behind a proxy: each must sign cookies
    with the same secret (a key generated in one node's instance folder would
    log users out on every other node), share one database (an SQLite file
    lives on one machine) and count rate limits in one place.
    """
    problems = []
    secret = environ.get("SECRET_KEY", "")
    if len(secret) < MIN_SECRET_LENGTH:
        problems.append(f"set SECRET_KEY to at least {MIN_SECRET_LENGTH} random characters, "
                        "the same on every web node (python -c 'import secrets; "
                        "print(secrets.token_hex(32))')")
    url = environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        problems.append("set DATABASE_URL to a PostgreSQL database (postgresql://...): an "
                        "SQLite file belongs to one machine")
    if not environ.get("PARLEY_ENCRYPTION_KEYS", "").strip():
        problems.append("set PARLEY_ENCRYPTION_KEYS to the Fernet key(s) personal data is "
                        "encrypted with, the same on every web node (python -c 'from "
                        "cryptography.fernet import Fernet; print(Fernet.generate_key()"
                        ".decode())'); keep a copy apart from the backups: without it "
                        "neither the database nor a backup can be read")
    limits_on = environ.get("RATELIMIT_ENABLED", "1") == "1"
    if limits_on and environ.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory://"):
        problems.append("set RATELIMIT_STORAGE_URI=redis://HOST:6379 so that the login "
                        "limits hold across workers and machines")
    return problems


def load(instance_path: str) -> dict:
    """The configuration dict for an app whose instance folder is ``instance_path``.

    Raises ConfigError when ``PARLEY_ENV=production`` lacks what it needs."""
    env = os.environ.get
    production = is_production()
    if production:
        problems = production_problems(os.environ)
        if problems:
            raise ConfigError("PARLEY_ENV=production cannot start: " + "; ".join(problems))
    max_hours = _int("SESSION_MAX_HOURS", 8, minimum=1)
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # Personal fields and uploads are encrypted with the first; all decrypt
        # (webapp.crypto). PARLEY_ENCRYPTION_KEYS, else instance/encryption_keys.
        "ENCRYPTION_KEYS": load_keys(instance_path),
        # hide_parameters: a database error must not carry the row's values
        # (account numbers, addresses) into the error log.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Production implies HTTPS: the cookie is never sent in clear (see also HSTS).
        "SESSION_COOKIE_SECURE": production or env("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Server-side sessions (services.sessions): ended by logout, by a password
        # change, after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS
        # after login. The signed cookie itself expires with the latter.
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30, minimum=1),
        "SESSION_MAX_HOURS": max_hours,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * max_hours,
        # HSTS is sent in production only: a plain-HTTP development server must not
        # make the browser refuse it for a year.
        "HSTS_SECONDS": 365 * 24 * 60 * 60 if production else 0,
        # How many reverse proxies in front of Parley set X-Forwarded-For/-Proto.
        # 0 (default): trust none, the client address is the socket's. A count
        # higher than the real one lets clients forge their address.
        "PROXY_COUNT": _int("PROXY_COUNT", 0, minimum=0),
        # Forms and case-file imports; the JSON API has its own, smaller limit.
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "API_MAX_CONTENT_LENGTH": int(env("API_MAX_CONTENT_LENGTH", "") or MAX_API_BODY),
        # Uploaded evidence (a creditor's letter, a screenshot or recording): the
        # largest file, and the folder it is kept in, outside the web root. The
        # forms that take a file accept a body this much larger than the file
        # (webapp.blueprints.uploads.limits); every other form keeps its limit.
        "UPLOAD_MAX_BYTES": _int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1),
        "UPLOAD_DIR": env("UPLOAD_DIR", "") or str(Path(instance_path) / "uploads"),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": "translations",
        "LANGUAGES": ["en", "zh_CN"],
        # memory:// counts per process: `parley serve` refuses several workers with
        # it (one worker with threads is fine); with several workers use
        # redis://127.0.0.1:6379 so every worker shares one count.
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": env("RATELIMIT_ENABLED", "1") == "1",
        "RATELIMIT_HEADERS_ENABLED": True,
        # If Redis goes away, count in each worker's memory instead of failing
        # every login with a 500 (or letting every guess through).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Per client address, on login, registration and password change:
        "LOGIN_RATE_LIMIT": env("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour"),
        # Per account (the e-mail typed at login; the user at password change),
        # counting failed attempts only, against guessing from many addresses:
        "ACCOUNT_RATE_LIMIT": env("ACCOUNT_RATE_LIMIT", "5 per minute; 20 per hour"),
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
        # An agency's own spending guidelines (parley-guidelines/1, see
        # domain/guidelines/loader.py): they replace the shipped table of each
        # jurisdiction the file names. Empty: the shipped tables.
        "SPENDING_GUIDELINES_FILE": env("SPENDING_GUIDELINES_FILE", ""),
    }
