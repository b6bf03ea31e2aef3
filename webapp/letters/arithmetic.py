"""The creditor's arithmetic in an offer letter (issue 12): what it recovers
under the offer and by when, against its alternatives from the same budget
(``webapp.domain.creditor_view``). Templates turn it into one short paragraph
(``_macros.html``: ``recovery()``), in the creditor's own figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from webapp.domain.creditor_view import Alternatives, alternatives, months_to_reach
from webapp.domain.model import Case, Debt
from webapp.domain.strategies.base import to_cents
from webapp.domain.strategies.settlement import percent_of

from .offers import Offer


@dataclass(frozen=True)
class Arithmetic:
    """One creditor's figures for the letter's recovery paragraph."""

    #: what the creditor receives under the offer (None: the plan does not say)
    total: Decimal | None
    #: ``total`` as a percentage of the balance
    percent: Decimal | None
    #: the day the last payment under the offer falls (or the review date)
    by: date | None
    alternatives: Alternatives
    #: settlement: months the budget's share would take to pay as much as the lump sum
    months_to_match: int | None = None
    #: what a court's instalment order on the same budget would bring a month, quoted
    #: only when it is no more than the offer: a share above a re-planned or ranked
    #: offer is not the creditor's to count on (other creditors' agreements come
    #: first) and would argue against the offer
    court_share: Decimal | None = None

    @property
    def whole_balance(self) -> bool:
        return self.percent is not None and self.percent == Decimal("100.00")

    @property
    def sale_cents(self) -> int | None:
        """The sale average in cents per dollar (4), for "4 cents per dollar"."""
        ratio = self.alternatives.sale_ratio
        return None if ratio is None else int(ratio * 100)


def creditor_arithmetic(case: Case, debt: Debt, offer: Offer) -> Arithmetic:
    """The figures of the recovery paragraph for ``offer`` to ``debt``."""
    alt = alternatives(case, debt.id)
    total = offer.amount if offer.amount is not None else offer.total
    percent = None
    if total is not None and debt.balance > 0:
        percent = percent_of(to_cents(total), to_cents(debt.balance))
    by = offer.review_date if offer.strategy == "token" else offer.last_date
    match = None
    if offer.amount is not None and not alt.in_deficit:
        match = months_to_reach(offer.amount, alt.budget_share)
    court = alt.budget_share if not alt.in_deficit and alt.budget_share > 0 else None
    if court is not None and offer.monthly is not None and court > offer.monthly:
        court = None
    return Arithmetic(total, percent, by, alt, match, court)
