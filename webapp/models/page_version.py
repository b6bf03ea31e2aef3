"""Every write to a case or to anything of it bumps ``cases.page_version``: the
key of the case's cached pages (``webapp.page_cache``).

``changes`` counts changes to the case *file* only (its ETag must not move when
a letter is written); the pages show more than the file: letters, proposals,
negotiations, jobs, uploads, reminders, sent mail, grants. So this counts any
row with a ``case_id`` (and the case row itself), except the audit log, which
no cached page shows and which a view writes.

Two ways in, so that a new service cannot forget:

* ORM writes: after every flush, the cases of the rows inserted, changed or
  deleted are noted;
* bulk ``UPDATE``/``DELETE`` statements (``session.execute(update(Letter)...)``),
  which no flush sees: the case is read from the statement's ``WHERE case_id =
  ...`` (or ``cases.id = ...``); failing that, the cases the current request
  opened (``services.access.get_case`` notes them); failing that, the whole
  page cache of this process is dropped (and a warning logged).

The bump happens *after* the transaction commits, in a statement of its own:
it never holds the case row's lock inside a writer's transaction, so it adds
no lock-order hazard. A reader that renders between the commit and the bump
can only store the new data under the old number, which no one asks for once
the number moves. ``changes``, ``version`` and ``revision`` (bumped inside the
transaction) are part of the key as well, so a failed bump leaves at worst a
stale list of letters, never a stale budget; it is logged, and this process's
cache is dropped.
"""

from __future__ import annotations

import logging
from itertools import chain

from flask import g, has_request_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event, update
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from .audit import AuditEvent
from .case import Case

log = logging.getLogger("parley.page_cache")
_PENDING = "page_versions_pending"
#: tables a bulk statement on which is no change of any page
_NOT_SHOWN = frozenset({"audit_events"})
#: a bulk write that could not be tied to a case: drop the process's page cache
DROP_ALL = -1


def note_opened(case_id: int) -> None:
    """This request opened the case (``get_case``): a bulk write whose statement
    does not name its case is counted against it."""
    if has_request_context():
        g.setdefault("page_cases", set()).add(case_id)


def _case_of(obj) -> int | None:
    if isinstance(obj, Case):
        return obj.id
    if isinstance(obj, AuditEvent):
        return None
    return getattr(obj, "case_id", None)


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context) -> None:
    ids = {_case_of(obj) for obj in chain(session.new, session.dirty, session.deleted)}
    ids.discard(None)
    if ids:
        session.info.setdefault(_PENDING, set()).update(ids)


def _named_cases(statement, table) -> set[int]:
    """The case ids a statement's WHERE names as ``case_id = n`` (``id = n`` on cases)."""
    column = "id" if table.name == "cases" else "case_id"
    ids: set[int] = set()
    where = getattr(statement, "whereclause", None)
    if where is None:
        return ids
    for element in visitors.iterate(where):
        if not isinstance(element, BinaryExpression) or element.operator is not operators.eq:
            continue
        left, right = element.left, element.right
        if isinstance(left, BindParameter):
            left, right = right, left
        if (getattr(left, "name", None) == column and isinstance(right, BindParameter)
                and getattr(getattr(left, "table", None), "name", None) == table.name
                and isinstance(right.value, int)):
            ids.add(right.value)
    return ids


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table.name in _NOT_SHOWN:
        return
    if table.name != "cases" and "case_id" not in table.c:
        return
    ids = _named_cases(state.statement, table)
    if not ids and has_request_context():
        ids = set(g.get("page_cases", ()))
    if not ids:
        log.warning("bulk write to %s names no case: this process's page cache is dropped",
                    table.name)
        ids = {DROP_ALL}
    state.session.info.setdefault(_PENDING, set()).update(ids)


@event.listens_for(Session, "after_commit")
def _bump(session) -> None:
    ids = session.info.pop(_PENDING, None)
    if not ids:
        return
    from .. import page_cache

    if DROP_ALL in ids:
        page_cache.drop_all()
        ids.discard(DROP_ALL)
    if not ids:
        return
    cases = Case.__table__
    try:
        # A connection of its own: the session's transaction is over (see above).
        with session.get_bind(mapper=Case.__mapper__).begin() as conn:
            conn.execute(update(cases).where(cases.c.id.in_(sorted(ids)))
                         .values(page_version=cases.c.page_version + 1))
    except Exception:  # noqa: BLE001  (the write itself is committed: never fail it now)
        log.exception("page versions not bumped: this process's page cache is dropped")
        page_cache.drop_all()


@event.listens_for(Session, "after_soft_rollback")
def _forget(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: nothing was written
        session.info.pop(_PENDING, None)
