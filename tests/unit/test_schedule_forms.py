"""``schedule=yearly|none``: the compact forms of each strategy's schedule."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from webapp.domain.casefile import loads
from webapp.domain.errors import ValidationError
from webapp.domain.plan import make_plan

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_yearly_row_sums_twelve_months_and_ends_with_their_last_balances(path):
    case = loads(path.read_bytes())
    monthly = make_plan(case)
    yearly = make_plan(case, schedule="yearly")
    assert yearly["schedule"] == "yearly"
    for m, y in zip(monthly["strategies"], yearly["strategies"], strict=True):
        rows = m["schedule"]
        assert len(y["schedule"]) == -(-len(rows) // 12)
        for k, year in enumerate(y["schedule"]):
            months = rows[12 * k: 12 * k + 12]
            assert (year["from"], year["date"], year["months"]) == (
                months[0]["date"], months[-1]["date"], len(months))
            for key in ("payments", "interest"):
                sums: dict[str, Decimal] = {}
                for row in months:
                    for debt, value in row.get(key, {}).items():
                        sums[debt] = sums.get(debt, Decimal(0)) + Decimal(value)
                assert {d: Decimal(v) for d, v in year.get(key, {}).items()} == sums
            last = {}
            for row in months:
                last.update(row["balances"])
            assert year["balances"] == last
        # Everything but the schedule is the same.
        assert {k: v for k, v in m.items() if k != "schedule"} == \
            {k: v for k, v in y.items() if k != "schedule"}


def test_no_schedule_keeps_every_figure_and_drops_the_rows():
    case = loads(EXAMPLES[0].read_bytes())
    plan = make_plan(case, schedule="none")
    assert plan["schedule"] == "none"
    assert all(s["schedule"] == [] for s in plan["strategies"])
    assert [s.get("total_paid") for s in plan["strategies"]] == \
        [s.get("total_paid") for s in make_plan(case)["strategies"]]
    assert len(json.dumps(plan)) < len(json.dumps(make_plan(case)))


def test_an_unknown_schedule_form_is_refused_by_name():
    with pytest.raises(ValidationError) as caught:
        make_plan(loads(EXAMPLES[0].read_bytes()), schedule="weekly")
    assert str(caught.value) == "schedule: must be one of monthly, yearly, none"
