"""The audit log of a case: who did what to it, and when; never the values.

A row names the case, the actor (the account, and its e-mail address at that
moment, so the record still reads right after the address changes or the
account is erased), the time (UTC), the action and the channel (``web`` or
``api``). It records nothing of the case's content. Rows belong to the case:
erasing the case erases its log with it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, now_utc


class AuditAction(StrEnum):
    #: the case was created (a form, an import, the API)
    CREATE = "create"
    #: a page or API call showed the case's data
    VIEW = "view"
    #: something in the case was changed
    CHANGE = "change"
    #: the case or part of it left Parley as a file (case file, letters, evidence)
    EXPORT = "export"
    #: a counselor was given access
    GRANT = "grant"
    #: a counselor's access was revoked
    REVOKE = "revoke"
    #: the owner logged in
    LOGIN = "login"
    #: the case was handed over to a new owner
    HANDOVER = "handover"
    #: the owner set a new password through a link mailed to them
    PASSWORD_RESET = "password-reset"
    #: a counselor added a private note (its text is not logged)
    NOTE_ADD = "note_add"
    #: a counselor removed their note
    NOTE_DELETE = "note_delete"
    #: a counselor added a task
    TASK_ADD = "task_add"
    #: a counselor marked a task done or not done
    TASK_CHANGE = "task_change"
    #: a counselor removed a task
    TASK_DELETE = "task_delete"
    #: a page was shown with the full account and ID numbers (masked by default)
    REVEAL = "reveal"


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    #: the latest events of a case first: one index probe (views are folded by it)
    __table_args__ = (Index("ix_audit_events_case_id_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(16))
    #: ``web`` or ``api``
    via: Mapped[str] = mapped_column(String(8), default="web")
    #: for grant and revoke: whose access (the counselor's e-mail address)
    subject_email: Mapped[str] = mapped_column(String(254), default="")

    case = relationship("Case", backref=backref(
        "audit_events", cascade="all, delete-orphan",
        order_by="AuditEvent.id"))
