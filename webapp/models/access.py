"""Who else may open a case: counselors' grants, and the one-time codes that make them.

A grant is per case, never global: a counselor opens a client's case only
while a grant for that case is live (``revoked_at`` is None). Revoking keeps
the row (the owner's record of who had access, and when) and takes effect on
the counselor's next request, because ``services.access.get_case`` reads it
every time.

An access code is a one-time secret the owner shows or sends: ``invite`` (a
counselor types it in and gets a grant) or ``handover`` (the client opens a
link and becomes the owner). Only its SHA-256 is stored; it expires and is
used once (``used_at``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, now_utc
from .user import User


class CaseGrant(db.Model):
    __tablename__ = "case_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    counselor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: who granted it (the owner at the time); None once that account is erased
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    counselor: Mapped[User] = relationship(foreign_keys=[counselor_id], lazy="joined")
    case = relationship("Case", backref=backref(
        "grants", cascade="all, delete-orphan", order_by="CaseGrant.id"))

    @property
    def live(self) -> bool:
        return self.revoked_at is None


class CodeKind(StrEnum):
    #: a counselor types it in and is granted access to the case
    INVITE = "invite"
    #: the client opens the link and becomes the case's owner
    HANDOVER = "handover"


class AccessCode(db.Model):
    __tablename__ = "access_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    #: SHA-256 (hex) of the code; the code itself is shown once and never stored
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    case = relationship("Case", backref=backref(
        "access_codes", cascade="all, delete-orphan"))
