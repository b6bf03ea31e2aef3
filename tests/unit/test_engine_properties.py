"""Invariants of every strategy, on generated cases (hypothesis)."""

from datetime import date
from decimal import Decimal

from engine_builders import make_case, make_debt
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.domain.model import ProRataBasis
from webapp.domain.plan import compute_strategies
from webapp.domain.schedule import payment_date
from webapp.domain.strategies.pro_rata import basis_weights

MONTHLY = ("pro_rata", "avalanche", "snowball", "term_extension", "token")
cents = st.integers(min_value=1, max_value=2_000_000).map(lambda c: str(Decimal(c).scaleb(-2)))


@st.composite
def cases(draw):
    n = draw(st.integers(1, 6))
    debts = [
        make_debt(
            f"d{i}",
            draw(cents),
            draw(st.sampled_from(["0", "9.9", "18.25", "29.99", "40"])),
            str(draw(st.integers(0, 300))),
        )
        for i in range(n)
    ]
    start = draw(st.dates(date(2026, 1, 1), date(2030, 12, 31)))
    return make_case(
        *debts,
        available=str(draw(st.integers(-100, 5000))),
        start=start,
        min_offer=draw(st.sampled_from(["1", "5"])),
        lump_sum=draw(st.none() | st.integers(1, 30000).map(str)),
        pro_rata_basis=draw(st.sampled_from(list(ProRataBasis))),
    )


@settings(max_examples=120, deadline=None)
@given(cases())
def test_every_feasible_schedule_adds_up_to_the_cent(case):
    available = Decimal(case.income[0].amount) if case.income else Decimal(0)
    opening = {d.id: d.balance for d in case.non_priority_debts}
    for result in compute_strategies(case):
        if not result.feasible:
            assert result.reason and set(result.needed_monthly) == {36, 60}
            assert all(v > 0 for v in result.needed_monthly.values())
            continue
        months = result.schedule.months()
        balance = dict(opening)
        paid = Decimal(0)
        for k, month in enumerate(months):
            assert month.date == payment_date(case.start_date, k)
            if result.name in MONTHLY:
                # The token plan pays min_offer even from a deficit: it is a gesture.
                assert result.name == "token" or sum(month.payments.values()) <= available
            for debt_id, pay in month.payments.items():
                expected = balance[debt_id] + month.interest.get(debt_id, 0) - pay
                if result.name != "settlement":
                    assert month.balances[debt_id] == expected >= 0
                balance[debt_id] = month.balances[debt_id]
                paid += pay
        if "schedule_truncated" in result.extra:
            # Only the first 600 months are listed; the totals cover the whole plan,
            # which (interest frozen) pays exactly the opening balances.
            assert len(months) == 600 and result.months_to_clear > 600
            assert paid < result.total_paid == sum(opening.values())
            continue
        assert paid == result.total_paid
        if result.name not in ("token",):
            assert all(v == 0 for v in balance.values())
            total_interest = sum((v for m in months for v in m.interest.values()), Decimal(0))
            assert result.total_interest == total_interest
            if result.name != "settlement":
                assert result.total_paid == sum(opening.values()) + total_interest


@settings(max_examples=120, deadline=None)
@given(cases())
def test_pro_rata_month_one_offers_are_fair_to_the_cent(case):
    result = compute_strategies(case, strategies=["pro_rata"])[0]
    if not result.feasible:
        return
    available = Decimal(case.income[0].amount)
    balances = {d.id: d.balance for d in case.non_priority_debts}
    offers = {o.debt_id: o.monthly for o in result.offers}
    total = min(available, sum(balances.values()))
    assert sum(offers.values()) == total
    floor = case.options.min_offer
    # The weights: balances, or contractual payments (3 % of the balance for none).
    weights = dict(zip(balances, (Decimal(w) / 100 for w in basis_weights(
        case.non_priority_debts, ProRataBasis(case.options.pro_rata_basis))), strict=True))
    # Shares raised to the floor, or capped at the balance, are fixed; the rest is fair.
    fixed = {i for i, o in offers.items() if o == min(floor, balances[i]) or o == balances[i]}
    free = [i for i in offers if i not in fixed]
    if free:
        rest = total - sum(offers[i] for i in fixed)
        weight = sum(weights[i] for i in free)
        for i in free:
            assert abs(offers[i] - rest * weights[i] / weight) < Decimal("0.01")
    # A smaller weight never gets a larger offer, unless raised to min_offer or capped.
    for i in free:
        for j in free:
            if weights[i] < weights[j]:
                assert offers[i] <= offers[j]


@settings(max_examples=120, deadline=None)
@given(cases())
def test_settlement_offers_sum_to_what_is_distributed(case):
    result = compute_strategies(case, strategies=["settlement"])[0]
    if case.lump_sum is None:
        assert not result.feasible
        return
    owed = sum(d.balance for d in case.non_priority_debts)
    assert sum(o.amount for o in result.offers) == min(case.lump_sum, owed)
    assert all(
        o.amount <= b.balance for o, b in zip(result.offers, case.non_priority_debts, strict=True)
    )
