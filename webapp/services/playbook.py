"""The creditor playbook of a counselor: ``webapp.domain.playbook`` over the
negotiation records of every case they may open (own and granted, live grants
only). Only aggregates leave here: no case, client or figure of one record."""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import select

from ..domain.playbook import MIN_CASES, CreditorPlaybook, Thread, normalise, playbook
from ..extensions import db
from ..models import Case, Debt, NegotiationEvent, Role, User
from .access import live_grant
from .cases import domain_event


def _threads(user: User, creditor_like: list[str] | None = None) -> list[Thread]:
    """Every debt's record in ``user``'s cases (two queries: debts, then events)."""
    openable = (Case.owner_id == user.id) | live_grant(user.id)
    query = select(Debt.case_id, Debt.ref, Debt.creditor).join(Case).where(openable)
    if creditor_like is not None:
        # A first cut in SQL (the normalised key's first word); exact in Python.
        words = {key.split()[0] for key in creditor_like if key}
        if not words:
            return []
        from sqlalchemy import or_

        query = query.where(or_(*(Debt.creditor.ilike(f"%{w}%") for w in words)))
    debts = db.session.execute(query).all()
    if not debts:
        return []
    events = db.session.scalars(
        select(NegotiationEvent).where(NegotiationEvent.case_id.in_({d.case_id for d in debts}))
        .order_by(NegotiationEvent.case_id, NegotiationEvent.debt_ref,
                  NegotiationEvent.position, NegotiationEvent.id)).all()
    by_debt = {key: tuple(domain_event(e) for e in group)
               for key, group in groupby(events, key=lambda e: (e.case_id, e.debt_ref))}
    return [Thread(d.case_id, d.creditor, by_debt.get((d.case_id, d.ref), ()))
            for d in debts]


def for_counselor(user: User) -> list[CreditorPlaybook]:
    """Every creditor with history across ``user``'s cases (counselors only)."""
    if user.role != Role.COUNSELOR:
        return []
    return playbook(_threads(user), MIN_CASES)


def for_case(user: User, case: Case) -> dict[str, CreditorPlaybook]:
    """The playbook of the creditors of ``case``, by the debt's ref (those with history)."""
    if user.role != Role.COUNSELOR:
        return {}
    keys = {d.ref: normalise(d.creditor) for d in case.debts}
    found = {p.key: p for p in playbook(_threads(user, list(keys.values())), MIN_CASES)}
    return {ref: found[key] for ref, key in keys.items() if key in found}
