"""Plans and saved proposals.

A proposal freezes the case file and the chosen strategy's result at the
moment it is saved. Letters and negotiations refer to the proposal, so a later
budget change never silently changes what was offered; ``is_stale`` tells the
page to offer a re-plan instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from ..domain.advice import PriorityLine, Warning, priority_lines, warnings
from ..domain.budget import summarise
from ..domain.casefile import dump_case, parse_case
from ..domain.errors import FieldError, ValidationError
from ..domain.model import Case as DomainCase
from ..domain.plan import (
    STRATEGIES,
    available_changes,
    compute_strategies,
    make_plan,
    strategy_json,
)
from ..domain.recommend import Recommendation, recommendation
from ..domain.recovery import recovery
from ..domain.text import clean
from ..extensions import db
from ..models import Case, Proposal
from .cases import to_domain


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
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal


def current_proposal(case: Case) -> Proposal | None:
    """The most recently saved proposal of the case, if any."""
    return db.session.scalar(
        select(Proposal).where(Proposal.case_id == case.id).order_by(Proposal.id.desc()).limit(1)
    )


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
