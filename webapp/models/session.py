"""Server-side login sessions.

The browser's signed session cookie carries only a random token; this table
holds its SHA-256, so logging out, changing the password or an idle timeout
ends the session on the server, and a copy of the cookie opens nothing after
that. A stolen database does not yield usable tokens either.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, now_utc
from .user import User


class UserSession(db.Model):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of the token in the cookie; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    #: updated at most once a minute (see services.sessions), not on every request
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)
    #: "Firefox on Linux": enough to recognise a device, not to fingerprint it
    user_agent: Mapped[str] = mapped_column(String(60), default="")

    user: Mapped[User] = relationship(lazy="joined")
