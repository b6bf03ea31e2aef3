"""Counselors' notes and tasks on a case: private to counselors.

Only a counselor who may open the case (its owner, or a live grant) reads or
writes them; the borrower never sees them, on any page, in the export or the
API, and has no notes of this kind. Each change goes into the case's audit
log as what happened (a note added, a task done...), never its text, so the
borrower still sees who worked on their case and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from werkzeug.exceptions import Forbidden, NotFound

from ..domain.errors import FieldError, ValidationError
from ..domain.text import clean
from ..extensions import db
from ..models import AuditAction, Case, CaseNote, CaseTask, Role, User
from . import audit, caseload

#: Longest note and task title, in characters.
NOTE_MAX = 5000
TITLE_MAX = 200


def _require_counselor(user: User) -> None:
    if user.role != Role.COUNSELOR:
        raise Forbidden("Only counselors keep notes and tasks on a case.")


@dataclass(frozen=True)
class Panel:
    notes: list[CaseNote]
    tasks: list[CaseTask]


def panel(case: Case, user: User) -> Panel | None:
    """The notes and tasks for the case page; None for anyone but a counselor."""
    if user.role != Role.COUNSELOR:
        return None
    return Panel(list(case.case_notes), list(case.case_tasks))


def add_note(case: Case, user: User, body: str) -> CaseNote:
    _require_counselor(user)
    body = clean(body or "").strip()
    if not body:
        raise ValidationError([FieldError("body", "write the note", "required")])
    if len(body) > NOTE_MAX:
        raise ValidationError([FieldError("body", f"is longer than {NOTE_MAX} characters",
                                          "too_long", {"max": NOTE_MAX})])
    note = CaseNote(case_id=case.id, author_id=user.id, author_email=user.email, body=body)
    db.session.add(note)
    audit.add(case, user, AuditAction.NOTE_ADD)
    db.session.commit()
    return note


def _note(case: Case, note_id: int) -> CaseNote:
    note = db.session.get(CaseNote, note_id)
    if note is None or note.case_id != case.id:
        raise NotFound()
    return note


def delete_note(case: Case, user: User, note_id: int) -> None:
    """Remove a note; only its author may."""
    _require_counselor(user)
    note = _note(case, note_id)
    if note.author_id != user.id:
        raise Forbidden("Only the note's author can remove it.")
    db.session.delete(note)
    audit.add(case, user, AuditAction.NOTE_DELETE)
    db.session.commit()


def add_task(case: Case, user: User, title: str, due_on: date | None) -> CaseTask:
    _require_counselor(user)
    title = clean(title or "").strip()
    errors = []
    if not title:
        errors.append(FieldError("title", "say what is to be done", "required"))
    elif len(title) > TITLE_MAX:
        errors.append(FieldError("title", f"is longer than {TITLE_MAX} characters", "too_long",
                                 {"max": TITLE_MAX}))
    if not isinstance(due_on, date):
        errors.append(FieldError("due_on", "give the day it is due", "required"))
    if errors:
        raise ValidationError(errors)
    task = CaseTask(case_id=case.id, title=title, due_on=due_on, created_by_id=user.id)
    case.case_tasks.append(task)
    caseload.set_next_task(case)
    audit.add(case, user, AuditAction.TASK_ADD)
    db.session.commit()
    return task


def _task(case: Case, task_id: int) -> CaseTask:
    task = db.session.get(CaseTask, task_id)
    if task is None or task.case_id != case.id:
        raise NotFound()
    return task


def set_done(case: Case, user: User, task_id: int, done: bool) -> CaseTask:
    _require_counselor(user)
    task = _task(case, task_id)
    task.done = done
    caseload.set_next_task(case)
    audit.add(case, user, AuditAction.TASK_CHANGE)
    db.session.commit()
    return task


def delete_task(case: Case, user: User, task_id: int) -> None:
    _require_counselor(user)
    task = _task(case, task_id)
    case.case_tasks.remove(task)
    db.session.delete(task)
    caseload.set_next_task(case)
    audit.add(case, user, AuditAction.TASK_DELETE)
    db.session.commit()
