"""A counselor's caseload: every case they may open, a page at a time.

Each case has one summary row (``models.workspace.CaseSummary``) worked out
by the status contract's own code (``webapp.domain.status`` through
``webapp.domain.caseload``) and kept current by a session hook: a commit that
changed a case file (``models.changes`` bumps ``cases.changes``) refreshes
that case's summary in the same transaction. The page then filters, sorts
and counts in SQL, comparing the summary's dates with today where each case's
borrower lives, so it runs the same statements for ten cases or ten thousand.

Whether a case is overdue depends on today where its borrower lives, so a
summary stores the *moments* (UTC) its dates start to count there
(``overdue_at``...), and the page compares them with one bound ``now``.

A summary is worked out again without a change when its annual review has
passed (the next one is a year on) or the migration's backfill left it
unworked (``expires_at``): the page's count query counts those, and
:func:`refresh_stale` works them out first. Every ORM write is caught by the
hook, the API's SQL writes included (they add the rows through the session);
a bulk SQL write outside the ORM is followed by ``parley caseload-refresh``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_sqlalchemy.session import Session
from sqlalchemy import case, event, func, or_, select
from sqlalchemy.orm import object_session, selectinload

from ..domain.agreements import case_progress
from ..domain.caseload import REVIEW_NOTICE_DAYS, Line, Row, next_line, row_for, summary_dates
from ..domain.status import creditor_statuses
from ..extensions import db
from ..models import Case, CaseGrant, CaseSummary, User
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
    last = max((e.on for e in case.negotiation_events), default=None)
    review = progress.next_review if progress else None
    zone = case.jurisdiction

    def late_from(due: date | None) -> datetime | None:
        """From when ``due`` is past: the start of the next day where the borrower
        lives; at once when the record already holds a later event (``status_day``)."""
        if due is None:
            return None
        when = _midnight(due + timedelta(days=1), zone)
        return min(when, now_utc()) if last is not None and last > due else when

    return dict(
        computed_changes=case.changes, computed_on=day, last_event_on=last,
        total_owed=sum((d.balance for d in case.debts), Decimal("0")),
        next_due=dates.next_due, reply_by=dates.reply_by, payment_due=dates.payment_due,
        review_on=review, overdue_at=late_from(dates.next_due),
        arrears_at=late_from(dates.payment_due),
        review_at=_midnight(review - timedelta(days=REVIEW_NOTICE_DAYS), zone) if review else None,
        expires_at=_midnight(review + timedelta(days=1), zone) if review else None,
        next_task_on=min(tasks, default=None), rows=[r.to_json() for r in rows],
        **_identity(case))


def _identity(case: Case) -> dict:
    """What the search reads (kept even when the statuses cannot be worked out)."""
    return dict(owner_id=case.owner_id, search_text="\n".join(
        [case.title or "", *(d.creditor for d in case.debts)]).lower())


def _midnight(day: date, jurisdiction: str) -> datetime:
    """The start of ``day`` where the borrower lives, in UTC."""
    zone = ZoneInfo(JURISDICTION_TIME_ZONES.get(jurisdiction, "UTC"))
    return datetime.combine(day, time(), zone).astimezone(UTC)


_LOOK_UP = object()


def refresh(case: Case, summary: CaseSummary | None = _LOOK_UP) -> CaseSummary:
    """Bring the case's summary up to date (in the session; the caller commits).
    ``summary``: the case's summary, or None when it has none, if already known.

    The summary is added by its ``case_id``, never through ``case.summary``:
    setting that would make the case itself look changed (its ETag would move)."""
    session = object_session(case) or db.session  # the hook's own session, whichever
    if summary is _LOOK_UP:
        summary = session.get(CaseSummary, case.id)
    if summary is None:
        summary = CaseSummary(case_id=case.id)
        session.add(summary)
    try:
        values = compute(case)
    except Exception as exc:  # a record the contract refuses: list it, without statuses
        # The error's name only: its text may quote the case's data.
        log.warning("caseload summary of case %s could not be worked out: %s", case.id,
                    type(exc).__name__)
        values = dict(computed_changes=case.changes, rows=[], next_due=None, reply_by=None,
                      payment_due=None, review_on=None, overdue_at=None, arrears_at=None,
                      review_at=None, expires_at=None, **_identity(case))
    for key, value in values.items():
        setattr(summary, key, value)
    return summary


def set_next_task(case: Case) -> None:
    """The summary's next task after a task changed (the caller commits)."""
    summary = db.session.get(CaseSummary, case.id) or refresh(case)
    summary.next_task_on = min((t.due_on for t in case.case_tasks if not t.done),
                               default=None)


@event.listens_for(Session, "after_flush")
def _note_changed(session, _flush_context) -> None:
    """Remember which cases' files this flush changed (as ``models.changes`` counts)."""
    ids = {_case_id(session, obj) for obj in (*session.new, *session.dirty, *session.deleted)}
    ids.discard(None)
    if ids:
        session.info.setdefault(_DIRTY, set()).update(ids)


@event.listens_for(Session, "before_commit")
def _refresh_changed(session) -> None:
    """Before the commit: work out the summaries of the cases this transaction
    changed, so they are committed with the change (or not at all)."""
    if not session.info.get(_DIRTY) and not session.new and not session.dirty:
        return
    session.flush()
    ids = session.info.pop(_DIRTY, None)
    if not ids:
        return
    for changed in session.scalars(select(Case).where(Case.id.in_(sorted(ids)))):
        # Read the case as the transaction left it: a writer may have replaced
        # its rows by SQL (the API's PUT), behind the loaded collections' back.
        session.expire(changed)
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
        selectinload(Case.case_tasks))).all()
    summaries = {s.case_id: s for s in db.session.scalars(
        select(CaseSummary).where(CaseSummary.case_id.in_(ids)))}
    with db.session.no_autoflush:
        for c in cases:
            refresh(c, summaries.get(c.id))
    db.session.commit()


def refresh_all(batch: int = STALE_BATCH) -> int:
    """Every summary missing, stale or behind its case's ``changes`` (``parley
    caseload-refresh``, after a bulk SQL write); returns how many were worked out."""
    done, after = 0, 0
    while True:
        ids = db.session.scalars(
            select(Case.id).outerjoin(CaseSummary).where(
                Case.id > after, or_(CaseSummary.case_id.is_(None),
                                     CaseSummary.computed_changes != Case.changes,
                                     _stale(now_utc())))
            .order_by(Case.id).limit(batch)).all()
        if not ids:
            return done
        refresh_stale(list(ids))
        done, after = done + len(ids), ids[-1]


# --- the page -----------------------------------------------------------------------


def _stale(now):
    """SQL: the summary must be worked out again though the case did not change
    (a review date passed, or the migration's backfill left it unworked)."""
    return CaseSummary.expires_at <= now


def _conditions(now) -> dict:
    return {
        "overdue": CaseSummary.overdue_at <= now,
        "awaiting": CaseSummary.reply_by.is_not(None),
        "arrears": CaseSummary.arrears_at <= now,
        "review": CaseSummary.review_at <= now,
    }


def _mine(user: User):
    """SQL: the summary is of a case ``user`` may open (owned, or a live grant).
    Two hashed sub-selects over the summaries alone: no join of every case."""
    granted = select(CaseGrant.case_id).where(CaseGrant.counselor_id == user.id,
                                              CaseGrant.revoked_at.is_(None))
    owned = select(Case.id).where(Case.owner_id == user.id)
    return or_(CaseSummary.case_id.in_(granted), CaseSummary.case_id.in_(owned))


def _search(q: str):
    """SQL: the case's title or a creditor's name (the summary's ``search_text``),
    or the client's e-mail or name, contains ``q``; never the borrower's
    personal fields (they are encrypted)."""
    like = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
        "_", "\\_") + "%"
    clients = select(User.id).where(or_(func.lower(User.email).like(like, escape="\\"),
                                        func.lower(User.display_name).like(like, escape="\\")))
    return or_(CaseSummary.search_text.like(like, escape="\\"),
               CaseSummary.owner_id.in_(clients))


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


def _scope(user: User, q: str, *columns):
    """SELECT ``columns`` from the summaries of ``user``'s cases (no join: the
    summary holds what the filters, the sort and the search read)."""
    query = select(*columns).select_from(CaseSummary).where(_mine(user))
    if q:
        query = query.where(_search(q))
    return query


def _counted_page(user: User, q: str, filter_: str, number: int, now):
    """One statement: the page's case ids, sorted on the summaries alone, each
    row carrying the caseload's counts (window aggregates over every case in
    the search). With a filter, its cases sort first and the page stops where
    they end, so the counts of the other filters are still of the whole search.
    Returns (ids, counts, stale), or None when the page lies past the end."""
    conditions = _conditions(now)
    counts = [func.count().over(), *(func.count().filter(c).over() for c in conditions.values()),
              func.count().filter(_stale(now)).over()]
    order = [case((conditions[filter_], 0), else_=1)] if filter_ else []
    order += [case((CaseSummary.overdue_at <= now, 0), else_=1),
              CaseSummary.next_due.asc().nulls_last(), CaseSummary.case_id]
    offset = (number - 1) * PER_PAGE
    rows = db.session.execute(_scope(user, q, CaseSummary.case_id, *counts)
                              .order_by(*order).limit(PER_PAGE).offset(offset)).all()
    if not rows:
        return None
    first = rows[0]
    numbers = {"all": first[1], **{name: first[i + 2] for i, name in enumerate(conditions)}}
    shown = numbers[filter_ or "all"] - offset
    return [r[0] for r in rows[:max(0, shown)]], numbers, first[-1]


def page(user: User, *, filter_: str = "", q: str = "", number: int = 1) -> Page:
    """One page of ``user``'s caseload: overdue first, then by the next due date.
    Two statements whatever the caseload: the page's case ids with every count,
    then those cases with their clients (more when some summaries had to be
    worked out first, or the page asked for lies past the end)."""
    now = now_utc()
    q = q.strip()[:100]
    if filter_ not in FILTERS:
        filter_ = ""
    number = max(1, number)
    found = _counted_page(user, q, filter_, number, now)
    if found is not None and found[2]:
        stale = db.session.scalars(_scope(user, "", CaseSummary.case_id).where(_stale(now))
                                   .limit(STALE_BATCH)).all()
        refresh_stale(list(stale))
        found = _counted_page(user, q, filter_, number, now)
    if found is None:  # past the end (or nothing at all): the counts alone
        conditions = _conditions(now)
        row = db.session.execute(_scope(user, q, func.count(), *(
            func.count().filter(c) for c in conditions.values()))).one()
        found = [], {"all": row[0], **{n: row[i + 1] for i, n in enumerate(conditions)}}, 0
    ids, counts, _stale_count = found
    pages = max(1, -(-counts[filter_ or "all"] // PER_PAGE))
    details = {r.id: r for r in db.session.execute(
        select(Case.id, Case.public_id, Case.title, Case.created_at, Case.currency,
               Case.jurisdiction, Case.owner_id, User.email, User.display_name,
               CaseSummary.total_owed, CaseSummary.rows, CaseSummary.next_task_on,
               CaseSummary.last_event_on)
        .join(CaseSummary, CaseSummary.case_id == Case.id)
        .join(User, User.id == Case.owner_id).where(Case.id.in_(ids)))} if ids else {}
    entries = []
    for r in (details[i] for i in ids if i in details):
        day = local_date(now, r.jurisdiction)
        if r.last_event_on is not None and r.last_event_on > day:
            day = r.last_event_on
        stored = [Row.from_json(x) for x in (r.rows or [])]
        entries.append(Entry(
            r.public_id, r.title or "", r.created_at.date(), r.currency,
            None if r.owner_id == user.id else (r.display_name or r.email),
            r.total_owed or Decimal("0"), next_line(stored, day), len(stored),
            r.next_task_on, day))
    return Page(entries, counts, number, pages, filter_, q)
