"""Payment dates.

Date convention (CASEFILE.md): payment ``k`` (k = 0, 1, 2, ...) falls on
``start_date + k months``, computed from the fixed start each time with
``dateutil.relativedelta`` and never chained from the previous date. A day that
the month lacks becomes that month's last day, and the next month gets the
original day back:

    start 2027-01-31 → 2027-01-31, 2027-02-28, 2027-03-31, 2027-04-30, ...
    start 2028-01-31 → 2028-01-31, 2028-02-29 (leap year), 2028-03-31, ...

Chaining (``prev + 1 month``) would instead drift to the 28th for good after
February, which is not what a creditor agreed to.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date


def payment_date(start: date, k: int) -> date:
    """The date of payment ``k`` (0 is the start itself): ``start +
    relativedelta(months=k)``, in integer arithmetic (a plan's JSON asks for
    thousands of these; relativedelta spent a tenth of ``POST /api/v1/plan`` on
    them). tests/unit/test_schedule_dates.py checks it against relativedelta."""
    year, month = divmod(start.year * 12 + start.month - 1 + k, 12)
    month += 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def payment_dates(start: date, count: int) -> list[date]:
    """The first ``count`` payment dates."""
    return [payment_date(start, k) for k in range(count)]


def review_date(start: date, months: int = 3) -> date:
    """When a temporary (token) arrangement is reviewed: ``months`` after the start."""
    return payment_date(start, months)
