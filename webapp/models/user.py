"""Accounts. A user is a borrower or a counselor; counselors see clients' cases
only by the borrower's per-case consent (see ``services.access``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..crypto import EncryptedText
from ..extensions import db
from .types import UTCDateTime, now_utc


class Role(StrEnum):
    #: works on their own household's cases
    BORROWER = "borrower"
    #: helps clients; sees a client's case only while the client consents
    COUNSELOR = "counselor"


def must_enrol_totp(role: str, totp_enabled_at) -> bool:
    """Whether an account with this role and two-factor state must enrol first
    (``User.must_enrol_totp``; ``fast_pages`` asks it of a row)."""
    return role == Role.COUNSELOR.value and totp_enabled_at is None


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.BORROWER.value)
    locale: Mapped[str | None] = mapped_column(String(10), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    #: when the owner of ``email`` proved it by following the link Parley sent
    #: there (None: not verified; Parley then e-mails no letter for this account)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    #: the TOTP shared secret (base32), set when enrolment starts. Stored as is
    #: for now: it moves to the encrypted column type when that lands (issue 10).
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    #: when the user confirmed the secret with a code: two-factor login is on
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: the last TOTP time step a code was accepted for: a code is good once
    totp_last_step: Mapped[int | None] = mapped_column(Integer(), default=None)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def must_enrol_totp(self) -> bool:
        """Counselors see many clients' cases: they log in with a second factor."""
        return must_enrol_totp(self.role, self.totp_enabled_at)

    #: the token of the server-side session this request runs in (not a column):
    #: set by ``webapp.auth.log_in`` and by the user loader
    session_token = None  # str | None; unannotated, so the ORM does not map it

    def get_id(self) -> str:
        # Flask-Login keeps this in the cookie: a session token, not the user id,
        # so the server can end one session (logout) or all (password change).
        if not self.session_token:
            raise RuntimeError("log users in with webapp.auth.log_in, not login_user")
        return self.session_token
