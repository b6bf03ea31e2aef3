"""Spending guidelines as data: per jurisdiction and household, with sources.

``shipped.py`` holds the tables Parley ships (IRS 2024 for the US, example
figures in the Standard Financial Statement's categories for the UK, none for
China); ``loader.py`` reads an agency's own file; ``table.py`` compares a
budget with a table (:func:`check_spending`).
"""

from .figures import ByCar, ByPersons, Flat, NotLoaded, PerMember, PerPerson, Total, persons
from .loader import FORMAT, load_guidelines, parse_guidelines
from .shipped import SHIPPED
from .table import (
    CAR_UNKNOWN,
    HOUSEHOLD_SIZE,
    NOT_LOADED,
    Guideline,
    GuidelineTable,
    SpendingCheck,
    check_spending,
    spent_on,
)


def table_for(jurisdiction: str, loaded: dict[str, GuidelineTable] | None = None
              ) -> GuidelineTable | None:
    """The table for ``jurisdiction``: an agency's loaded one, else the shipped one."""
    return (loaded or {}).get(jurisdiction) or SHIPPED.get(jurisdiction)


__all__ = [
    "CAR_UNKNOWN", "FORMAT", "HOUSEHOLD_SIZE", "NOT_LOADED", "SHIPPED", "ByCar", "ByPersons",
    "Flat", "Guideline", "GuidelineTable", "NotLoaded", "PerMember", "PerPerson", "SpendingCheck",
    "Total", "check_spending", "load_guidelines", "parse_guidelines", "persons", "spent_on",
    "table_for",
]
