"""Erasure: a case, or a whole account, gone for good.

Erasing a case deletes every row under it (budget, debts, proposals,
letters, negotiations, contacts, jobs, calendar links, grants, codes,
counselors' notes and tasks, the caseload's summary and its audit log), the
mail records that name it, its uploaded files (removed once the rows are
committed), and every archive that holds it (``services.archive``). Erasing an
account erases every case it owns, then its tokens, sessions, grants and mail
records, then the account. A counselor's name stays in the audit log of cases
they were granted (the owner's record of who saw their data), by e-mail only.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from ..auth import verify_password
from ..extensions import db
from ..models import (
    AccessCode,
    ApiToken,
    AuditEvent,
    Case,
    CaseGrant,
    CaseNote,
    CaseSummary,
    CaseTask,
    ReminderSent,
    SentMail,
    User,
    UserSession,
)
from . import archive, uploads
from .accounts import N_, AccountError


def _erase(case: Case) -> list[str]:
    """Delete the case and everything under it (not committed); returns the
    storage keys of its uploaded files, to remove once the rows are gone (a
    failure then leaves an orphan file for ``parley sweep-uploads``, never a
    row without its file)."""
    keys = uploads.keys_for(case)
    # Bulk deletes for the rows that can be many or that the ORM does not own;
    # (explicit, so that nothing depends on the database cascading them)
    for model in (AuditEvent, CaseGrant, AccessCode, CaseNote, CaseTask, CaseSummary):
        db.session.execute(delete(model).where(model.case_id == case.id))
    db.session.execute(delete(SentMail).where(SentMail.case_id == case.id))
    db.session.expire(case)
    db.session.delete(case)
    return keys


def erase_case(case: Case) -> None:
    """Erase one case for good, its uploaded files and the archives that hold it included."""
    archives = archive.files_to_erase(case.owner_id, case.id)
    keys = _erase(case)
    db.session.commit()
    uploads.remove_files(keys)
    archive.remove_files(archives)


def erase_account(user: User, password: str) -> None:
    """Erase ``user``'s cases and account; AccountError("password") when the
    password is not theirs (the confirmation step), and nothing is erased."""
    if not verify_password(user.password_hash, password or ""):
        raise AccountError("password", N_("The password is not right."))
    archives = archive.files_to_erase(user.id)
    keys = []
    for case in db.session.scalars(select(Case).where(Case.owner_id == user.id)).all():
        keys += _erase(case)
    for model in (ApiToken, UserSession, SentMail, ReminderSent):
        db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.execute(delete(CaseGrant).where(CaseGrant.counselor_id == user.id))
    # ON DELETE SET NULL, spelled out (the same on every database).
    for column in (AuditEvent.actor_id, CaseGrant.granted_by_id, AccessCode.created_by_id,
                   CaseNote.author_id, CaseTask.created_by_id):
        db.session.execute(update(column.class_).where(column == user.id).values(
            {column.key: None}))
    db.session.flush()
    db.session.delete(user)
    db.session.commit()
    uploads.remove_files(keys)
    archive.remove_files(archives)
