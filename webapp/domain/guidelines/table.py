"""Guideline tables and the check of a budget against one.

A :class:`GuidelineTable` is one jurisdiction's set of spending guidelines (its
name, source and year always with it); each :class:`Guideline` compares one or
more of Parley's expense categories with one figure. :func:`check_spending`
gives, per guideline, the household's monthly spending beside the figure for
its size, and whether it is above (a creditor's collections staff accept
spending up to such figures without question; above, they ask why).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..budget import monthly_total
from ..model import Case, ExpenseCategory, Household
from ..money import ZERO
from .figures import ByCar, ByPersons, Figure, NotLoaded, Total, persons


@dataclass(frozen=True)
class Guideline:
    """Parley's ``categories`` (spent together) against one ``figure``."""

    categories: tuple[ExpenseCategory, ...]
    figure: Figure

    @property
    def key(self) -> str:
        """The guideline's name in Parley: its first category (reasons are kept by it)."""
        return self.categories[0].value


@dataclass(frozen=True)
class GuidelineTable:
    """One jurisdiction's spending guidelines, with where they come from."""

    jurisdiction: str
    currency: str
    #: what the figures are ("IRS Collection Financial Standards")
    name: str
    #: where they are published, or why there are none
    source: str
    #: the year (or effective date) of the figures
    year: str
    guidelines: tuple[Guideline, ...] = ()
    #: True: illustrative figures, not the official ones (say so wherever shown)
    example: bool = False
    #: what a reader must know (ages assumed, figures not shipped...)
    notes: str = ""


#: Why a guideline gives no figure for a household.
NOT_LOADED, CAR_UNKNOWN, HOUSEHOLD_SIZE = "not_loaded", "car_unknown", "household_size"


def never_loaded(figure: Figure) -> bool:
    """True when ``figure`` has no amount for any household (nothing loaded)."""
    if isinstance(figure, NotLoaded):
        return True
    if isinstance(figure, ByCar):
        return never_loaded(figure.with_car) and never_loaded(figure.without_car)
    if isinstance(figure, Total):
        return any(never_loaded(p) for p in figure.parts)
    return False


def why_missing(figure: Figure, household: Household) -> str:
    """The reason ``figure`` has no amount for ``household`` ("" when it has one)."""
    if figure.amount(household) is not None:
        return ""
    if isinstance(figure, ByCar):
        if household.car is None:
            # asking about a car is pointless when neither side has a figure
            both = (figure.with_car, figure.without_car)
            return NOT_LOADED if all(never_loaded(f) for f in both) else CAR_UNKNOWN
        return why_missing(figure.with_car if household.car else figure.without_car, household)
    if isinstance(figure, Total):
        return next(r for r in (why_missing(p, household) for p in figure.parts) if r)
    if isinstance(figure, ByPersons) and persons(household) > len(figure.amounts):
        return HOUSEHOLD_SIZE
    assert isinstance(figure, NotLoaded)
    return NOT_LOADED


@dataclass(frozen=True)
class SpendingCheck:
    """One guideline beside what the household spends on its categories a month."""

    key: str
    categories: tuple[ExpenseCategory, ...]
    spent: Decimal
    #: the figure for this household (None: see ``missing``)
    guideline: Decimal | None
    #: why there is no figure: not_loaded, car_unknown, household_size ("" if there is one)
    missing: str = ""

    @property
    def flagged(self) -> bool:
        """Spending above the figure: a creditor will ask why."""
        return self.guideline is not None and self.spent > self.guideline

    @property
    def over(self) -> Decimal:
        """How much above the figure (0 when not above)."""
        return self.spent - self.guideline if self.flagged and self.guideline is not None else ZERO

    @property
    def percent_over(self) -> int | None:
        """How far above, in whole percent (half-up, at least 1 when above);
        None when not above or the figure is 0."""
        if not self.flagged or not self.guideline:
            return None
        exact = self.over * 100 / self.guideline
        return max(1, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def spent_on(case: Case, categories: tuple[ExpenseCategory, ...]) -> Decimal:
    """The household's monthly spending on ``categories`` (an expense without a
    category counts as "other", as in the budget statement)."""
    wanted = set(categories)
    return monthly_total(
        e for e in case.expenses if (e.category or ExpenseCategory.OTHER) in wanted)


def check_spending(case: Case, table: GuidelineTable | None) -> list[SpendingCheck]:
    """Every guideline of ``table`` beside the case's spending, in the table's order."""
    if table is None:
        return []
    out = []
    for g in table.guidelines:
        figure = g.figure.amount(case.household)
        out.append(SpendingCheck(g.key, g.categories, spent_on(case, g.categories), figure,
                                 why_missing(g.figure, case.household)))
    return out
