"""Reading a letter's offer out of a parley-plan/1 dict.

The plan engine owns the arithmetic; letters only read its offers, to the
cent, as ``Decimal`` (the plan carries them as strings). The one thing
computed here is the instalment calendar of a monthly offer when the plan
carries no schedule: ``start + k months`` (relativedelta, never chained).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from webapp.domain.errors import FieldError, ValidationError
from webapp.domain.model import Case, Debt
from webapp.domain.money import ZERO, cents
from webapp.domain.strategies.base import offer_term_cap

from .catalogue import LetterType
from .rules import RULES

#: The strategy a budget statement lists when none is named.
DEFAULT_STRATEGY = "pro_rata"
#: Beyond this many instalments a plan is not worth spelling out month by month.
_MAX_INSTALMENTS = 1200


@dataclass(frozen=True)
class Offer:
    """What one letter offers one creditor."""

    strategy: str
    #: the monthly payment (month 1); None for a settlement
    monthly: Decimal | None = None
    #: the lump sum of a settlement
    amount: Decimal | None = None
    #: the lump sum as a percentage of the balance
    percent: Decimal | None = None
    balance: Decimal = ZERO
    first_date: date | None = None
    last_date: date | None = None
    #: number of monthly instalments until this debt is cleared (None: unknown)
    instalments: int | None = None
    last_amount: Decimal | None = None
    review_date: date | None = None
    #: months until the review date (token payments)
    review_months: int | None = None
    #: what a pro-rata offer is in proportion to: "balance" or "contractual"
    basis: str = "balance"
    #: what the creditor receives in all under a monthly offer (the sum of its
    #: payments; until the review for token payments); None when unknown
    total: Decimal | None = None
    #: the yearly interest rate the offer proposes (a term extension at a rate);
    #: None or 0: interest is frozen
    apr: Decimal | None = None

    @property
    def interest(self) -> Decimal:
        """What the payments add to the balance (the interest a rate brings): 0
        when the offer freezes interest or its total is unknown."""
        if self.total is None or self.total <= self.balance:
            return ZERO
        return self.total - self.balance

    @property
    def charges_interest(self) -> bool:
        """The offer proposes a rate: a letter must not say interest stops."""
        return bool(self.apr) or self.interest > 0


@dataclass(frozen=True)
class OfferLine:
    """One creditor's line in the budget statement's list of offers: what it is
    owed beside what it is offered, so each creditor can check its share."""

    debt_id: str
    creditor: str
    monthly: Decimal | None
    amount: Decimal | None
    balance: Decimal = ZERO


def _money(value: Any, path: str) -> Decimal:
    try:
        return cents(Decimal(str(value)))
    except ArithmeticError as exc:
        raise ValidationError([FieldError(path, f"not an amount: {value!r}")]) from exc


def select_strategy(
    plan: Mapping[str, Any] | None, name: str | None, letter: LetterType
) -> Mapping[str, Any]:
    """The feasible strategy dict a letter's offers come from.

    With no strategy named, the letter's own (or pro rata for the budget
    statement) unless the plan does not make it: then the plan's
    ``recommended`` strategy where the letter can carry it (a proposal to a
    household whose contractual payments fit carries avalanche, issue 13.1).
    """
    if name is None and plan is not None and "strategies" in plan:
        default = letter.strategy or DEFAULT_STRATEGY
        found = next((s for s in plan["strategies"] if s.get("name") == default), None)
        best = plan.get("recommended")
        if (found is None or found.get("feasible", True) is False) and best and (
                not letter.makes_offer or letter.allows(best)):
            name = best
    name = name or letter.strategy or DEFAULT_STRATEGY
    if letter.makes_offer and not letter.allows(name):
        allowed = ", ".join(dict.fromkeys((letter.strategy or "", *letter.alternatives)))
        message = f"a '{letter.key}' letter carries {allowed} offers, not {name}"
        raise ValidationError([FieldError("strategy", message)])
    if plan is None:
        raise ValidationError([FieldError("plan", f"a '{letter.key}' letter needs a plan")])
    if "strategies" in plan:
        found = next((s for s in plan["strategies"] if s.get("name") == name), None)
    else:
        found = plan if plan.get("name", name) == name else None
    if found is None:
        raise ValidationError([FieldError("strategy", f"the plan has no '{name}' strategy")])
    if found.get("feasible", True) is False:
        reason = found.get("reason") or "no reason given"
        raise ValidationError([FieldError("strategy", f"{name} is not feasible: {reason}")])
    return found


def _schedule_payments(strategy: Mapping[str, Any], debt_id: str) -> list[tuple[date, Decimal]]:
    rows = []
    for i, row in enumerate(strategy.get("schedule") or ()):
        paid = row.get("payments", {}).get(debt_id)
        if paid is not None and Decimal(str(paid)) > 0:
            rows.append((date.fromisoformat(row["date"]), _money(paid, f"schedule[{i}]")))
    return rows


def _calendar(balance: Decimal, monthly: Decimal, start: date) -> list[tuple[date, Decimal]]:
    """Equal monthly payments (interest frozen) until ``balance`` is paid."""
    if monthly <= 0 or balance <= 0:
        return []
    count = int((balance / monthly).to_integral_value(rounding=ROUND_CEILING))
    if count > _MAX_INSTALMENTS:
        return []
    rows = [(start + relativedelta(months=k), monthly) for k in range(count)]
    rows[-1] = (rows[-1][0], balance - monthly * (count - 1))
    return rows


def _apr(value: Any) -> Decimal | None:
    """The strategy's proposed rate (term extension), None when it has none."""
    if value in (None, ""):
        return None
    try:
        rate = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValidationError([FieldError("strategy.apr", f"not a rate: {value!r}")]) from exc
    return rate if rate.is_finite() and rate > 0 else None


def offer_for(strategy: Mapping[str, Any], debt: Debt, case: Case, letter: LetterType) -> Offer:
    """The offer ``strategy`` makes to ``debt``, checked against the letter's rules."""
    name = str(strategy.get("name", letter.strategy))
    row = next((o for o in strategy.get("offers", ()) if o.get("debt_id") == debt.id), None)
    if row is None:
        raise ValidationError(
            [FieldError("debt", f"the {name} plan makes no offer to '{debt.id}'")]
        )
    if "amount" in row and "monthly" not in row:
        return Offer(
            name,
            amount=_money(row["amount"], "offers.amount"),
            percent=Decimal(str(row["percent"])) if row.get("percent") is not None else None,
            balance=debt.balance,
        )
    monthly = _money(row["monthly"], "offers.monthly")
    review = strategy.get("review_date")
    review_date = date.fromisoformat(review) if review else None
    review_months = None
    if review_date is not None:
        delta = relativedelta(review_date, case.start_date)
        review_months = delta.years * 12 + delta.months
    # A version made by an agreement (``domain.revision``) has no schedule: each
    # offer says when it starts and, for an agreement, the total agreed.
    owed = _money(row["total"], "offers.total") if row.get("total") else debt.balance
    start = date.fromisoformat(row["first_payment"]) if row.get("first_payment") \
        else case.start_date
    calendar = _schedule_payments(strategy, debt.id) or _calendar(owed, monthly, start)
    offer = Offer(
        name,
        monthly=monthly,
        balance=owed,
        first_date=calendar[0][0] if calendar else start,
        last_date=calendar[-1][0] if calendar else None,
        instalments=len(calendar) or None,
        last_amount=calendar[-1][1] if calendar else None,
        review_date=review_date,
        review_months=review_months,
        # Plans saved before the basis was switchable carry none: they were by balance.
        basis=str(strategy.get("basis") or "balance"),
        total=sum((amount for _day, amount in calendar), ZERO) if calendar else None,
        apr=_apr(strategy.get("apr")),
    )
    if offer.apr is None and offer.interest > 0 and debt.apr > 0:
        # interest runs on at the account's own rate (highest-interest-first keeps
        # the contractual terms): the letter names that rate
        offer = replace(offer, apr=debt.apr)
    limit = RULES.get(case.jurisdiction, {}).get(letter.term_limit) if letter.term_limit else None
    if limit and (offer.instalments or limit + 1) > limit:
        raise ValidationError(
            [
                FieldError(
                    "strategy",
                    f"{name} pays '{debt.id}' over {offer.instalments or 'too many'} months;"
                    f" a personalised instalment plan may run for at most {limit} months",
                )
            ]
        )
    # Every monthly offer in a jurisdiction with a cap respects it (CN: 第七十条,
    # 60 months), whatever the letter; token payments are reviewed, not instalments.
    cap = offer_term_cap(case.jurisdiction)
    if cap and name != "token" and (offer.instalments or cap + 1) > cap:
        raise ValidationError([FieldError(
            "strategy",
            f"{name} pays '{debt.id}' over {offer.instalments or 'too many'} months;"
            f" no repayment plan offered here may run longer than {cap} months")])
    return offer


def offer_lines(strategy: Mapping[str, Any], case: Case) -> tuple[OfferLine, ...]:
    """Every non-priority creditor the plan makes an offer to, with its balance
    and that offer, in case order (every strategy offers to each of them)."""
    by_id = {o.get("debt_id"): o for o in strategy.get("offers", ())}
    lines = []
    for debt in case.non_priority_debts:
        row = by_id.get(debt.id)
        if row is None:
            continue
        monthly = row.get("monthly")
        amount = row.get("amount")
        lines.append(
            OfferLine(
                debt.id,
                debt.creditor,
                _money(monthly, "offers.monthly") if monthly is not None else None,
                _money(amount, "offers.amount") if amount is not None else None,
                debt.balance,
            )
        )
    return tuple(lines)
