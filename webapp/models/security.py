"""Password-reset tokens and two-factor recovery codes.

Both are shown (or mailed) once and stored as a SHA-256 only: they are random
and long, so a copy of the database opens nothing. Each is good once:
``used_at`` is set in the same transaction that relies on it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, now_utc


class PasswordReset(db.Model):
    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the token in the mailed link
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: set when the link set a new password (or a newer link was used): dead from then on
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the code, normalised (no dashes or spaces, lower case)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
