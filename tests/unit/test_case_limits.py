"""The limits of one case (domain/limits.py): enforced by the parser, and the
plan's output bounded by the schedule form."""

import json

import pytest

from tests.factories import make_worst_case
from webapp.domain.casefile import parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.limits import (
    MAX_DEBTS,
    MAX_EXPENSE_ITEMS,
    MAX_INCOME_ITEMS,
    MAX_SCHEDULE_ENTRIES,
)
from webapp.domain.plan import compute_strategies, make_plan

OVER = [
    ("debts", {"debts": MAX_DEBTS + 1}, f"at most {MAX_DEBTS} debts"),
    ("income", {"income": MAX_INCOME_ITEMS + 1}, f"at most {MAX_INCOME_ITEMS} income items"),
    ("expenses", {"expenses": MAX_EXPENSE_ITEMS + 1},
     f"at most {MAX_EXPENSE_ITEMS} expense items"),
]


@pytest.fixture(scope="module")
def worst():
    return parse_case(make_worst_case())


def test_the_worst_allowed_case_is_a_valid_case(worst):
    assert len(worst.debts) == MAX_DEBTS
    assert (len(worst.income), len(worst.expenses)) == (MAX_INCOME_ITEMS, MAX_EXPENSE_ITEMS)


@pytest.mark.parametrize(("path", "counts", "message"), OVER, ids=[o[0] for o in OVER])
def test_one_over_a_list_limit_is_refused_naming_the_limit_and_the_path(path, counts, message):
    with pytest.raises(ValidationError) as caught:
        parse_case(make_worst_case(**counts))
    assert [(e.path, e.message) for e in caught.value.errors] == [(path, message)]
    assert str(caught.value) == f"{path}: {message}"


def test_an_oversized_list_is_refused_without_reading_its_items():
    case = make_worst_case(debts=1)
    case["debts"] = [{"id": 1}] * 5000  # each item is invalid, but none is looked at
    with pytest.raises(ValidationError) as caught:
        parse_case(case)
    assert [e.path for e in caught.value.errors] == ["debts"]


def test_the_worst_allowed_case_runs_every_strategy_to_the_longest_schedule(worst):
    results = {r.name: r for r in compute_strategies(worst)}
    assert results["avalanche"].months_to_clear == 600
    assert results["snowball"].months_to_clear == 600
    # Its contractual payments fit the budget, so no reduced (pro-rata) offer is
    # made (issue 13.1): avalanche and snowball carry the longest schedules.
    assert results["pro_rata"].months_to_clear is None
    entries = sum(r.schedule.entries() for r in results.values() if r.schedule)
    assert entries > 2 * MAX_SCHEDULE_ENTRIES  # so it is a real test of the bound


def test_its_monthly_schedule_is_refused_naming_the_limit_and_the_alternatives(worst):
    with pytest.raises(ValidationError) as caught:
        make_plan(worst, max_schedule_entries=MAX_SCHEDULE_ENTRIES)
    [error] = caught.value.errors
    assert error.path == "schedule"
    assert f"at most {MAX_SCHEDULE_ENTRIES:,}" in error.message
    assert "schedule=yearly" in error.message


@pytest.mark.parametrize(("schedule", "bound"), [("yearly", 3_500_000), ("none", 400_000)])
def test_its_yearly_or_no_schedule_is_bounded(worst, schedule, bound):
    plan = make_plan(worst, schedule=schedule, max_schedule_entries=MAX_SCHEDULE_ENTRIES)
    assert plan["schedule"] == schedule
    assert len(json.dumps(plan, ensure_ascii=False).encode()) < bound


def test_without_a_bound_the_monthly_plan_is_todays_output(worst):
    """The CLI and the default stay as they were: no ``schedule`` key, every month."""
    plan = make_plan(parse_case(make_worst_case(debts=3, income=1, expenses=1)))
    assert "schedule" not in plan
    assert len(plan["strategies"][1]["schedule"]) == plan["strategies"][1]["months_to_clear"]
