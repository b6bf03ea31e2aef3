"""Personal access tokens for the JSON API: make (shown once), resolve, revoke.

A token is ``parley_`` and 43 random URL-safe characters (256 bits); the
database keeps its SHA-256 only. ``last_used_at`` is written at most once every
``TOUCH_EVERY``, so a script calling the API in a loop does not cost a write
per call.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, User
from ..models.types import now_utc
from .accounts import N_, AccountError

PREFIX = "parley_"
TOUCH_EVERY = timedelta(minutes=1)
MAX_NAME = 80
#: Live tokens one account may hold (a runaway script cannot fill the table).
MAX_TOKENS = 50


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns the row and the token, which is never
    shown again. AccountError("name") for a name too long or too many tokens."""
    name = " ".join((name or "").split())
    if len(name) > MAX_NAME:
        raise AccountError("name", N_("Use at most 80 characters."))
    if len(tokens_for(user)) >= MAX_TOKENS:
        raise AccountError("name", N_("You have 50 tokens already: revoke one first."))
    raw = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=digest(raw), created_at=now_utc())
    db.session.add(row)
    db.session.commit()
    return row, raw


def resolve(raw: str | None) -> User | None:
    """The user of a live token, or None (no token, unknown or revoked)."""
    if not raw or len(raw) > 200 or not raw.startswith(PREFIX):
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw)))
    if row is None or row.revoked_at is not None:
        return None
    now = now_utc()
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        row.last_used_at = now
        db.session.commit()
    return row.user


def tokens_for(user: User) -> list[ApiToken]:
    """The user's live tokens, newest first."""
    return list(db.session.scalars(select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).order_by(
        ApiToken.id.desc())))


def revoke(user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False if it is not theirs or already revoked."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = now_utc()
    db.session.commit()
    return True
