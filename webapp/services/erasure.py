"""Erasure: a case, or a whole account, gone for good.

Erasing a case deletes every row under it (budget, debts, proposals,
letters, negotiations, contacts, jobs, calendar links, grants, codes and its
audit log), the mail records that name it, and its uploaded files
(``services.uploads.delete_for_case`` when that module exists). Erasing an
account erases every case it owns, then its tokens, sessions, grants and mail
records, then the account. A counselor's name stays in the audit log of cases
they were granted (the owner's record of who saw their data), by e-mail only.
"""

from __future__ import annotations

import importlib

from sqlalchemy import delete, select, update

from ..auth import verify_password
from ..extensions import db
from ..models import (
    AccessCode,
    ApiToken,
    AuditEvent,
    Case,
    CaseGrant,
    ReminderSent,
    SentMail,
    User,
    UserSession,
)
from .accounts import N_, AccountError


def _delete_uploads(case: Case) -> None:
    # Another part of Parley stores uploads; it may not be installed in this build.
    try:
        uploads = importlib.import_module(f"{__package__}.uploads")
    except ModuleNotFoundError:
        return
    remove = getattr(uploads, "delete_for_case", None)
    if remove is not None:
        remove(case)


def _erase(case: Case) -> None:
    """Delete the case and everything under it (not committed)."""
    _delete_uploads(case)
    # Bulk deletes for the rows that can be many or that the ORM does not own;
    # SQLite here enforces no ON DELETE CASCADE, so nothing is left to it.
    for model in (AuditEvent, CaseGrant, AccessCode):
        db.session.execute(delete(model).where(model.case_id == case.id))
    db.session.execute(delete(SentMail).where(SentMail.case_id == case.id))
    db.session.expire(case)
    db.session.delete(case)


def erase_case(case: Case) -> None:
    """Erase one case for good."""
    _erase(case)
    db.session.commit()


def erase_account(user: User, password: str) -> None:
    """Erase ``user``'s cases and account; AccountError("password") when the
    password is not theirs (the confirmation step), and nothing is erased."""
    if not verify_password(user.password_hash, password or ""):
        raise AccountError("password", N_("The password is not right."))
    for case in db.session.scalars(select(Case).where(Case.owner_id == user.id)).all():
        _erase(case)
    for model in (ApiToken, UserSession, SentMail, ReminderSent):
        db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.execute(delete(CaseGrant).where(CaseGrant.counselor_id == user.id))
    # ON DELETE SET NULL, spelled out: SQLite here does not enforce foreign keys.
    for column in (AuditEvent.actor_id, CaseGrant.granted_by_id, AccessCode.created_by_id):
        db.session.execute(update(column.class_).where(column == user.id).values(
            {column.key: None}))
    db.session.flush()
    db.session.delete(user)
    db.session.commit()
