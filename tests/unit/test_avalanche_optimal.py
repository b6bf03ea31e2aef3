"""Avalanche pays the least interest: checked against an exact MILP optimum.

The MILP is the least-interest problem over avalanche's own horizon T, with
interest linear in the balance (no rounding): payments p[i,t] ≥ 0, balances
b[i,t] = b[i,t-1]·(1 + r_i) - p[i,t] ≥ 0, Σ_i p[i,t] ≤ available, b[i,T] = 0,
and the contractual payment rule "p ≥ min(c_i, what is owed)" written with a
binary w[i,t] = "debt i is cleared by the end of month t":
p[i,t] ≥ c_i·(1 - w[i,t]) and b[i,t] ≤ M·(1 - w[i,t]).
Interest = Σ_t Σ_i r_i·b[i,t-1]. Avalanche rounds interest to the cent each
month, so the two agree within about a cent per debt per month.
"""

from decimal import Decimal

import numpy as np
from engine_builders import make_case, make_debt
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from webapp.domain.strategies import avalanche, snowball


def least_interest(balances, aprs, minimums, available, months) -> float:  # float ok: LP oracle
    n, T = len(balances), months

    # variables: p[i,t] (n·T), b[i,t] (n·T), w[i,t] (n·T); t = 1..T
    def p(i, t):
        return i * T + (t - 1)

    def b(i, t):
        return n * T + i * T + (t - 1)

    def w(i, t):
        return 2 * n * T + i * T + (t - 1)

    size = 3 * n * T
    rate = [a / 1200 for a in aprs]
    big = sum(balances) * (1 + max(rate)) ** T + max(minimums) + 1
    cost = np.zeros(size)
    const = 0.0
    for i in range(n):
        const += rate[i] * balances[i]
        for t in range(1, T):
            cost[b(i, t)] += rate[i]
    lo, hi = [], []
    a = lil_matrix((n * T * 3 + T, size))
    r = 0
    for i in range(n):
        for t in range(1, T + 1):
            # b[i,t] + p[i,t] - (1+r)·b[i,t-1] = 0 (b[i,0] is the opening balance)
            a[r, b(i, t)] = 1
            a[r, p(i, t)] = 1
            if t > 1:
                a[r, b(i, t - 1)] = -(1 + rate[i])
                lo.append(0)
                hi.append(0)
            else:
                lo.append(balances[i] * (1 + rate[i]))
                hi.append(balances[i] * (1 + rate[i]))
            r += 1
            # p[i,t] + c·w[i,t] ≥ c
            a[r, p(i, t)] = 1
            a[r, w(i, t)] = minimums[i]
            lo.append(minimums[i])
            hi.append(np.inf)
            r += 1
            # b[i,t] + M·w[i,t] ≤ M
            a[r, b(i, t)] = 1
            a[r, w(i, t)] = big
            lo.append(-np.inf)
            hi.append(big)
            r += 1
    for t in range(1, T + 1):
        for i in range(n):
            a[r, p(i, t)] = 1
        lo.append(-np.inf)
        hi.append(available)
        r += 1
    lower = np.zeros(size)
    upper = np.full(size, np.inf)
    upper[2 * n * T :] = 1
    for i in range(n):
        upper[b(i, T)] = 0
    integrality = np.zeros(size)
    integrality[2 * n * T :] = 1
    res = milp(
        cost,
        constraints=LinearConstraint(a.tocsr(), lo, hi),
        bounds=Bounds(lower, upper),
        integrality=integrality,
        options={"time_limit": 20},
    )
    assert res.status == 0, res.message
    return res.fun + const


@st.composite
def cases(draw):
    n = draw(st.integers(2, 6))
    balances = [draw(st.integers(100, 3000)) for _ in range(n)]
    aprs = [draw(st.sampled_from([0, 6, 12, 19.9, 24, 39.9])) for _ in range(n)]
    minimums = [draw(st.integers(0, 60)) for _ in range(n)]
    # Enough to clear within about 2-18 months, so the MILP stays small.
    available = max(sum(minimums) + 1, sum(balances) // draw(st.integers(2, 18)))
    return balances, aprs, minimums, available


def run(strategy, balances, aprs, minimums, available):
    case = make_case(
        *(
            make_debt(f"d{i}", str(b), str(a), str(m))
            for i, (b, a, m) in enumerate(zip(balances, aprs, minimums, strict=True))
        ),
        available=str(available),
    )
    return strategy(case, Decimal(available))


def check(balances, aprs, minimums, available):
    result = run(avalanche, balances, aprs, minimums, available)
    assert result.feasible
    T = result.months_to_clear
    best = least_interest(balances, aprs, minimums, available, T)
    ours = result.total_interest
    tolerance = Decimal("0.01") * len(balances) * T + Decimal("0.02")
    assert (
        Decimal(str(round(best, 6))) - tolerance <= ours <= Decimal(str(round(best, 6))) + tolerance
    )


def test_avalanche_is_optimal_where_snowball_pays_more():
    # The small debt is the cheap one: snowball pays it first and loses money.
    balances, aprs, minimums, available = [2000, 300], [39.9, 6], [40, 20], 400
    check(balances, aprs, minimums, available)
    snow = run(snowball, balances, aprs, minimums, available)
    aval = run(avalanche, balances, aprs, minimums, available)
    assert snow.total_interest > aval.total_interest


@settings(max_examples=25, deadline=None)
@given(cases())
def test_avalanche_pays_the_least_interest_any_plan_could(data):
    check(*data)
