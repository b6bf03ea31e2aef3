"""What every strategy returns, and the integer-cent arithmetic they share.

Strategies compute in whole cents held in Python ``int`` (exact, like
``Decimal``, and about three times faster in the month-by-month loops); amounts
leave this package as ``Decimal`` (typed results) or as strings (JSON). APRs
are held as ``int`` in ten-thousandths of a percent, so that the monthly
interest ``balance × apr ÷ 1200`` rounded half-up to the cent is one exact
integer division.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from ..model import Debt
from ..schedule import payment_date

#: A plan longer than this is not a plan (50 years).
MAX_MONTHS = 600
#: The terms for which ``needed_monthly`` is quoted (the usual DMP range).
NEEDED_TERMS = (36, 60)
#: A plan longer than this gets a warning: creditors rarely accept more than
#: five years (US DMPs run 36-60 months; CN 第七十条 caps instalments at 5 years).
LONG_PLAN_MONTHS = 60
#: Jurisdictions where no monthly offer may run longer than this (months).
#: CN: 《商业银行信用卡业务监督管理办法》第七十条, personalised instalments at
#: most five years; a bank will not agree a longer plan of any kind.
OFFER_TERM_CAPS: dict[str, int] = {"CN": 60}


def offer_term_cap(jurisdiction: str) -> int | None:
    """The longest monthly plan Parley offers in ``jurisdiction`` (None: no cap)."""
    return OFFER_TERM_CAPS.get(jurisdiction)
#: ``apr_e4 = apr × 10 000``; monthly interest in cents = r × apr_e4 ÷ INTEREST_DIVISOR.
INTEREST_DIVISOR = 1200 * 10_000


def to_cents(amount: Decimal) -> int:
    """``Decimal("12.345")`` → ``1235`` (half-up, the one rounding rule)."""
    scaled = Decimal(amount).scaleb(2)
    whole = int(scaled)
    if whole == scaled:  # the usual case: already whole cents, no rounding needed
        return whole
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def apr_e4(apr: Decimal) -> int:
    """An APR in ten-thousandths of a percent: ``Decimal("18.25")`` → ``182500``."""
    scaled = Decimal(apr).scaleb(4)
    whole = int(scaled)
    if whole == scaled:
        return whole
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_cents(value: int) -> Decimal:
    """``1235`` → ``Decimal("12.35")``; always two places."""
    return Decimal(value).scaleb(-2)


def cents_str(value: int) -> str:
    """``-1235`` → ``"-12.35"``: the JSON form of an amount, without a Decimal detour."""
    if value >= 0:
        return "%d.%02d" % divmod(value, 100)  # noqa: UP031 (fastest form)
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 100)
    return f"{sign}{whole}.{part:02d}"


def div_half_up(num: int, den: int) -> int:
    """``num ÷ den`` rounded half-up (away from zero at .5) for ``den > 0``."""
    if num >= 0:
        return (2 * num + den) // (2 * den)
    return -((-2 * num + den) // (2 * den))


def div_up(num: int, den: int) -> int:
    """``num ÷ den`` rounded up, for ``num ≥ 0`` and ``den > 0``."""
    return -(-num // den)


def monthly_interest(balance: int, apr: int) -> int:
    """Cents of interest for a month: balance × apr ÷ 1200, half-up (CASEFILE.md)."""
    return (2 * balance * apr + INTEREST_DIVISOR) // (2 * INTEREST_DIVISOR)


def annuity_cents(balance: int, apr: int, months: int) -> int:
    """The level monthly payment (cents, rounded up) that clears ``balance`` in ``months``.

    The annuity formula P = B·i ÷ (1 − (1 + i)^−n) with i = apr ÷ 1200; rounded
    up so that n payments clear the debt (the last one is then a little less).
    """
    if balance <= 0:
        return 0
    if apr == 0:
        return div_up(balance, months)
    i = Decimal(apr) / INTEREST_DIVISOR
    exact = Decimal(balance) * i / (1 - (1 + i) ** -months)
    return int(exact.to_integral_value(rounding=ROUND_CEILING))


def needed_monthly(balances: list[int], aprs: list[int], floor: int = 0) -> dict[int, int]:
    """The one rule for "what a month would need" (cents), per term in NEEDED_TERMS.

    Interest-free (every APR 0): ``⌈Σ balances ÷ term⌉``, but never less than
    ``floor`` (``min_offer``) to each debt: the figure pro rata, settlement,
    token and a 0 % term extension all quote, so one case has one figure
    (issue 13.5). With interest: the sum of each debt's annuity over the term
    (rounded up to the cent), what avalanche and an interest-bearing term need.
    """
    if not any(aprs):
        total = sum(balances)
        return {m: max(div_up(total, m), floor * len(balances)) for m in NEEDED_TERMS}
    return {
        m: sum(annuity_cents(b, a, m) for b, a in zip(balances, aprs, strict=True))
        for m in NEEDED_TERMS
    }


def month_available(available: int, released: list[int]):
    """``f(k)``: cents available in month k (1-based): month 1's plus what priority
    debts released by then (the last entry of ``released`` repeats)."""
    last = len(released) - 1

    def at(month: int) -> int:
        return available + released[min(month - 1, last)]

    return at


def split_cents(total: int, weights: list[int]) -> list[int]:
    """Largest-remainder split of ``total`` cents in proportion to ``weights``.

    The integer twin of :func:`webapp.domain.money.split_largest_remainder`
    (same tie rule: earlier position first); the tests check they agree.
    """
    if not weights:
        return []
    wsum = sum(weights)
    if wsum == 0:
        weights = [1] * len(weights)
        wsum = len(weights)
    parts = []
    rems = []
    for w in weights:
        q, r = divmod(total * w, wsum)
        parts.append(q)
        rems.append(r)
    left = total - sum(parts)
    if left:
        order = sorted(range(len(parts)), key=lambda i: (-rems[i], i))
        for i in order[:left]:
            parts[i] += 1
    return parts


@dataclass(frozen=True)
class Offer:
    """What one creditor is offered: a monthly amount, or a one-off amount."""

    debt_id: str
    creditor: str
    monthly: Decimal | None = None
    amount: Decimal | None = None
    percent: Decimal | None = None


@dataclass(frozen=True)
class Month:
    """One payment date: what each debt is paid and what it still owes after."""

    date: date
    payments: dict[str, Decimal]
    balances: dict[str, Decimal]
    interest: dict[str, Decimal]


#: One schedule row: the ids owing at the start of the month, then aligned
#: lists of payments, balances after payment and interest (None: frozen).
Row = tuple[tuple[str, ...], list[int], list[int], list[int] | None]


def _texts(values: list[int]) -> list[str]:
    # Amounts in a schedule are never negative, so this is cents_str's fast
    # path inlined: serialising is most of make_plan's time.
    return ["%d.%02d" % divmod(v, 100) for v in values]  # noqa: UP031


@dataclass
class CentSchedule:
    """A schedule kept in cents as :data:`Row` tuples (cheap to build month by month)."""

    start: date
    rows: list[Row] = field(default_factory=list)

    def add(
        self,
        ids: tuple[str, ...],
        pays: list[int],
        balances: list[int],
        interest: list[int] | None = None,
    ) -> None:
        """Append a month; the lists are aligned with ``ids``."""
        self.rows.append((ids, pays, balances, interest))

    def months(self) -> list[Month]:
        """The schedule as typed, dated months in ``Decimal``."""
        out = []
        for k, (ids, pay, bal, intr) in enumerate(self.rows):
            out.append(
                Month(
                    payment_date(self.start, k),
                    {d: from_cents(v) for d, v in zip(ids, pay, strict=True)},
                    {d: from_cents(v) for d, v in zip(ids, bal, strict=True)},
                    {}
                    if intr is None
                    else {d: from_cents(v) for d, v in zip(ids, intr, strict=True)},
                )
            )
        return out

    def as_json(self) -> list[dict]:
        """The contract's ``schedule`` list, plus ``interest`` where interest runs."""
        out = []
        for k, (ids, pay, bal, intr) in enumerate(self.rows):
            row: dict = {
                "date": payment_date(self.start, k).isoformat(),
                "payments": dict(zip(ids, _texts(pay), strict=True)),
                "balances": dict(zip(ids, _texts(bal), strict=True)),
            }
            if intr is not None:
                row["interest"] = dict(zip(ids, _texts(intr), strict=True))
            out.append(row)
        return out

    def entries(self) -> int:
        """Payment lines in the monthly schedule: one per debt per month it is owing."""
        return sum(len(ids) for ids, *_ in self.rows)

    def as_json_yearly(self) -> list[dict]:
        """The schedule by plan year: one row per 12 payments from the start.

        ``date`` is the year's last payment date and ``from`` its first;
        ``months`` how many payments it holds (fewer in a last, short year);
        ``payments`` and ``interest`` are the year's sums per debt, ``balances``
        what remains after its last payment (0 for a debt cleared in the year).
        """
        out = []
        rows = self.rows
        for first in range(0, len(rows), 12):
            chunk = rows[first : first + 12]
            pays: dict[str, int] = {}
            balances: dict[str, int] = {}
            interest: dict[str, int] = {}
            charged = False
            for ids, pay, bal, intr in chunk:
                for d, p, b in zip(ids, pay, bal, strict=True):
                    pays[d] = pays.get(d, 0) + p
                    balances[d] = b
                if intr is not None:
                    charged = True
                    for d, v in zip(ids, intr, strict=True):
                        interest[d] = interest.get(d, 0) + v
            row: dict = {
                "date": payment_date(self.start, first + len(chunk) - 1).isoformat(),
                "from": payment_date(self.start, first).isoformat(),
                "months": len(chunk),
                "payments": dict(zip(pays, _texts(list(pays.values())), strict=True)),
                "balances": dict(zip(balances, _texts(list(balances.values())), strict=True)),
            }
            if charged:
                row["interest"] = dict(
                    zip(interest, _texts(list(interest.values())), strict=True))
            out.append(row)
        return out


@dataclass
class StrategyResult:
    """One strategy's answer; ``feasible=False`` comes with ``reason`` and ``needed_monthly``."""

    name: str
    feasible: bool
    reason: str = ""
    #: months → the monthly amount that would clear the debts in that many months
    needed_monthly: dict[int, Decimal] = field(default_factory=dict)
    months_to_clear: int | None = None
    total_paid: Decimal | None = None
    total_interest: Decimal | None = None
    offers: list[Offer] = field(default_factory=list)
    schedule: CentSchedule | None = None
    review_date: date | None = None
    #: strategy-specific figures (term months, proposed APR, written-off amount...)
    extra: dict[str, object] = field(default_factory=dict)


def infeasible(name: str, reason: str, needed: dict[int, int], **extra: object) -> StrategyResult:
    """An infeasible result with its ``needed_monthly`` (given in cents).

    ``reason`` is for people reading JSON; ``extra["reason_code"]`` (one of
    ``below_min_offer``, ``below_contractual``, ``too_long``, ``no_lump_sum``,
    ``term_does_not_fit``) lets a page say it in its own language.
    """
    return StrategyResult(
        name,
        False,
        reason,
        {k: from_cents(v) for k, v in needed.items()},
        extra=dict(extra),
    )


def over_cap(name: str, months: int, cap: int, needed: dict[int, int]) -> StrategyResult:
    """The answer when a plan would run past the jurisdiction's cap (CN: 60 months)."""
    return infeasible(
        name,
        f"The plan would take {months} months; no offer may run longer than {cap} months here.",
        needed,
        reason_code="over_term_cap",
        months_needed=months,
        term_cap=cap,
    )


def nothing_to_plan(name: str) -> StrategyResult:
    """The answer when no non-priority debt has a balance: feasible, nothing to pay."""
    return StrategyResult(
        name,
        True,
        months_to_clear=0,
        total_paid=from_cents(0),
        total_interest=from_cents(0),
        extra={"nothing_to_plan": True},
    )


def debt_cents(debts: tuple[Debt, ...]) -> list[int]:
    """Opening balances in cents, in input order."""
    return [to_cents(d.balance) for d in debts]
