"""Log hygiene: no personal value reaches a log.

Parley's data (names, addresses, e-mail addresses, account numbers) must not
leak into log files, which are kept longer, read by more people and copied to
more places than the database. Three layers:

1. SQLAlchemy runs with ``hide_parameters=True`` (see ``config.py``), so a
   database error no longer carries the bound values;
2. the unhandled-error handler logs the exception *type*, the endpoint and an
   error id, plus a traceback of code lines only (:func:`safe_traceback`):
   never the exception's message, which can quote values (a PostgreSQL
   ``DETAIL: Key (ref)=(…)`` line, ``ValueError(f"bad {value}")``);
3. :func:`install` wraps the process's log-record factory, so every record
   any logger makes (Flask, werkzeug, gunicorn, SQLAlchemy, libraries) has its
   message redacted (:func:`redact`) and any attached exception rendered by
   :func:`safe_traceback`. A record factory, not a handler filter, because
   filters on a logger do not see records propagated from its children and
   handlers are set up by whoever runs the app (gunicorn, werkzeug, pytest).
"""

from __future__ import annotations

import logging
import re
import secrets
import traceback
from contextvars import ContextVar

#: An e-mail address (loosely: anything@anything.tld).
EMAIL = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[A-Za-z0-9-]{2,}")
#: A run of 7 or more digits, possibly grouped by single spaces or dashes:
#: account, card, ID and phone numbers. Dots and colons do not join runs, so
#: IP addresses, amounts and the timestamps in access-log lines stay readable.
DIGITS = re.compile(r"\+?\d(?:[ \-]?\d){6,}")
#: Letters only, so an error id never looks like a number to :data:`DIGITS`.
_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def redact(text: str) -> str:
    """``text`` with e-mail addresses and long digit runs replaced."""
    return DIGITS.sub("[number]", EMAIL.sub("[email]", text))


def new_error_id() -> str:
    """A short random id shown to the user and logged with the error."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def safe_traceback(exc: BaseException) -> str:
    """The traceback as code lines and exception types only: no messages, no locals.

    Follows the chain (``raise ... from``, exceptions during handling) like
    Python's own traceback, oldest first.
    """
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__)
    parts = []
    for i, item in enumerate(reversed(chain)):
        if i:
            parts.append("\nwhich led to:\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(f"{_type_name(item)} (message withheld: it may quote personal data)\n")
    return redact("".join(parts)).rstrip("\n")


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: keep only the template
        message = str(record.msg)
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = safe_traceback(record.exc_info[1])
        # The formatter renders exc_text; clear exc_info so no handler can
        # format the original (message-carrying) exception instead.
        record.exc_info = None
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install() -> None:
    """Redact every log record made in this process (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "parley_redacting", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = current(*args, **kwargs)
        _scrub(record)
        if not hasattr(record, "request_id"):
            record.request_id = _current_request_id()
        return record

    factory.parley_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


# --- structured logs --------------------------------------------------------------

#: What a client may send as X-Request-Id (a proxy's id is kept; anything else
#: is replaced, so a log line can never carry injected text).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id_from(header: str | None) -> str:
    """The proxy's request id when it looks like one, else a new one."""
    if header and _REQUEST_ID.fullmatch(header):
        return header
    return secrets.token_hex(8)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message,
    the request id when the record was made during a request, and the redacted
    traceback. Messages were already redacted by :func:`install`."""

    def format(self, record: logging.LogRecord) -> str:
        import json
        from datetime import UTC, datetime

        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "method", "path", "status", "ms", "endpoint"):
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


#: the request id of a request answered outside Flask (``fast_pages``)
REQUEST_ID: ContextVar[str | None] = ContextVar("parley_request_id", default=None)


def _current_request_id() -> str | None:
    outside_flask = REQUEST_ID.get()
    if outside_flask is not None:
        return outside_flask
    try:
        from flask import g, has_request_context
    except ImportError:  # pragma: no cover
        return None
    if not has_request_context():
        return None
    return g.get("request_id")


def use_json(logger: logging.Logger | None = None, level: int = logging.INFO) -> None:
    """Send ``logger``'s records (the root logger by default) to stderr as JSON lines."""
    import sys

    logger = logger or logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.handlers = [handler]
    logger.setLevel(level)
