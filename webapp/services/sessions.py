"""Server-side login sessions: start, resolve per request, end.

The cookie carries a random token; the ``user_sessions`` row holds its SHA-256.
A session ends when the user logs out, when the password changes (every other
session of the user), after ``SESSION_IDLE_MINUTES`` without a request, and
``SESSION_MAX_HOURS`` after login whatever happens. ``last_seen_at`` is written
at most once every ``TOUCH_EVERY`` so a busy user does not cost a write per page.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, or_, select

from ..extensions import db
from ..models import User, UserSession
from ..models.types import now_utc

TOUCH_EVERY = timedelta(minutes=1)
#: asked on every request: built once (the profile of a cached page showed
#: building the statement cost a fifth of running it)
_BY_DIGEST = select(UserSession).where(UserSession.token_hash == bindparam("digest"))


def digest(token: str) -> str:
    """What ``user_sessions.token_hash`` holds for ``token``."""
    return hashlib.sha256(token.encode()).hexdigest()


def idle(config=None) -> timedelta:
    """How long a session may go without a request (``config``: the app's)."""
    return timedelta(minutes=(config or current_app.config)["SESSION_IDLE_MINUTES"])


def lifetime(config=None) -> timedelta:
    """How long a session lasts after login, whatever happens."""
    return timedelta(hours=(config or current_app.config)["SESSION_MAX_HOURS"])


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari")]
_SYSTEMS = [("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iOS"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]


def summarise_user_agent(user_agent: str | None) -> str:
    """``"Firefox on Linux"``: a name for the device list, not a fingerprint."""
    ua = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in ua), "")
    system = next((name for mark, name in _SYSTEMS if mark in ua), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def start(user: User, user_agent: str | None = None) -> str:
    """Open a session for ``user``; returns the token for the cookie (shown once)."""
    now = now_utc()
    # Sweep expired rows of every user here (a login is rare enough), so the
    # table holds live sessions only.
    db.session.execute(delete(UserSession).where(or_(
        UserSession.last_seen_at < now - idle(), UserSession.created_at < now - lifetime())))
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=digest(token), user_id=user.id, created_at=now,
                               last_seen_at=now,
                               user_agent=summarise_user_agent(user_agent)))
    db.session.commit()
    user.session_token = token
    return token


def standing(created_at, last_seen_at, now, config=None) -> str:
    """A session's state at ``now``: "ended" (idle too long, or too old), "touch"
    (live, and ``last_seen_at`` is due an update) or "live"."""
    if now - last_seen_at > idle(config) or now - created_at > lifetime(config):
        return "ended"
    return "touch" if now - last_seen_at >= TOUCH_EVERY else "live"


def resolve(token: str) -> User | None:
    """The user of a live session, or None (unknown, idle too long or too old)."""
    if not token or len(token) > 100:
        return None
    record = db.session.scalar(_BY_DIGEST, {"digest": digest(token)})
    if record is None:
        return None
    now = now_utc()
    state = standing(record.created_at, record.last_seen_at, now)
    if state == "ended":
        db.session.delete(record)
        db.session.commit()
        return None
    if state == "touch":
        record.last_seen_at = now
        db.session.commit()
    user = record.user
    user.session_token = token
    return user


def end(token: str | None) -> None:
    """End one session (logout)."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == digest(token)))
        db.session.commit()


def end_others(user: User, keep_token: str | None) -> None:
    """End every session of ``user`` except ``keep_token``'s (password change).

    Does not commit: the caller commits it with the change that requires it.
    """
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        query = query.where(UserSession.token_hash != digest(keep_token))
    db.session.execute(query)
