"""Plans and saved proposals.

A proposal freezes the case file and the chosen strategy's result at the
moment it is saved. Letters and negotiations refer to the proposal, so a later
budget change never silently changes what was offered; ``is_stale`` tells the
page to offer a re-plan instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..domain.advice import PriorityLine, Warning, priority_lines, warnings
from ..domain.budget import summarise
from ..domain.casefile import dump_case, parse_case
from ..domain.errors import FieldError, ValidationError
from ..domain.model import Case as DomainCase
from ..domain.plan import (
    STRATEGIES,
    available_changes,
    budget_json,
    compute_strategies,
    make_plan,
    strategy_json,
)
from ..domain.recommend import Recommendation, recommendation
from ..domain.recovery import recovery
from ..domain.revision import offered_monthly, revised_strategy
from ..domain.text import clean
from ..extensions import db
from ..models import Case, Proposal
from .cases import to_domain
from .concurrency import Conflict


def plan_for(case: Case):
    """Budget, every strategy's result, the per-creditor recovery and the total
    owed to non-priority creditors, for the page (the case is converted once)."""
    budget, results, rec, opening, _ = plan_with_advice(case)
    return budget, results, rec, opening


@dataclass(frozen=True)
class Advice:
    """What the plan page says before the options (issues 13 and 14)."""

    #: the strategy to lead with (None: nothing fits)
    recommended: str | None
    warnings: list[Warning]
    priority: list[PriorityLine]
    #: [{"date", "available"}]: months in which priority debts free money
    changes: list[dict]
    #: the recommendation with its reason, and why not each other option (issue 12)
    recommendation: Recommendation | None = None


def plan_with_advice(case: Case):
    """:func:`plan_for` plus the :class:`Advice` for the page."""
    domain = to_domain(case)
    budget = summarise(domain)
    results = compute_strategies(domain, budget=budget)
    opening = sum((d.balance for d in domain.non_priority_debts), Decimal(0))
    chosen = recommendation(budget, results)
    advice = Advice(chosen.name, warnings(domain, budget, results),
                    priority_lines(domain), available_changes(domain, budget), chosen)
    return budget, results, recovery(domain, results), opening, advice


def plan_json(case: Case) -> dict:
    """The ``parley-plan/1`` document of the case as it is now."""
    return make_plan(to_domain(case))


def save_proposal(case: Case, strategy: str) -> Proposal:
    """Freeze the case and the named strategy as the case's current proposal.

    Refuses an unknown or infeasible strategy (ValidationError on ``strategy``).
    """
    if strategy not in STRATEGIES:
        raise ValidationError([FieldError("strategy", f"unknown strategy {strategy!r}")])
    domain = to_domain(case)
    [result] = compute_strategies(domain, strategies=[strategy])
    if not result.feasible:
        raise ValidationError([FieldError("strategy", result.reason or "not feasible")])
    plan = make_plan(domain, strategies=[strategy])
    proposal = Proposal(
        case=case,
        strategy=strategy,
        case_revision=case.revision,
        case_snapshot=dump_case(domain),
        plan_snapshot={"budget": plan["budget"], "strategy": strategy_json(result),
                       "recovery": plan.get("recovery", [])},
        version=next_version(case),
    )
    db.session.add(proposal)
    commit_version()
    return proposal


def next_version(case: Case) -> int:
    """The number the case's next proposal gets."""
    last = db.session.scalar(select(func.max(Proposal.version))
                             .where(Proposal.case_id == case.id))
    return (last or 0) + 1


def commit_version(what: str = "proposal") -> None:
    """Commit a new version; another made at the same moment took its number:
    Conflict, nothing saved."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(what) from exc


def current_proposal(case: Case) -> Proposal | None:
    """The current proposal of the case (its highest version), if any."""
    return db.session.scalar(
        select(Proposal).where(Proposal.case_id == case.id)
        .order_by(Proposal.version.desc()).limit(1)
    )


def is_current(proposal: Proposal) -> bool:
    """Whether letters are written from this proposal (no newer version exists)."""
    current = current_proposal(proposal.case)
    return current is not None and current.id == proposal.id


@dataclass(frozen=True)
class Version:
    """One version of the case's proposal, as the versions list shows it."""

    proposal: Proposal
    current: bool
    sent: int
    drafts: int
    #: the creditor whose agreement made it (None: saved from the plan page)
    creditor: str | None
    #: the figure agreed, for a version made by an agreement
    monthly: Decimal | None


def versions(case: Case) -> list[Version]:
    """Every version of the case's proposal, newest (the current one) first."""
    rows = db.session.scalars(select(Proposal).where(Proposal.case_id == case.id)
                              .order_by(Proposal.version.desc())).all()
    names = {d.ref: d.creditor for d in case.debts}
    out = []
    for i, p in enumerate(rows):
        offers = [x for x in p.letters if not x.is_statement]
        why = p.plan_snapshot.get("strategy", {}).get("replan") or {}
        out.append(Version(
            p, i == 0, sum(x.is_sent for x in offers), sum(not x.is_sent for x in offers),
            names.get(p.cause_debt_ref, p.cause_debt_ref) if p.cause_debt_ref else None,
            Decimal(why["monthly"]) if why.get("monthly") else None))
    return out


def revise_after_agreement(case: Case, ref: str, monthly: Decimal, first_payment: date,
                           today: date, total: Decimal | None = None) -> Proposal | None:
    """The next version when ``ref`` agreed ``monthly`` and the current version
    offered it something else (see the module); None when there is no proposal,
    it already offered that figure, or ``ref`` is a priority debt. The caller
    has added the agreement and commits (with :func:`commit_version`)."""
    current = current_proposal(case)
    if current is None:
        return None
    if offered_monthly(current.plan_snapshot.get("strategy", {}), ref) == monthly:
        return None
    domain = to_domain(case)
    if any(d.id == ref and d.is_priority for d in domain.debts):
        return None  # (a priority debt's arrangement is no part of the offers)
    strategy = revised_strategy(domain, ref, monthly, first_payment, today, total)
    proposal = Proposal(
        case=case, strategy=strategy["name"], case_revision=case.revision,
        case_snapshot=dump_case(domain),
        plan_snapshot={"budget": budget_json(domain, summarise(domain)),
                       "strategy": strategy, "recovery": []},
        version=current.version + 1, cause="accepted", cause_debt_ref=ref, parent=current)
    db.session.add(proposal)
    return proposal


def is_stale(proposal: Proposal) -> bool:
    """True when the budget or debts changed after the proposal was saved."""
    return proposal.case.revision != proposal.case_revision


def snapshot_case(proposal: Proposal) -> DomainCase:
    """The case exactly as it was when the proposal was saved.

    A snapshot saved before the one text rule (``domain/text.py``) may hold a
    control character the parser refuses; it is cleaned on reading, so that the
    proposal's letters page keeps working.
    """
    return parse_case(_clean(proposal.case_snapshot))


def _clean(value):
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def get_proposal(case: Case, public_id: str) -> Proposal:
    from werkzeug.exceptions import NotFound

    proposal = db.session.scalar(
        select(Proposal).where(Proposal.case_id == case.id, Proposal.public_id == public_id))
    if proposal is None:
        raise NotFound()
    return proposal
