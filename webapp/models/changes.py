"""Every change to a case file bumps ``cases.changes``: the case's ETag moves.

The case file is the case's own fields, its budget items and debts, its
negotiation events and its collection contacts. These are written by many
services (forms, imports, letters marked sent, replies, the contact log, the
API), so rather than trust each of them to remember, one session hook counts:
after every flush that inserted, changed or deleted such a row, one UPDATE adds
1 to ``changes`` of each case concerned. It runs after the rows themselves are
written, so it takes the case row's lock last, as ``services.cases._touch``
does: two writers cannot deadlock.

A writer that bumps the counter itself, under a condition (the API's PUT
with If-Match, ``services.api_cases``), switches the hook off for its own
flushes with :func:`counted_by_caller`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_sqlalchemy.session import Session
from sqlalchemy import event, update

from .case import BudgetItem, Case, Debt
from .negotiation import CollectionContact, NegotiationEvent
from .spending import SpendingReason

#: The rows that make up a case file (``shared/CASEFILE.md``).
CASE_FILE_ROWS = (BudgetItem, Debt, NegotiationEvent, CollectionContact, SpendingReason)
_OFF = "changes_counted_by_caller"
_BUMPED = "changes_bumped"


def _case_id(session, obj) -> int | None:
    if isinstance(obj, Case):
        # The case's own fields; a collection appended to (a grant, a letter)
        # is not a change of the case file.
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            return None
        return obj.id
    if isinstance(obj, CASE_FILE_ROWS):
        if obj in session.dirty and not session.is_modified(obj):
            return None
        return obj.case_id
    return None


@event.listens_for(Session, "after_flush")
def _count_changes(session, _flush_context) -> None:
    if session.info.get(_OFF):
        return
    ids = {_case_id(session, obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    ids.discard(None)
    if ids:
        cases = Case.__table__
        # The connection, not session.execute: no autoflush inside a flush.
        session.connection().execute(
            update(cases).where(cases.c.id.in_(sorted(ids)))
            .values(changes=cases.c.changes + 1))
        session.info.setdefault(_BUMPED, set()).update(ids)


@event.listens_for(Session, "after_flush_postexec")
def _expire_counters(session, _flush_context) -> None:
    ids = session.info.pop(_BUMPED, None)
    if not ids:
        return
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Case) and obj.id in ids:
            session.expire(obj, ["changes"])


@contextmanager
def counted_by_caller(session) -> Iterator[None]:
    """Flushes inside the block do not bump ``changes``: the caller does, itself."""
    session.info[_OFF] = True
    try:
        yield
    finally:
        session.info.pop(_OFF, None)
