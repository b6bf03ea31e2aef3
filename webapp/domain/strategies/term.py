"""Term extension: each debt re-amortised over a longer term at a proposed APR.

Every non-priority debt gets a level monthly payment from the annuity formula
(rounded up to the cent) and an exact last payment. When the user chose a term
(``options.term_months`` or the ``term_months`` argument) that term is used
as chosen, capped by the jurisdiction's limit, and ``shortest_term`` says when
a shorter one would fit (issue 14.5); with no term chosen the strategy takes
the *shortest* common term that fits ``available``, up to the default. When
nothing fits it says what a month would need at the longest allowed term, and
what lump sum paid now would make the rest fit (``lump_sum_to_fit``).

Like pro rata, a term extension asks for lower payments: it is infeasible
(``reason_code="contractual_payments_fit"``) when the contractual payments fit.
"""

from __future__ import annotations

from decimal import Decimal

from ..budget import contractual_payments, contractual_payments_fit
from ..model import Case
from .avalanche import needed_annuity
from .base import (
    CentSchedule,
    Offer,
    StrategyResult,
    annuity_cents,
    apr_e4,
    cents_str,
    from_cents,
    infeasible,
    monthly_interest,
    nothing_to_plan,
    split_cents,
    to_cents,
)

#: The longest instalment term (months) to propose, per jurisdiction.
TERM_LIMITS: dict[str, int] = {
    # 《商业银行信用卡业务监督管理办法》第七十条: 个性化分期 at most 5 years.
    "CN": 60,
    # NFCC debt management plans run 36-60 months.
    "US": 60,
    # No statutory cap; StepChange/National Debtline DMPs often run longer,
    # but an offer beyond 10 years is rarely taken seriously.
    "GB": 120,
    "other": 120,
}
DEFAULT_TERM = 60


def term_limit(jurisdiction: str) -> int:
    """The longest term (months) Parley proposes in ``jurisdiction``."""
    return TERM_LIMITS.get(jurisdiction, DEFAULT_TERM)


def default_term(jurisdiction: str) -> int:
    """The term used when the case sets none: 60 months, or the limit if smaller."""
    return min(DEFAULT_TERM, term_limit(jurisdiction))


def _amortise(balance: int, apr: int, level: int, months: int) -> list[tuple[int, int, int]]:
    """Rows of (payment, balance after, interest); the last payment clears exactly."""
    rows = []
    r = balance
    for k in range(1, months + 1):
        interest = monthly_interest(r, apr)
        r += interest
        pay = r if k == months else min(level, r)
        r -= pay
        rows.append((pay, r, interest))
        if r == 0:
            break
    return rows


def term_extension(
    case: Case,
    available: Decimal,
    *,
    term_months: int | None = None,
    apr: Decimal | None = None,
) -> StrategyResult:
    """The shortest common term (≤ the jurisdiction's limit) whose payments fit ``available``.

    ``term_months`` and ``apr`` default to the case's options; a chosen term is
    honoured (see the module docstring).
    """
    if term_months is None:
        term_months = case.options.term_months
    chosen = term_months is not None
    if term_months is None:
        term_months = default_term(case.jurisdiction)
    if apr is None:
        apr = case.options.term_apr
    debts = case.non_priority_debts
    if not debts:
        return nothing_to_plan("term_extension")
    balances = [to_cents(d.balance) for d in debts]
    rate = apr_e4(apr)
    avail = to_cents(available)
    max_term = max(1, min(term_months, term_limit(case.jurisdiction)))
    floor = to_cents(case.options.min_offer)
    if contractual_payments_fit(case, available):
        return infeasible(
            "term_extension",
            f"{cents_str(avail)} a month covers the contractual payments "
            f"({contractual_payments(case)}): keep them instead of asking for a longer term.",
            needed_annuity(balances, [rate] * len(balances), floor),
            reason_code="contractual_payments_fit",
            contractual_total=contractual_payments(case),
        )

    def level_total(m: int) -> int:
        return sum(annuity_cents(b, rate, m) for b in balances)

    # The level total never grows with the term, so bisect for the shortest fit.
    lo, hi = 1, max_term
    if level_total(hi) > avail:
        lo = hi + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if level_total(mid) <= avail:
            hi = mid
        else:
            lo = mid + 1
    for m in range(lo, max_term + 1):
        found = _fitting(balances, rate, m, avail)
        if found is None:
            continue  # interest rounding pushed a last payment over: try a longer term
        if chosen and m < max_term and (longer := _fitting(balances, rate, max_term, avail)):
            return _result(case, debts, rate, max_term, *longer, shortest=m)
        return _result(case, debts, rate, m, *found, shortest=m)
    need = level_total(max_term)
    return infeasible(
        "term_extension",
        f"Does not fit: over {max_term} months you would need {cents_str(need)} a month.",
        needed_annuity(balances, [rate] * len(balances), floor),
        term_months=max_term,
        apr=Decimal(apr),
        needed_at_max_term=from_cents(need),
        lump_sum_to_fit=from_cents(lump_sum_to_fit(balances, rate, max_term, avail)),
        owed=from_cents(sum(balances)),
        reason_code="term_does_not_fit",
    )


def lump_sum_to_fit(balances: list[int], rate: int, months: int, avail: int) -> int:
    """The smallest lump sum (cents), paid now and shared pro rata to balance,
    after which the rest fits a ``months``-month term on ``avail`` a month (issue
    12: "what lump sum would make it fit"). All of it when nothing is available."""
    owed = sum(balances)
    if avail <= 0:
        return owed

    def fits(lump: int) -> bool:
        rest = [b for b in split_cents(owed - lump, balances) if b > 0] if lump < owed else []
        return not rest or _fitting(rest, rate, months, avail) is not None

    lo, hi = 0, owed  # paying everything always "fits"
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _fitting(balances: list[int], rate: int, m: int, avail: int):
    """(levels, plans) of an ``m``-month term, or None when a month would exceed ``avail``."""
    levels = [annuity_cents(b, rate, m) for b in balances]
    plans = [_amortise(b, rate, lvl, m) for b, lvl in zip(balances, levels, strict=True)]
    monthly = [sum(p[k][0] for p in plans if k < len(p)) for k in range(m)]
    if max(monthly, default=0) > avail:
        return None
    return levels, plans


def _result(case, debts, rate, m, levels, plans, *, shortest: int) -> StrategyResult:
    schedule = CentSchedule(case.start_date)
    ids = [d.id for d in debts]
    for k in range(m):
        live = [j for j, p in enumerate(plans) if k < len(p)]
        schedule.add(
            tuple(ids[j] for j in live),
            [plans[j][k][0] for j in live],
            [plans[j][k][1] for j in live],
            [plans[j][k][2] for j in live] if rate else None,
        )
    paid = [sum(row[0] for row in p) for p in plans]
    interest = sum(row[2] for p in plans for row in p)
    return StrategyResult(
        "term_extension",
        True,
        months_to_clear=m if debts else 0,
        total_paid=from_cents(sum(paid)),
        total_interest=from_cents(interest),
        offers=[
            Offer(d.id, d.creditor, monthly=from_cents(lv))
            for d, lv in zip(debts, levels, strict=True)
        ],
        schedule=schedule,
        extra={
            "term_months": m,
            # the shortest term that would fit (equal to term_months unless the
            # user chose a longer one)
            "shortest_term": shortest,
            "apr": Decimal(rate).scaleb(-4).normalize(),
            "paid_by_debt": {i: from_cents(p) for i, p in zip(ids, paid, strict=True)},
            "months_by_debt": {i: len(p) for i, p in zip(ids, plans, strict=True)},
        },
    )
