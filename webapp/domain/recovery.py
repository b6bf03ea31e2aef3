"""What each non-priority creditor gets back under each strategy.

A creditor weighing an offer compares it with the alternatives: a settlement
now, or the other plans. For every non-priority debt this gives, per feasible
strategy, the total it would receive, that total as a percentage of today's
balance (over 100 % when interest runs) and the months until it is cleared
(``None`` for token payments, which clear nothing before the review).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import Case
from .strategies.base import StrategyResult, to_cents
from .strategies.settlement import percent_of


@dataclass(frozen=True)
class Recovery:
    """One strategy's outcome for one creditor."""

    total: Decimal
    percent: Decimal
    months: int | None


@dataclass(frozen=True)
class CreditorRecovery:
    debt_id: str
    creditor: str
    balance: Decimal
    #: strategy name → outcome, feasible monthly strategies only
    by_strategy: dict[str, Recovery] = field(default_factory=dict)
    #: what a settlement from the lump sum pays now (None without a lump sum)
    settlement_now: Recovery | None = None


def recovery(case: Case, results: list[StrategyResult]) -> list[CreditorRecovery]:
    """Per creditor, the recovery under each feasible strategy in ``results``."""
    out = []
    for debt in case.non_priority_debts:
        balance = to_cents(debt.balance)
        by_strategy: dict[str, Recovery] = {}
        settled = None
        for r in results:
            paid = r.extra.get("paid_by_debt", {})
            if not r.feasible or debt.id not in paid:
                continue
            total = paid[debt.id]
            item = Recovery(
                total,
                percent_of(to_cents(total), balance),
                r.extra.get("months_by_debt", {}).get(debt.id),
            )
            if r.name == "settlement":
                settled = Recovery(item.total, item.percent, 0)
            else:
                by_strategy[r.name] = item
        out.append(CreditorRecovery(debt.id, debt.creditor, debt.balance, by_strategy, settled))
    return out


def _item_json(item: Recovery) -> dict:
    return {"total": str(item.total), "percent": str(item.percent), "months": item.months}


def recovery_json(items: list[CreditorRecovery]) -> list[dict]:
    """The ``recovery`` block of the plan document."""
    return [
        {
            "debt_id": c.debt_id,
            "creditor": c.creditor,
            "balance": str(c.balance),
            "by_strategy": {name: _item_json(r) for name, r in c.by_strategy.items()},
            "settlement_now": None if c.settlement_now is None else _item_json(c.settlement_now),
        }
        for c in items
    ]
