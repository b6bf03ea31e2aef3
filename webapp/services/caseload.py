"""A counselor's caseload: every case they may open, a page at a time.

Each case has one summary row (``models.workspace.CaseSummary``) worked out
by the status contract's own code (``webapp.domain.status`` through
``webapp.domain.caseload``) and kept current by a session hook: a commit that
changed a case file (``models.changes`` bumps ``cases.changes``) refreshes
that case's summary in the same transaction. The page then filters, sorts
and counts in SQL, comparing the summary's dates with today where each case's
borrower lives, so it runs the same statements for ten cases or ten thousand.

A summary can still fall behind: a writer that bumps ``changes`` by raw SQL,
the migration's backfill, or an annual review date that has passed (the next
one is a year on). The page's count query counts those too; when there are
any, :func:`refresh_stale` works them out before the page is read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_sqlalchemy.session import Session
from sqlalchemy import case, event, exists, func, literal, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.types import Date

from ..domain.agreements import case_progress
from ..domain.caseload import REVIEW_NOTICE_DAYS, Line, Row, next_line, row_for, summary_dates
from ..domain.status import creditor_statuses
from ..extensions import db
from ..models import Case, CaseGrant, CaseSummary, Debt, User
from ..models.changes import _case_id
from ..models.types import JURISDICTION_TIME_ZONES, local_date, now_utc

log = logging.getLogger(__name__)

#: Cases per page.
PER_PAGE = 25
#: The filters, by their name in the URL.
FILTERS = ("overdue", "awaiting", "arrears", "review")
#: Stale summaries worked out per request at most (the rest on the next ones).
STALE_BATCH = 500
_DIRTY = "caseload_dirty"


# --- keeping summaries current ------------------------------------------------------


def compute(case: Case) -> dict:
    """The summary's columns for ``case`` now (the status contract's code)."""
    from .cases import to_domain
    from .negotiations import status_day

    day = status_day(case)
    domain = to_domain(case)
    states = creditor_statuses(domain, day)
    rows = [row_for(s) for s in states]
    dates = summary_dates(rows)
    progress = case_progress(domain, states, day)
    tasks = [t.due_on for t in case.case_tasks if not t.done]
    return dict(
        computed_changes=case.changes, computed_on=day,
        last_event_on=max((e.on for e in case.negotiation_events), default=None),
        total_owed=sum((d.balance for d in case.debts), Decimal("0")),
        next_due=dates.next_due, reply_by=dates.reply_by, payment_due=dates.payment_due,
        review_on=progress.next_review if progress else None,
        next_task_on=min(tasks, default=None), rows=[r.to_json() for r in rows])


def refresh(case: Case) -> CaseSummary:
    """Bring the case's summary up to date (in the session; the caller commits)."""
    summary = case.summary or CaseSummary(case_id=case.id)
    try:
        values = compute(case)
    except Exception:  # a record the contract refuses: list the case, without statuses
        log.warning("caseload summary of case %s could not be worked out", case.id,
                    exc_info=True)
        values = dict(computed_changes=case.changes, rows=[], next_due=None, reply_by=None,
                      payment_due=None, review_on=None)
    for key, value in values.items():
        setattr(summary, key, value)
    if case.summary is None:
        case.summary = summary
    return summary


def set_next_task(case: Case) -> None:
    """The summary's next task after a task changed (the caller commits)."""
    summary = case.summary or refresh(case)
    summary.next_task_on = min((t.due_on for t in case.case_tasks if not t.done),
                               default=None)


@event.listens_for(Session, "after_flush")
def _note_changed(session, _flush_context) -> None:
    ids = {_case_id(session, obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    ids.discard(None)
    if ids:
        session.info.setdefault(_DIRTY, set()).update(ids)


@event.listens_for(Session, "before_commit")
def _refresh_changed(session) -> None:
    if not session.info.get(_DIRTY) and not session.new and not session.dirty:
        return
    session.flush()
    ids = session.info.pop(_DIRTY, None)
    if not ids:
        return
    for changed in session.scalars(select(Case).where(Case.id.in_(sorted(ids)))):
        refresh(changed)
    session.flush()
    session.info.pop(_DIRTY, None)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_DIRTY, None)


def refresh_stale(ids: list[int]) -> None:
    """Work out these cases' summaries, loading them in a fixed number of queries."""
    cases = db.session.scalars(select(Case).where(Case.id.in_(ids)).options(
        selectinload(Case.debts), selectinload(Case.items), selectinload(Case.negotiation_events),
        selectinload(Case.collection_contacts), selectinload(Case.spending_reasons),
        selectinload(Case.case_tasks), selectinload(Case.summary))).all()
    for c in cases:
        refresh(c)
    db.session.commit()


def refresh_all(batch: int = STALE_BATCH) -> int:
    """Every stale summary (``parley caseload-refresh``); returns how many."""
    done = 0
    while True:
        ids = db.session.scalars(select(Case.id).outerjoin(CaseSummary).where(
            _stale(_today_by_jurisdiction())).order_by(Case.id).limit(batch)).all()
        if not ids:
            return done
        refresh_stale(list(ids))
        done += len(ids)


# --- the page -----------------------------------------------------------------------


def _today_by_jurisdiction(days: int = 0):
    """SQL: today (plus ``days``) where each case's borrower lives."""
    moment = now_utc()
    whens = [(Case.jurisdiction == j, literal(local_date(moment, j) + timedelta(days), Date))
             for j in JURISDICTION_TIME_ZONES]
    return case(*whens, else_=literal(local_date(moment, "other") + timedelta(days), Date))


def _day(today):
    """SQL: the status day (``negotiations.status_day``): today, or the last event's day."""
    return case((CaseSummary.last_event_on > today, CaseSummary.last_event_on), else_=today)


def _stale(today):
    return or_(CaseSummary.case_id.is_(None),
               CaseSummary.computed_changes != Case.changes,
               CaseSummary.review_on < today)


def _conditions(today) -> dict:
    day = _day(today)
    return {
        "overdue": CaseSummary.next_due < day,
        "awaiting": CaseSummary.reply_by.is_not(None),
        "arrears": CaseSummary.payment_due < day,
        "review": CaseSummary.review_on <= _today_by_jurisdiction(REVIEW_NOTICE_DAYS),
    }


def _openable(user: User):
    granted = select(CaseGrant.case_id).where(CaseGrant.counselor_id == user.id,
                                              CaseGrant.revoked_at.is_(None))
    return or_(Case.owner_id == user.id, Case.id.in_(granted))


def _search(q: str):
    """SQL: the case's title, the client's e-mail or name, or a creditor's name
    contains ``q`` (never the borrower's personal fields: they are encrypted)."""
    like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(Case.title.ilike(like, escape="\\"), User.email.ilike(like, escape="\\"),
               User.display_name.ilike(like, escape="\\"),
               exists().where(Debt.case_id == Case.id, Debt.creditor.ilike(like, escape="\\")))


@dataclass(frozen=True)
class Entry:
    """One case on the page."""

    public_id: str
    title: str
    created_on: date
    currency: str
    #: the client: the owner's name or e-mail (None: the counselor's own case)
    client: str | None
    total_owed: Decimal
    next: Line | None
    creditors: int
    next_task_on: date | None
    day: date

    @property
    def task_overdue(self) -> bool:
        return self.next_task_on is not None and self.next_task_on < self.day


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    #: cases per filter ("all" and each of FILTERS), within the search
    counts: dict[str, int]
    page: int
    pages: int
    filter: str
    q: str

    @property
    def total(self) -> int:
        return self.counts[self.filter or "all"]


def page(user: User, *, filter_: str = "", q: str = "", number: int = 1) -> Page:
    """One page of ``user``'s caseload: overdue first, then by the next due date."""
    today = _today_by_jurisdiction()
    conditions = _conditions(today)
    base = [_openable(user)]
    q = q.strip()[:100]
    if q:
        base.append(_search(q))
    counts_query = (select(func.count(), *(func.sum(case((c, 1), else_=0))
                                           for c in conditions.values()),
                           func.sum(case((_stale(today), 1), else_=0)))
                    .select_from(Case).join(User, User.id == Case.owner_id)
                    .outerjoin(CaseSummary, CaseSummary.case_id == Case.id).where(*base))
    row = db.session.execute(counts_query).one()
    if row[-1]:
        stale = db.session.scalars(select(Case.id).outerjoin(CaseSummary).where(
            _openable(user), _stale(today)).limit(STALE_BATCH)).all()
        refresh_stale(list(stale))
        row = db.session.execute(counts_query).one()
    counts = {"all": row[0], **{name: row[i + 1] or 0 for i, name in enumerate(conditions)}}
    where = list(base)
    if filter_ in conditions:
        where.append(conditions[filter_])
    else:
        filter_ = ""
    total = counts[filter_ or "all"]
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(1, number), pages)
    day = _day(today)
    overdue = case((CaseSummary.next_due < day, 0), else_=1)
    rows = db.session.execute(
        select(Case.public_id, Case.title, Case.created_at, Case.currency, Case.owner_id,
               User.email, User.display_name, CaseSummary.total_owed, CaseSummary.rows,
               CaseSummary.next_task_on, day.label("day"))
        .join(User, User.id == Case.owner_id)
        .outerjoin(CaseSummary, CaseSummary.case_id == Case.id).where(*where)
        .order_by(overdue, CaseSummary.next_due.asc().nulls_last(), Case.id)
        .limit(PER_PAGE).offset((number - 1) * PER_PAGE)).all()
    entries = []
    for r in rows:
        day_of = r.day if isinstance(r.day, date) else date.fromisoformat(r.day)
        stored = [Row.from_json(x) for x in (r.rows or [])]
        entries.append(Entry(
            r.public_id, r.title or "", r.created_at.date(), r.currency,
            None if r.owner_id == user.id else (r.display_name or r.email),
            r.total_owed or Decimal("0"), next_line(stored, day_of), len(stored),
            r.next_task_on, day_of))
    return Page(entries, counts, number, pages, filter_, q)


__all__ = ["FILTERS", "PER_PAGE", "Entry", "Page", "page", "refresh", "refresh_all",
           "refresh_stale", "set_next_task"]
