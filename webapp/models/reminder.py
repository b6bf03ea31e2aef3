"""Reminders already sent, and the private calendar links of a case.

``reminders_sent`` is what makes ``parley remind`` safe to run twice: one row
per user, case, debt, kind and due date, unique, written before the mail goes
out, so an item is mailed once however often the command runs.

A calendar link is a random token; only its SHA-256 is stored, so a copy of
the database does not give anyone a working calendar URL. Revoking sets
``revoked_at``; the URL then answers 404.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, now_utc


class ReminderSent(db.Model):
    __tablename__ = "reminders_sent"
    __table_args__ = (
        UniqueConstraint("user_id", "case_id", "debt_ref", "kind", "due",
                         name="uq_reminders_sent_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the debt's ref in the case file
    debt_ref: Mapped[str] = mapped_column(String(40))
    #: an ``webapp.domain.agenda.Item.kind``: "payment", "follow_up"...
    kind: Mapped[str] = mapped_column(String(20))
    due: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    case = relationship("Case", backref=backref("reminders_sent", cascade="all, delete-orphan"))


class CalendarLink(db.Model):
    __tablename__ = "calendar_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the token in the URL; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: the last day (the case's local date) a fetch of this feed went into the
    #: case's audit log: a calendar app polls every few minutes, the log gets
    #: one row per feed per day (``services.calendar.note_fetch``)
    audited_on: Mapped[date | None] = mapped_column(Date, default=None)

    case = relationship("Case", backref=backref("calendar_links", cascade="all, delete-orphan"))
