"""Benchmark the plan engine: speed, memory, optimality, and a reference tool.

    .venv/bin/python bench/engine.py [--seed 7] [--quick] [--only SECTION ...]

Prints figures; it is not a test. Scenarios are seeded: 1 to 500 non-priority
debts, APRs 0-40 % drawn from a short list (so ties happen), budgets from 0.8×
to 2× the sum of the contractual payments. For each strategy: median and p95
time per plan and peak memory (tracemalloc). Avalanche's and snowball's interest
is compared with the LP lower bound (least interest with minimums relaxed, same
horizon). ``loan_payoff_tools`` (PyPI, MIT, Python 2 code) is run through a small
import shim on the same cases with an APR-first ranking, checked to the cent
against our avalanche, and timed: each case is run ``--repeat`` times on each side,
alternately (ours, theirs, ours, ...), and the medians are over all those runs. It
is not a project dependency:
``pip install loan_payoff_tools`` into the venv to include it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from webapp.domain.budget import summarise  # noqa: E402
from webapp.domain.model import BudgetItem, Case, Debt, DebtKind, Frequency  # noqa: E402
from webapp.domain.plan import STRATEGIES, compute_strategies, make_plan  # noqa: E402

APRS = ["0", "0", "5", "9.9", "12", "18.25", "19.9", "24.9", "29.99", "39.9", "40"]
SIZES = [1, 5, 10, 50, 100, 500]


def scenario(
    rng: random.Random, n: int, factor: float | None = None
) -> Case:  # float ok: seed data
    debts = []
    for i in range(n):
        balance = Decimal(rng.randint(5_000, 1_500_000)).scaleb(-2)
        minimum = max(Decimal("5"), (balance * Decimal("0.03")).quantize(Decimal("0.01")))
        kind = rng.choice([DebtKind.CREDIT_CARD, DebtKind.PERSONAL_LOAN, DebtKind.ONLINE_LOAN])
        debts.append(
            Debt(f"d{i}", f"Creditor {i}", kind, balance, Decimal(rng.choice(APRS)), minimum)
        )
    factor = rng.uniform(0.8, 2.0) if factor is None else factor  # float ok
    minimums = sum(d.contractual_payment for d in debts)
    income = (minimums * Decimal(str(round(factor, 3)))).quantize(Decimal("0.01"))
    return Case(
        "GBP",
        "GB",
        date(2027, 1, 31),
        income=(BudgetItem("Wages", income, Frequency.MONTHLY),),
        debts=tuple(debts),
        lump_sum=Decimal(rng.randint(0, 20_000)),
    )


def pct(values: list[float], q: float) -> float:  # float ok: timings
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def time_strategies(cases: list[Case], repeat: int) -> dict[str, list[float]]:  # float ok
    out: dict[str, list[float]] = {name: [] for name in STRATEGIES}
    for case in cases:
        available = summarise(case).available
        for name, fn in STRATEGIES.items():
            for _ in range(repeat):
                t = time.perf_counter()
                fn(case, available)
                out[name].append(time.perf_counter() - t)
    return out


def peak_memory(case: Case) -> dict[str, int]:
    available = summarise(case).available
    out = {}
    for name, fn in STRATEGIES.items():
        tracemalloc.start()
        fn(case, available)
        out[name] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return out


def lp_bound(case: Case, months: int) -> float | None:  # float ok: LP oracle
    """Least interest over ``months`` with minimums relaxed (continuous LP)."""
    try:
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import lil_matrix
    except ImportError:
        return None
    debts = case.non_priority_debts
    n, T = len(debts), months
    rate = [float(d.apr) / 1200 for d in debts]  # float ok
    bal = [float(d.balance) for d in debts]  # float ok
    avail = float(summarise(case).available)  # float ok
    size = 2 * n * T  # p[i,t], b[i,t]

    def p(i, t):
        return i * T + t - 1

    def b(i, t):
        return n * T + i * T + t - 1

    cost = np.zeros(size)
    const = sum(r * x for r, x in zip(rate, bal, strict=True))
    for i in range(n):
        for t in range(1, T):
            cost[b(i, t)] = rate[i]
    eq = lil_matrix((n * T, size))
    beq = np.zeros(n * T)
    for i in range(n):
        for t in range(1, T + 1):
            row = i * T + t - 1
            eq[row, b(i, t)] = 1
            eq[row, p(i, t)] = 1
            if t > 1:
                eq[row, b(i, t - 1)] = -(1 + rate[i])
            else:
                beq[row] = bal[i] * (1 + rate[i])
    ub = lil_matrix((T, size))
    for t in range(1, T + 1):
        for i in range(n):
            ub[t - 1, p(i, t)] = 1
    bounds = [(0, None)] * size
    for i in range(n):
        bounds[b(i, T)] = (0, 0)
    res = linprog(
        cost,
        A_ub=ub.tocsr(),
        b_ub=np.full(T, avail),
        A_eq=eq.tocsr(),
        b_eq=beq,
        bounds=bounds,
        method="highs",
    )
    return res.fun + const if res.status == 0 else None


# ---- loan_payoff_tools through a Python 3 shim --------------------------------


def load_reference():
    """Import loan_payoff_tools (Python 2 code) with the few shims it needs, or say why not."""
    try:
        import builtins
        import calendar
        import importlib.util

        spec = importlib.util.find_spec("loan_payoff_tools")
        if spec is None:
            return None, "not installed (pip install loan_payoff_tools)"
        # Its modules import each other Python-2 style ("from money import Money").
        sys.path.insert(0, str(Path(spec.origin).parent))
        builtins.long = int  # type: ignore[attr-defined]
        builtins.basestring = str  # type: ignore[attr-defined]
        import money as lpt_money
        import payment_manager as lpt_pm
        import payoff_calculator as lpt_calc

        lpt_money.Money.__bool__ = lpt_money.Money.__nonzero__  # Python 2 truthiness

        def add_months(day, months):  # its version divides with "/" (a float in Python 3)
            month = day.month - 1 + months
            year = day.year + month // 12
            month = month % 12 + 1
            return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

        lpt_calc._add_months = add_months
        return (lpt_money, lpt_pm, lpt_calc), ""
    except Exception as exc:  # any failure just means "not comparable here"
        return None, f"unusable: {type(exc).__name__}: {exc}"


def reference_avalanche(ref, case: Case):
    lpt_money, lpt_pm, lpt_calc = ref
    import max_payment_determiner as lpt_mpd
    from loan_payoff_tools.max_payment_determiner import ConstantMaxPaymentDeterminer  # noqa: F401

    from webapp.domain.plan import STRATEGIES as _  # noqa: F401  (keeps import order obvious)

    accounts = []
    for i, d in enumerate(case.non_priority_debts):
        acc = lpt_pm.Account(
            "me",
            i,
            d.creditor,
            d.balance,
            float(d.apr) / 100,  # float ok: its API
            d.contractual_payment,
            None,
        )
        accounts.append(acc)

    def by_apr(account, balance):
        return (-account.interest, account.debtor_id)  # highest APR first, ties by input order

    class Avalanche(lpt_pm.PaymentManager):
        def _make_payments(self, max_payment, balances, ignore_minimum_payments):
            return lpt_pm.make_ranked_payments(
                by_apr, max_payment, balances, ignore_minimum_payments
            )

    available = summarise(case).available
    determiner = lpt_mpd.ConstantMaxPaymentDeterminer(available)
    total, months, _rows = lpt_calc.calculate_payoff(
        determiner, Avalanche(), Avalanche(), accounts, case.start_date
    )
    return Decimal(total._cents).scaleb(-2), months


SECTIONS = ("sizes", "all50", "lp", "payoff")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="fewer scenarios")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        default=list(SECTIONS),
        help="run only these sections (the cases are the same as in a full run)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per case and side for loan_payoff_tools"
    )
    args = parser.parse_args()
    only = set(args.only)
    rng = random.Random(args.seed)
    per_size = 3 if args.quick else 12
    print(f"seed {args.seed}; Python {sys.version.split()[0]}")
    if "sizes" in only:
        print("\n== time per plan (ms), median / p95, and peak memory (KiB) of the largest case ==")
        print(f"{'debts':>5} {'cases':>5} " + " ".join(f"{n:>22}" for n in STRATEGIES))
    for n in SIZES:
        count = max(2, per_size if n <= 100 else per_size // 4)
        cases = [scenario(rng, n) for _ in range(count)]  # drawn even when skipped: same cases
        if "sizes" not in only:
            continue
        times = time_strategies(cases, repeat=3 if n <= 100 else 1)
        mem = peak_memory(cases[0])
        cells = [
            f"{statistics.median(times[s]) * 1e3:6.2f}/{pct(times[s], 0.95) * 1e3:6.2f}"
            f" {mem[s] // 1024:5d}K"
            for s in STRATEGIES
        ]
        print(f"{n:>5} {count:>5} " + " ".join(f"{c:>22}" for c in cells))

    cases50 = [scenario(rng, 50, rng.uniform(1.2, 2.0)) for _ in range(20)]  # float ok
    if "all50" in only:
        print("\n== all strategies for 50 debts (budget 1.2x to 2x minimums) ==")
        for label, fn in (
            ("compute_strategies", compute_strategies),
            ("make_plan (JSON-ready)", make_plan),
        ):
            ts = []
            for case in cases50:
                for _ in range(3):
                    t = time.perf_counter()
                    fn(case)
                    ts.append(time.perf_counter() - t)
            print(
                f"{label:>24}: median {statistics.median(ts) * 1e3:.2f} ms,"
                f" p95 {pct(ts, 0.95) * 1e3:.2f} ms"
                f" (target < 20 ms)"
            )

    if "lp" in only:
        print("\n== interest against the LP lower bound (minimums relaxed, same horizon) ==")
        for n in (5, 10, 50):
            rows = []
            for _ in range(4 if n < 50 else 2):
                case = scenario(rng, n, rng.uniform(1.3, 2.0))  # float ok
                pair = compute_strategies(case, strategies=["avalanche", "snowball"])
                results = {r.name: r for r in pair}
                aval = results["avalanche"]
                if not aval.feasible:
                    continue
                bound = lp_bound(case, aval.months_to_clear)
                if bound is None:
                    continue
                snow = results["snowball"]
                interest = float(aval.total_interest), float(snow.total_interest)  # float ok
                rows.append((*interest, bound))
            for a, s, b in rows:
                print(
                    f"{n:>3} debts: LP bound {b:12.2f}"
                    f"  avalanche {a:12.2f} (+{(a - b) / b * 100 if b else 0:5.2f} %)"
                    f"  snowball {s:12.2f} (+{(s - b) / b * 100 if b else 0:5.2f} %)"
                )

    if "payoff" not in only:
        return
    print("\n== loan_payoff_tools (avalanche ranking) on the same 50-debt cases ==")
    ref, why = load_reference()
    if ref is None:
        print(f"loan_payoff_tools {why}: comparison skipped")
        return
    from webapp.domain.strategies import avalanche

    agree = compared = 0
    ours_t, theirs_t = [], []
    for case in cases50:
        available = summarise(case).available
        result = avalanche(case, available)
        if not result.feasible:
            continue
        # Both sides run the same case the same number of times, alternately,
        # so that drift in machine speed hits them alike.
        for _ in range(args.repeat):
            t = time.perf_counter()
            avalanche(case, available)
            ours_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            total, months = reference_avalanche(ref, case)
            theirs_t.append(time.perf_counter() - t)
        compared += 1
        if total == result.total_paid and months == result.months_to_clear:
            agree += 1
        else:
            print(
                f"  differs: ours {result.total_paid} in {result.months_to_clear} months, "
                f"theirs {total} in {months}"
            )
    print(f"agree to the cent (total paid and months) on {agree} of {compared} cases")
    ours_m, theirs_m = statistics.median(ours_t), statistics.median(theirs_t)
    ratios = sorted(b / a for a, b in zip(ours_t, theirs_t, strict=True))
    print(
        f"avalanche median: ours {ours_m * 1e3:.2f} ms, loan_payoff_tools {theirs_m * 1e3:.2f} ms"
        f" -> {theirs_m / ours_m:.1f}x faster (target >= 5x)"
    )
    print(
        f"  over {len(ours_t)} runs ({compared} cases x {args.repeat}): speed-up per run"
        f" min {ratios[0]:.1f}x, median {statistics.median(ratios):.1f}x"
    )


if __name__ == "__main__":
    main()
