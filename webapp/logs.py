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
        return record

    factory.parley_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
