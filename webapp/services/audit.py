"""The audit log of each case: every view, change, export, grant, revoke,
handover, login and reveal of the masked numbers, by whom and when; never the values.

Views and changes are recorded for every route at once, so a new page cannot
forget them: ``services.access.get_case`` notes which case a request opened,
a session hook notes which cases a request created or changed (any row that
belongs to a case, except the bookkeeping rows below), and after the request
:func:`record_request` writes one row per case: ``create``, ``change``, else
``export`` for a file download or ``view`` for any other successful GET. Grants,
revocations, handovers and logins are written by the services that do them.

Views are folded: a view is not written when the case's latest event is already
a view by the same person, through the same channel, less than
:data:`VIEW_EVERY` ago. Someone reading a case for an hour leaves one view row
per ten minutes, not one per page, and the log still reads in order: a view
after anything else (a change, a grant, someone else's view) is always
written. Checking costs one indexed read of the latest row
(``ix_audit_events_case_id_id``) instead of an insert and a commit per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import g, has_request_context, request
from flask_sqlalchemy.session import Session
from sqlalchemy import bindparam, event, inspect, select

from ..extensions import db
from ..models import (
    AccessCode,
    AuditAction,
    AuditEvent,
    Case,
    CaseGrant,
    CaseNote,
    CaseSummary,
    CaseTask,
    Job,
    ReminderSent,
    SentMail,
    User,
)
from ..models.types import now_utc

#: Rows that belong to a case but whose writing is not a change of the case:
#: the log itself, access bookkeeping, background jobs, mail records, the
#: caseload's summaries, and counselors' notes and tasks (logged by what they
#: are: ``services.workspace``).
NOT_A_CHANGE = (AuditEvent, CaseGrant, AccessCode, Job, ReminderSent, SentMail, CaseSummary,
                CaseNote, CaseTask)
#: GET endpoints that hand out the case (or part of it) as a file.
EXPORTS = frozenset({"cases.export", "letters.download", "letters.bundle",
                     "negotiations.contact_evidence", "calendar.download"})
_PENDING = "audit_pending"
#: a view within this time of the same person's view (nothing else between) is not written
VIEW_EVERY = timedelta(minutes=10)
_LATEST = (select(AuditEvent.actor_id, AuditEvent.action, AuditEvent.via, AuditEvent.at)
           .where(AuditEvent.case_id == bindparam("case_id"))
           .order_by(AuditEvent.id.desc()).limit(1))


def opened(case: Case, user: User) -> None:
    """Note that this request opened ``case`` as ``user`` (see :func:`record_request`)."""
    if has_request_context():
        g.setdefault("audit_opened", {})[case.id] = user


def revealed(case: Case) -> None:
    """This request shows ``case``'s full account and ID numbers: its view is
    logged as ``reveal`` (the action only, never the numbers)."""
    if has_request_context():
        g.setdefault("audit_revealed", set()).add(case.id)


def note_changed(case_id: int) -> None:
    """A change the session hook cannot see (a bulk SQL write), already committed."""
    if has_request_context():
        done = g.setdefault("audit_committed", {"created": set(), "changed": set(),
                                                "deleted": set()})
        done["changed"].add(case_id)


# --- which cases a request created, changed or deleted: a session hook -------------


def _changed_fields(obj) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.mapper.column_attrs
            if state.attrs[attr.key].history.has_changes()}


def _touched(session) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {"created": set(), "changed": set(), "deleted": set()}
    for obj in session.new:
        if isinstance(obj, Case):
            out["created"].add(obj.id)
        elif not isinstance(obj, NOT_A_CHANGE) and getattr(obj, "case_id", None):
            out["changed"].add(obj.case_id)
    for obj in session.dirty:
        if isinstance(obj, Case):
            if _changed_fields(obj) - {"owner_id"}:  # a new owner is a handover, logged so
                out["changed"].add(obj.id)
        elif (not isinstance(obj, NOT_A_CHANGE) and getattr(obj, "case_id", None)
              and session.is_modified(obj)):
            out["changed"].add(obj.case_id)
    for obj in session.deleted:
        if isinstance(obj, Case):
            out["deleted"].add(obj.id)
        elif not isinstance(obj, NOT_A_CHANGE) and getattr(obj, "case_id", None):
            out["changed"].add(obj.case_id)
    return out


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context) -> None:
    if not has_request_context():
        return
    pending = session.info.setdefault(_PENDING, {"created": set(), "changed": set(),
                                                 "deleted": set()})
    for key, ids in _touched(session).items():
        pending[key] |= ids


@event.listens_for(Session, "after_commit")
def _note_commit(session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending and has_request_context():
        done = g.setdefault("audit_committed", {"created": set(), "changed": set(),
                                                "deleted": set()})
        for key, ids in pending.items():
            done[key] |= ids


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_PENDING, None)


# --- writing the log ----------------------------------------------------------------


def _row(case_id: int, actor: User | None, action: AuditAction, via: str,
         subject_email: str = "") -> AuditEvent:
    return AuditEvent(case_id=case_id, at=now_utc(), actor_id=actor.id if actor else None,
                      actor_email=actor.email if actor else "", action=action.value, via=via,
                      subject_email=subject_email)


def feed_row(case: Case, channel: str) -> AuditEvent:
    """An export by no account: a fetch of the case's calendar link (``channel``
    ``calendar``); the caller adds and commits it."""
    return AuditEvent(case_id=case.id, at=now_utc(), actor_id=None, actor_email="",
                      action=AuditAction.EXPORT.value, via=channel)


#: Who did it, in the API's words, for a row written by no account.
NO_ACCOUNT = {"calendar": "calendar-link"}


def via() -> str:
    """The channel of the current request: ``api`` or ``web``."""
    return "api" if has_request_context() and request.path.startswith("/api/") else "web"


def add(case: Case, actor: User | None, action: AuditAction, subject_email: str = "") -> None:
    """Add one event to the session; the calling service commits it with its change."""
    db.session.add(_row(case.id, actor, action, via(), subject_email))


def record_request(status_code: int, actor: User | None) -> None:
    """Write this request's events (see the module's docstring) and commit them."""
    committed = g.pop("audit_committed", None) or {}
    opened_cases: dict[int, User] = g.pop("audit_opened", None) or {}
    created = committed.get("created", set())
    changed = committed.get("changed", set()) - created
    gone = committed.get("deleted", set())
    events: list[tuple[int, AuditAction]] = [(i, AuditAction.CREATE) for i in created]
    events += [(i, AuditAction.CHANGE) for i in changed]
    revealed = g.pop("audit_revealed", None) or set()
    if request.method == "GET" and status_code < 400:
        action = AuditAction.EXPORT if request.endpoint in EXPORTS else AuditAction.VIEW
        events += [(i, AuditAction.REVEAL if i in revealed else action)
                   for i in opened_cases if i not in created | changed]
    events = [(i, a) for i, a in events if i not in gone]
    channel = via()
    events = [(i, a) for i, a in events
              if a != AuditAction.VIEW or not _seen_just_now(i, opened_cases.get(i, actor),
                                                             channel)]
    if not events:
        return
    # Only cases that still exist (one erased meanwhile takes its log with it).
    alive = set(db.session.scalars(select(Case.id).where(Case.id.in_({i for i, _ in events}))))
    for case_id, action in sorted(events, key=lambda e: (e[0], e[1] != AuditAction.CREATE)):
        if case_id in alive:
            who = opened_cases.get(case_id, actor)
            db.session.add(_row(case_id, who, action, channel))
    db.session.commit()


def _seen_just_now(case_id: int, actor: User | None, channel: str) -> bool:
    """Whether the case's latest event is a view by ``actor`` via ``channel`` within
    :data:`VIEW_EVERY` (see the module's docstring)."""
    if actor is None:
        return False
    latest = db.session.execute(_LATEST, {"case_id": case_id}).first()
    return latest is not None and folds(latest, actor.id, channel, now_utc())


def folds(latest, actor_id: int, channel: str, now) -> bool:
    """Whether a view by ``actor_id`` via ``channel`` at ``now`` writes no row,
    the case's latest event being ``latest`` (its ``actor_id``, ``action``, ``via``
    and ``at``): it is a view by the same person, same channel, within VIEW_EVERY."""
    return (latest.actor_id == actor_id and latest.action == AuditAction.VIEW.value
            and latest.via == channel and now - latest.at < VIEW_EVERY)


def record_login(user: User) -> None:
    """A login of ``user``: one ``login`` event on every case they own."""
    if add_account_event(user, AuditAction.LOGIN):
        db.session.commit()


def add_account_event(user: User, action: AuditAction) -> bool:
    """One ``action`` event on every case ``user`` owns (a login, a password
    reset); the caller commits. False when they own no case."""
    ids = db.session.scalars(select(Case.id).where(Case.owner_id == user.id)).all()
    for case_id in ids:
        db.session.add(_row(case_id, user, action, "web"))
    return bool(ids)


def events_for(case: Case, *, newest_first: bool = False, limit: int | None = None,
               offset: int = 0) -> list[AuditEvent]:
    """The case's events, oldest first (or newest first, a page at a time)."""
    order = (AuditEvent.id.desc(),) if newest_first else (AuditEvent.id,)
    query = select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(*order)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query))


def count_for(case: Case) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.case_id == case.id)) or 0


def as_json(events: Iterable[AuditEvent]) -> list[dict]:
    """The API's form: ``{"at", "actor", "action"}``, the time in UTC (ISO 8601)."""
    return [{"at": e.at.isoformat().replace("+00:00", "Z"),
             "actor": e.actor_email or NO_ACCOUNT.get(e.via, ""),
             "action": e.action} for e in events]
