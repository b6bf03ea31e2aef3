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
    lives on one machine) and count rate limits in one place. Uploads too must
    be shared: a local ``UPLOAD_DIR`` is fine only on one machine or on a folder
    every node mounts (Parley cannot tell which, so it logs a warning at start,
    see ``webapp.storage``); ``UPLOAD_STORE=s3://...`` is shared by design.
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


#: ``S3_ADDRESSING_STYLE``: boto's names. ``path`` (``https://host/bucket/key``) for
#: MinIO and Ceph, ``virtual`` (``https://bucket.host/key``) for AWS, ``auto`` lets boto choose.
ADDRESSING_STYLES = ("auto", "path", "virtual")


def upload_store(url: str) -> tuple[str, str] | None:
    """``UPLOAD_STORE``: empty for the local folder (``UPLOAD_DIR``), or
    ``s3://bucket/prefix`` for an S3-compatible store; returns ``(bucket, prefix)``
    for the latter. Anything else stops the start, naming the setting."""
    url = url.strip()
    if not url:
        return None
    if not url.startswith("s3://"):
        raise ConfigError(f"UPLOAD_STORE must be empty (the folder UPLOAD_DIR) or "
                          f"s3://bucket/prefix, not {url!r}")
    bucket, _, prefix = url[len("s3://"):].partition("/")
    if not bucket:
        raise ConfigError("UPLOAD_STORE=s3://... names no bucket: set "
                          "UPLOAD_STORE=s3://BUCKET or s3://BUCKET/PREFIX")
    return bucket, prefix.strip("/")


def check_s3_settings(config) -> None:
    """The S3 settings that can be checked without the network."""
    endpoint = config.get("S3_ENDPOINT_URL", "")
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise ConfigError(f"S3_ENDPOINT_URL must be an http:// or https:// URL, not "
                          f"{endpoint!r}")
    style = config.get("S3_ADDRESSING_STYLE", "auto")
    if style not in ADDRESSING_STYLES:
        raise ConfigError(f"S3_ADDRESSING_STYLE must be one of {', '.join(ADDRESSING_STYLES)}, "
                          f"not {style!r}")


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
    upload_store(env("UPLOAD_STORE", ""))  # a store it cannot use stops the start here
    check_s3_settings({"S3_ADDRESSING_STYLE": env("S3_ADDRESSING_STYLE", "") or "auto",
                       "S3_ENDPOINT_URL": env("S3_ENDPOINT_URL", "")})
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
        # Borrowers' archives (services.archive), kept a day: outside the web root,
        # and shared by the web app and `parley worker` like UPLOAD_DIR.
        "EXPORT_DIR": env("EXPORT_DIR", "") or str(Path(instance_path) / "exports"),
        # Or an S3-compatible store, shared by every web node (webapp/storage.py):
        # UPLOAD_STORE=s3://bucket/prefix; S3_ENDPOINT_URL for MinIO, Ceph and the
        # like (empty: AWS); credentials from boto's usual places (AWS_ACCESS_KEY_ID
        # and AWS_SECRET_ACCESS_KEY, a profile, an instance role), never from here.
        # S3_CONDITIONAL_PUT=0 for a server that refuses If-None-Match: a put then
        # asks first whether the key exists (not atomic; the keys are random).
        "UPLOAD_STORE": env("UPLOAD_STORE", "").strip(),
        "S3_ENDPOINT_URL": env("S3_ENDPOINT_URL", ""),
        "S3_REGION": env("S3_REGION", ""),
        "S3_ADDRESSING_STYLE": env("S3_ADDRESSING_STYLE", "") or "auto",
        "S3_CONDITIONAL_PUT": env("S3_CONDITIONAL_PUT", "1") == "1",
        "WTF_CSRF_TIME_LIMIT": None,
        # CSRF is checked by cookie_session.csrf_protect (the method first, then
        # Flask-WTF's own check), not by Flask-WTF's hook.
        "WTF_CSRF_CHECK_DEFAULT": False,
        # Rendered case pages kept per worker process (webapp/page_cache.py); 0: none.
        "PAGE_CACHE_SIZE": _int("PAGE_CACHE_SIZE", 512, minimum=0),
        # Answers of POST /api/v1/plan kept per worker process, in bytes
        # (webapp/answer_cache.py); 0: none.
        "PLAN_CACHE_BYTES": _int("PLAN_CACHE_BYTES", 16 * 1024 * 1024, minimum=0),
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
        # "Forgot your password?": links asked for one typed address (any client):
        "PASSWORD_RESET_RATE_LIMIT": env("PASSWORD_RESET_RATE_LIMIT", "3 per hour"),
        # How long a mailed password-reset link works, in seconds.
        "PASSWORD_RESET_MAX_AGE": _int("PASSWORD_RESET_MAX_AGE", 3600, minimum=60),
        # Seconds between a right password and the two-factor code, at most.
        "MFA_PENDING_SECONDS": _int("MFA_PENDING_SECONDS", 300, minimum=30),
        # Sending letters by e-mail: no MAIL_SERVER means "not set up" (the UI
        # then offers "mark as sent" only). MAIL_USE_TLS=1 means STARTTLS.
        # Background jobs (webapp/jobs): RQ on this Redis when set, else a thread
        # of the web process. JOBS_BACKEND=rq|thread|inline overrides the choice.
        "REDIS_URL": env("REDIS_URL", ""),
        "JOBS_BACKEND": env("JOBS_BACKEND", ""),
        "JOBS_QUEUE": env("JOBS_QUEUE", "parley"),
        # Seconds: a running job's heartbeat; a job with none for JOBS_DEAD_AFTER
        # lost its worker; `parley worker` sweeps for those every JOBS_SWEEP_EVERY
        # and mails the reminders due every REMIND_EVERY (webapp/jobs).
        "JOBS_HEARTBEAT": _int("JOBS_HEARTBEAT", 10, minimum=1),
        "JOBS_DEAD_AFTER": _int("JOBS_DEAD_AFTER", 60, minimum=2),
        "JOBS_SWEEP_EVERY": _int("JOBS_SWEEP_EVERY", 60, minimum=1),
        "REMIND_EVERY": _int("REMIND_EVERY", 3600, minimum=1),
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
