"""Counter-offers: some creditors agreed a monthly amount; re-split the rest.

When a creditor counters ("we need 50 a month"), the adviser locks that amount
and shares what is left of ``available`` among the other non-priority
creditors by the pro-rata rules (largest remainder, ``min_offer`` floor, the
case's ``pro_rata_basis``). The
answer says whether the budget still holds and, if not, by how much it falls
short, so that the adviser can go back to the creditor with figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .budget import summarise
from .errors import FieldError, ValidationError
from .model import Case, Debt, ProRataBasis
from .strategies.base import from_cents, to_cents
from .strategies.pro_rata import basis_weights, pro_rata_offers


@dataclass(frozen=True)
class Replan:
    """Monthly amounts for every non-priority debt, locked or re-split."""

    #: debt id → monthly amount (locked ones as agreed), in input order
    offers: dict[str, Decimal]
    locked: frozenset[str]
    available: Decimal
    #: True when locked amounts plus ``min_offer`` to each other creditor fit
    holds: bool
    #: how much more a month the budget would need; ``0.00`` when it holds
    shortfall: Decimal

    def as_json(self) -> dict:
        """Amounts as strings, the way they travel in JSON."""
        return {
            "offers": [
                {"debt_id": d, "monthly": str(m), "locked": d in self.locked}
                for d, m in self.offers.items()
            ],
            "available": str(self.available),
            "holds": self.holds,
            "shortfall": str(self.shortfall),
        }


def split_the_rest(case: Case, available: int, fixed: int,
                   others: list[Debt]) -> tuple[list[int], int]:
    """Share what is left of ``available`` after the ``fixed`` amounts (cents)
    among ``others`` by the pro-rata rules (the case's basis, ``min_offer``
    floor, largest remainder); when it cannot give each of them
    min(min_offer, balance), they are shown at that and the second value says
    how many cents a month are missing (else 0)."""
    floor = to_cents(case.options.min_offer)
    balances = [to_cents(d.balance) for d in others]
    weights = basis_weights(tuple(others), ProRataBasis(case.options.pro_rata_basis))
    rest = available - fixed
    least = sum(min(floor, b) for b in balances)
    if rest >= least:
        shares = pro_rata_offers(min(rest, sum(balances)), balances, floor, weights)
    else:
        shares = [min(floor, b) for b in balances]
    return shares, max(0, fixed + sum(shares) - available)


def replan(case: Case, locked: dict[str, Decimal], *, available: Decimal | None = None) -> Replan:
    """Lock the agreed amounts and re-split the rest pro rata among the others.

    ``available`` defaults to the case budget's. When the rest cannot give
    every other creditor ``min_offer``, they are shown at ``min_offer`` (the
    least that could be offered) and ``shortfall`` says what is missing.
    """
    debts = case.non_priority_debts
    known = {d.id for d in debts}
    errors = [
        FieldError(f"locked.{k}", "not a non-priority debt with a balance in this case")
        for k in locked
        if k not in known
    ]
    errors += [
        FieldError(f"locked.{k}", "must be ≥ 0") for k, v in locked.items() if Decimal(v) < 0
    ]
    if errors:
        raise ValidationError(errors)
    avail = to_cents(summarise(case).available if available is None else available)
    fixed = {k: to_cents(v) for k, v in locked.items()}
    others = [d for d in debts if d.id not in fixed]
    shares, short = split_the_rest(case, avail, sum(fixed.values()), others)
    split = {d.id: s for d, s in zip(others, shares, strict=True)}
    monthly = {d.id: fixed[d.id] if d.id in fixed else split[d.id] for d in debts}
    return Replan(
        {k: from_cents(v) for k, v in monthly.items()},
        frozenset(fixed),
        from_cents(avail),
        short == 0,
        from_cents(short),
    )
