"""The plan: the budget and every strategy side by side (``parley-plan/1``).

:func:`compute_strategies` gives typed results for the web page;
:func:`make_plan` serialises them to the JSON-ready document of
``shared/CASEFILE.md`` (all money as strings, dates as ISO strings, months as
ints), with these optional extensions: ``currency``, ``start_date``,
``budget.in_deficit``, per strategy ``needed_monthly`` (infeasible only),
``interest`` per schedule row (interest-bearing strategies), strategy-specific
figures (``term_months``, ``written_off``, ``recommended``...), and a top-level
``recovery`` block (see :mod:`webapp.domain.recovery`), and a top-level
``schedule`` (``yearly`` or ``none``) when the schedules are not monthly.
``recovery`` block (see :mod:`webapp.domain.recovery`).

Added for issues 13 and 14 (all optional for readers):

* ``budget.contractual_payments`` (Σ non-priority contractual payments, each at
  most its balance), ``budget.contractual_payments_fit`` (``available`` covers
  them: keep them, no reduced offer) and ``budget.surplus`` (what is left after
  them when they fit, else ``"0.00"``);
* ``budget.priority``: each priority debt's month-1 payment, ongoing payment,
  arrears, catch-up payment, ``arrears_cleared_on`` and ``ends_on``;
* ``budget.available_changes``: ``[{"date", "available"}]`` for each month in
  which priority debts free money for the other creditors;
* top-level ``recommended`` (the strategy to lead with, or null) and
  ``warnings`` (``[{"code", ...}]``: ``priority_shortfall`` with ``amount``,
  ``housing_costs_missing``, ``priority_arrears_unplanned`` with ``debts``,
  ``long_plan`` with ``strategies``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from .advice import priority_lines, recommended, warnings
from .budget import BudgetSummary, released_by_month, summarise
from .errors import FieldError, ValidationError
from .model import Case
from .recovery import recovery, recovery_json
from .schedule import payment_date
from .strategies import avalanche, pro_rata, settlement, snowball, term_extension, token
from .strategies.base import StrategyResult

PLAN_FORMAT = "parley-plan/1"

#: Every strategy, in the order the plan shows them.
STRATEGIES: dict[str, Callable[[Case, Decimal], StrategyResult]] = {
    "pro_rata": pro_rata,
    "avalanche": avalanche,
    "snowball": snowball,
    "term_extension": term_extension,
    "settlement": settlement,
    "token": token,
}


def compute_strategies(
    case: Case, *, strategies: Iterable[str] | None = None, budget: BudgetSummary | None = None
) -> list[StrategyResult]:
    """Run the named strategies (default: all, in :data:`STRATEGIES` order)."""
    names = list(STRATEGIES) if strategies is None else list(strategies)
    unknown = [n for n in names if n not in STRATEGIES]
    if unknown:
        raise ValidationError(
            [FieldError("strategies", f"unknown strategy {n!r}") for n in unknown]
        )
    budget = budget or summarise(case)
    return [STRATEGIES[n](case, budget.available) for n in names]


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


#: What ``schedule`` may hold per strategy: every month (the contract's form,
#: the default), one row per plan year, or nothing (``[]``).
SCHEDULE_FORMS = ("monthly", "yearly", "none")


def strategy_json(result: StrategyResult, *, schedule: str = "monthly") -> dict:
    """One strategy as the contract shows it (plus the extensions listed above);
    ``schedule`` is one of :data:`SCHEDULE_FORMS`."""
    out: dict = {"name": result.name, "feasible": result.feasible}
    if not result.feasible:
        out["reason"] = result.reason
        out["needed_monthly"] = {str(k): str(v) for k, v in result.needed_monthly.items()}
    out["months_to_clear"] = result.months_to_clear
    out["total_paid"] = _money(result.total_paid)
    out["total_interest"] = _money(result.total_interest)
    offers = []
    for o in result.offers:
        item: dict = {"debt_id": o.debt_id, "creditor": o.creditor}
        if o.monthly is not None:
            item["monthly"] = str(o.monthly)
        if o.amount is not None:
            item["amount"] = str(o.amount)
        if o.percent is not None:
            item["percent"] = str(o.percent)
        offers.append(item)
    out["offers"] = offers
    if result.review_date is not None:
        out["review_date"] = result.review_date.isoformat()
    for key, value in result.extra.items():
        # Per-debt totals feed ``recovery``; they would only repeat it here.
        if key not in ("paid_by_debt", "months_by_debt"):
            out[key] = _jsonable(value)
    if not result.schedule or schedule == "none":
        out["schedule"] = []
    elif schedule == "yearly":
        out["schedule"] = result.schedule.as_json_yearly()
    else:
        out["schedule"] = result.schedule.as_json()
    return out


def _check_schedule(
    results: list[StrategyResult], schedule: str, max_entries: int | None
) -> None:
    if schedule not in SCHEDULE_FORMS:
        raise ValidationError(
            [FieldError("schedule", f"must be one of {', '.join(SCHEDULE_FORMS)}")])
    if schedule != "monthly" or max_entries is None:
        return
    entries = sum(r.schedule.entries() for r in results if r.schedule)
    if entries > max_entries:
        raise ValidationError([FieldError(
            "schedule",
            f"the monthly schedule would have {entries:,} payment lines, at most "
            f"{max_entries:,}: ask for schedule=yearly or schedule=none")])


def make_plan(
    case: Case,
    *,
    strategies: Iterable[str] | None = None,
    schedule: str = "monthly",
    max_schedule_entries: int | None = None,
) -> dict:
    """The ``parley-plan/1`` document for ``case``, ready for ``json.dumps``.

    ``schedule`` (:data:`SCHEDULE_FORMS`) chooses each strategy's schedule
    form; any form but the default ``monthly`` is named in a top-level
    ``schedule`` key. With ``max_schedule_entries``, a monthly schedule of more
    payment lines than that is refused (ValidationError on ``schedule``) before
    it is written out: the API's bound on its answer (``limits.py``).
    """
    if schedule not in SCHEDULE_FORMS:
        _check_schedule([], schedule, None)
    budget = summarise(case)
    results = compute_strategies(case, strategies=strategies, budget=budget)
    _check_schedule(results, schedule, max_schedule_entries)
    plan = {
        "format": PLAN_FORMAT,
        "currency": case.currency,
        "start_date": case.start_date.isoformat(),
    }
    if schedule != "monthly":
        plan["schedule"] = schedule
    plan |= {
        "budget": budget_json(case, budget),
        "recommended": recommended(budget, results),
        "warnings": [w.as_json() for w in warnings(case, budget, results)],
        "strategies": [strategy_json(r, schedule=schedule) for r in results],
        "recovery": recovery_json(recovery(case, results)),
    }
    return plan


def available_changes(case: Case, budget: BudgetSummary) -> list[dict]:
    """The months in which what is available changes (priority arrears cleared)."""
    out = []
    released = released_by_month(case)
    for k in range(1, len(released)):
        if released[k] != released[k - 1]:
            amount = budget.available + Decimal(released[k]).scaleb(-2)
            out.append({"date": payment_date(case.start_date, k).isoformat(),
                        "available": str(amount)})
    return out


def budget_json(case: Case, budget: BudgetSummary) -> dict:
    """The plan's ``budget`` block: the contract's four figures and the extensions."""
    out: dict = budget.as_json()
    out["in_deficit"] = budget.in_deficit
    out["contractual_payments"] = str(budget.contractual_payments)
    out["contractual_payments_fit"] = budget.contractual_payments_fit
    out["surplus"] = str(budget.surplus)
    out["priority"] = [line.as_json() for line in priority_lines(case)]
    out["available_changes"] = available_changes(case, budget)
    return out
