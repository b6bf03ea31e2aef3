"""The stored case as the JSON API serves it: the case file, its plan and
status, a summary for the list, and a whole-file replace guarded by its ETag.

Plan and status are worked out from the exported case file read back by the
same parser as ``parley plan`` and ``parley status``, so the API answers
exactly what the CLI prints for the file the export gives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select, update
from sqlalchemy.orm import selectinload

from ..domain import model as dm
from ..domain.casefile import loads
from ..domain.errors import ValidationError
from ..domain.limits import MAX_SCHEDULE_ENTRIES
from ..domain.money import cents
from ..domain.plan import make_plan
from ..domain.status import creditor_statuses, make_status
from ..extensions import db
from ..models import (
    BudgetItem,
    Case,
    CollectionContact,
    Debt,
    NegotiationEvent,
    SpendingReason,
    User,
)
from ..models.changes import counted_by_caller
from ..models.types import local_date, now_utc
from . import audit
from .cases import case_values, child_rows, etag_for, export_case, import_case


class PreconditionFailed(Exception):
    """The case changed since the ETag the client sent: nothing was written."""


def exported(case: Case) -> dm.Case:
    """The case as ``parley`` reads its exported case file."""
    return loads(json.dumps(export_case(case), ensure_ascii=False))


def today_of(case: Case) -> date:
    """Today where the borrower lives (the case's jurisdiction)."""
    return local_date(now_utc(), case.jurisdiction)


def plan_of(case: Case, schedule: str = "monthly") -> dict:
    return make_plan(exported(case), schedule=schedule,
                     max_schedule_entries=MAX_SCHEDULE_ENTRIES)


def status_of(case: Case, today: date | None = None) -> dict:
    """``parley status`` on the exported file; ValidationError for an event after ``today``."""
    parsed = exported(case)
    return make_status(parsed, today or local_date(now_utc(), parsed.jurisdiction))


@dataclass(frozen=True)
class Summary:
    case: Case
    total_owed: Decimal
    next_action: str | None
    next_due: date | None

    def as_json(self) -> dict:
        return {"id": self.case.public_id, "owner": self.case.owner.email,
                "currency": self.case.currency, "jurisdiction": self.case.jurisdiction,
                "total_owed": str(cents(self.total_owed)), "next_action": self.next_action,
                "next_due": self.next_due.isoformat() if self.next_due else None}


def _next_step(case: Case) -> tuple[str | None, date | None]:
    """The most pressing creditor's next action and its date: the earliest due
    date first, then an action without a date (write), else ``none``.
    (None, None) when the record has events after today (nothing can be said)."""
    from .cases import to_domain

    try:
        rows = creditor_statuses(to_domain(case), today_of(case))
    except ValidationError:
        return None, None
    pending = [r for r in rows if r.next_action.value != "none"]
    if not pending:
        return "none", None
    first = min(pending, key=lambda r: (r.due is None, r.due or date.max))
    return first.next_action.value, first.due


def summaries(cases: list[Case]) -> list[Summary]:
    """One line per case for ``GET /api/v1/cases``."""
    ids = [c.id for c in cases]
    if ids:  # load what the status needs in a few queries, not a few per case
        db.session.scalars(select(Case).where(Case.id.in_(ids)).options(
            selectinload(Case.items), selectinload(Case.debts), selectinload(Case.owner),
            selectinload(Case.negotiation_events),
            selectinload(Case.collection_contacts))).all()
    out = []
    for case in cases:
        action, due = _next_step(case)
        total = sum((d.balance for d in case.debts), Decimal(0))
        out.append(Summary(case, total, action, due))
    return out


def create_from_file(owner: User, text: bytes) -> Case:
    """A new case from a case file (ValidationError, nothing stored, if invalid)."""
    return import_case(owner, text)


def if_match_allows(header: str, case: Case) -> bool:
    """Whether ``If-Match`` names the case's current ETag (strong comparison; ``*``
    matches any stored case)."""
    header = header.strip()
    if header == "*":
        return True
    current = etag_for(case)
    return any(tag.strip() == current for tag in header.split(","))


def replace(case: Case, text: bytes, if_match: str) -> None:
    """Replace the case file with ``text`` if the case is still at ``if_match``.

    ValidationError (nothing written) for an invalid file; PreconditionFailed
    (nothing written) when the case changed since that ETag, also when another
    writer changes it while this one runs: the case row is updated last, on the
    condition that its counters are still those this request read, so of two
    writers based on the same ETag exactly one wins.
    """
    parsed = loads(text)  # the request's own checks first, then its precondition
    if not if_match_allows(if_match, case):
        raise PreconditionFailed()
    seen = (case.version, case.revision, case.changes)
    case_id = case.id
    cases = Case.__table__
    with counted_by_caller(db.session):
        # Children first, the case row last: the order every writer locks in.
        for model in (BudgetItem, Debt, NegotiationEvent, CollectionContact, SpendingReason):
            table = model.__table__
            db.session.execute(delete(table).where(table.c.case_id == case_id))
        for row in child_rows(parsed):
            row.case_id = case_id
            db.session.add(row)
        db.session.flush()
        won = db.session.execute(
            update(cases).where(cases.c.id == case_id, cases.c.version == seen[0],
                                cases.c.revision == seen[1], cases.c.changes == seen[2])
            .values(**case_values(parsed), version=cases.c.version + 1,
                    revision=cases.c.revision + 1, changes=cases.c.changes + 1,
                    updated_at=now_utc())).rowcount
        if won != 1:
            db.session.rollback()
            raise PreconditionFailed()
        db.session.commit()
    audit.note_changed(case_id)
    db.session.expire(case)
