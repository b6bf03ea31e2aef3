"""A counselor's workspace: the caseload's per-case summary, and the notes and
tasks counselors keep on a case.

``CaseSummary`` is derived data, one row per case: what the caseload page
filters, sorts and shows, so that page reads one row per case instead of
working out every case's status on every request. It is written by
``services.caseload`` whenever the case file changes (``cases.changes`` moves:
``computed_changes`` says which change it reflects) and holds *dates*, not
verdicts: whether a follow-up is overdue depends on today, so the page
compares those dates with today in SQL (``webapp.domain.caseload`` says how).

Notes and tasks are for counselors only: the borrower never sees them (they
are not part of the case file, its export or its API). Erasing the case
removes them (ON DELETE CASCADE, and the ORM cascade for SQLite's sake).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .types import UTCDateTime, now_utc


class CaseSummary(db.Model):
    __tablename__ = "case_summaries"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: the ``cases.changes`` this summary reflects (0: never computed)
    computed_changes: Mapped[int] = mapped_column(default=0, server_default="0")
    #: the day the statuses were worked out for
    computed_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: the latest event's day: the status day is never before it (``status_day``)
    last_event_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: Σ balances of the case's debts, in the case's currency: up to 100 debts
    #: of the largest balance ``Money`` holds, so four more digits than it
    total_owed: Mapped[Decimal] = mapped_column(Numeric(18, 2, asdecimal=True),
                                                default=Decimal("0"), server_default="0")
    #: the earliest due date of any creditor's next action (overdue when before today)
    next_due: Mapped[date | None] = mapped_column(Date, default=None)
    #: the earliest reply-by date of a letter not yet answered (None: none out)
    reply_by: Mapped[date | None] = mapped_column(Date, default=None)
    #: the earliest next payment of a running agreement (in arrears when before today)
    payment_due: Mapped[date | None] = mapped_column(Date, default=None)
    #: the earliest next annual review of a running agreement
    review_on: Mapped[date | None] = mapped_column(Date, default=None)
    # The moments (UTC) the dates above start to count where the borrower lives:
    # the page compares them with now, one bound value for every case and zone.
    #: from when a creditor's next action is overdue (the day after ``next_due``)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: from when a running agreement is in arrears (the day after ``payment_due``)
    arrears_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: from when the next annual review is listed as due (some days before it)
    review_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: when this summary must be worked out again though nothing changed (the
    #: review it names has passed: the next one is a year on)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: the earliest due date of a task not done (kept by ``services.workspace``)
    next_task_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: the case's owner (the client), for the search by the client's name or e-mail
    owner_id: Mapped[int | None] = mapped_column(default=None)
    #: what the caseload's search reads, lower case: the case's title and its
    #: creditors' names (never the borrower's own fields: they are encrypted)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: per creditor: {"creditor", "base", "due"} (``webapp.domain.caseload.Row``)
    rows: Mapped[list] = mapped_column(JSON, default=list)

    case = relationship("Case", backref=backref(
        "summary", uselist=False, cascade="all, delete-orphan", passive_deletes=True))


class CaseNote(db.Model):
    """A counselor's note on a case: seen by counselors with access, never the borrower."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    #: the author's e-mail at the time (the note still reads right after erasure)
    author_email: Mapped[str] = mapped_column(String(254), default="")
    # Plain text for now: the column is meant to become the encrypted type.
    body: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    case = relationship("Case", backref=backref(
        "case_notes", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CaseNote.id.desc()"))


class CaseTask(db.Model):
    """Something a counselor has to do for a case, by a day."""

    __tablename__ = "case_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(EncryptedText)
    due_on: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    case = relationship("Case", backref=backref(
        "case_tasks", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(CaseTask.done, CaseTask.due_on, CaseTask.id)"))
