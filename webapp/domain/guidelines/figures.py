"""How a guideline amount depends on the household, as data.

A spending guideline is a monthly amount that depends on who lives in the
household: the IRS Collection Financial Standards give one figure per number of
persons (1 to 4, then an amount for each extra person), or a figure per
person (out-of-pocket health care); the UK Standard Financial Statement's
trigger figures grow with each adult and child, and some (travel) differ with
a car. Each shape is a small frozen dataclass whose :meth:`amount` gives the
figure for a household, or ``None`` when the figure does not cover it (a
household larger than the table, a car not stated, a figure not loaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..model import Household
from ..money import cents


def persons(household: Household) -> int:
    """Everybody the budget feeds: the adults and the children."""
    return household.adults + household.children


@dataclass(frozen=True)
class ByPersons:
    """One figure per household size (``amounts[0]`` for one person); above the
    table, ``each_additional`` per extra person, or no figure."""

    amounts: tuple[Decimal, ...]
    each_additional: Decimal | None = None

    def amount(self, household: Household) -> Decimal | None:
        n = persons(household)
        if n <= len(self.amounts):
            return cents(self.amounts[n - 1])
        if self.each_additional is None or not self.amounts:
            return None
        return cents(self.amounts[-1] + self.each_additional * (n - len(self.amounts)))


@dataclass(frozen=True)
class Flat:
    """One figure whatever the household's size: the IRS's public transportation
    allowance (per household) or its ownership cost for one vehicle."""

    value: Decimal

    def amount(self, household: Household) -> Decimal | None:
        return cents(self.value)


@dataclass(frozen=True)
class PerPerson:
    """The same figure for every person in the household."""

    each: Decimal

    def amount(self, household: Household) -> Decimal | None:
        return cents(self.each * persons(household))


@dataclass(frozen=True)
class PerMember:
    """A figure for the first adult, each other adult and each child."""

    first_adult: Decimal
    other_adult: Decimal
    child: Decimal

    def amount(self, household: Household) -> Decimal | None:
        return cents(self.first_adult + self.other_adult * (household.adults - 1)
                     + self.child * household.children)


@dataclass(frozen=True)
class ByCar:
    """A figure that differs with a car (None while the household has not said)."""

    with_car: Figure
    without_car: Figure

    def amount(self, household: Household) -> Decimal | None:
        if household.car is None:
            return None
        return (self.with_car if household.car else self.without_car).amount(household)


@dataclass(frozen=True)
class Total:
    """The sum of several figures (the IRS publishes food and housekeeping
    supplies apart; Parley's "food and housekeeping" is both). No figure when any
    part has none."""

    parts: tuple[Figure, ...]

    def amount(self, household: Household) -> Decimal | None:
        out = Decimal(0)
        for part in self.parts:
            value = part.amount(household)
            if value is None:
                return None
            out += value
        return cents(out)


@dataclass(frozen=True)
class NotLoaded:
    """A figure the source has but Parley does not ship (it varies by county, or
    it could not be verified): no comparison until an agency loads it."""

    what: str = ""

    def amount(self, household: Household) -> Decimal | None:
        return None


Figure = ByPersons | Flat | PerPerson | PerMember | ByCar | Total | NotLoaded
