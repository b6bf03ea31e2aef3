"""What an adviser would say about a plan, beyond the arithmetic.

The strategies compute offers; this module reads the budget and their results
the way a money adviser reviews them (issues 13 and 14):

* which option to lead with (:func:`recommended`): keep the contractual
  payments when they fit, fair shares when they do not, token payments only
  when nothing real can be funded;
* what each priority debt is paid and when its arrears clear
  (:func:`priority_lines`);
* warnings with a code the page and the letters turn into words
  (:func:`warnings`): a plan past 60 months, housing costs missing beside rent
  or mortgage arrears, a deficit that leaves priority debts unpaid.

Pure: no Flask, no SQLAlchemy; dates from the case's start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .budget import BudgetSummary, _priority_payments, housing_costs_missing
from .model import Case, DebtKind
from .money import cents
from .schedule import payment_date
from .strategies.base import LONG_PLAN_MONTHS, StrategyResult

#: What a priority debt puts at risk when it is not paid, by kind.
AT_RISK: dict[DebtKind, str] = {
    DebtKind.MORTGAGE: "home",
    DebtKind.RENT_ARREARS: "home",
    DebtKind.SECURED_LOAN: "goods",
    DebtKind.COUNCIL_TAX: "enforcement",
    DebtKind.UTILITY: "supply",
    DebtKind.TAX: "enforcement",
    DebtKind.CHILD_SUPPORT: "enforcement",
}


@dataclass(frozen=True)
class PriorityLine:
    """One priority debt: its ongoing payment, its arrears and when they clear."""

    debt_id: str
    creditor: str
    kind: str
    #: what is at risk if it is not paid: home, goods, supply, enforcement
    at_risk: str
    #: month 1's payment (ongoing + catch-up, at most the balance)
    monthly: Decimal
    ongoing: Decimal
    arrears: Decimal | None
    arrears_payment: Decimal | None
    #: the date of the last catch-up payment (None: no arrears given, or they
    #: never clear within 50 years)
    arrears_cleared_on: date | None
    #: the date of the last payment of all (None: the payment goes on)
    ends_on: date | None

    def as_json(self) -> dict:
        """Amounts as strings, dates as ISO strings."""
        def text(v):
            return None if v is None else str(v)

        return {
            "debt_id": self.debt_id, "creditor": self.creditor, "kind": self.kind,
            "at_risk": self.at_risk, "monthly": str(self.monthly), "ongoing": str(self.ongoing),
            "arrears": text(self.arrears), "arrears_payment": text(self.arrears_payment),
            "arrears_cleared_on": text(self.arrears_cleared_on and
                                       self.arrears_cleared_on.isoformat()),
            "ends_on": text(self.ends_on and self.ends_on.isoformat()),
        }


def priority_lines(case: Case) -> list[PriorityLine]:
    """Every priority debt with a payment or a balance, in input order."""
    out = []
    for d in case.priority_debts:
        pays = _priority_payments(d)
        ends_on = None
        if pays[-1] == 0 and any(pays):
            last = len(pays) - 2  # the index of the last non-zero payment
            ends_on = payment_date(case.start_date, max(last, 0))
        cleared = None
        if d.arrears and d.arrears_payment:
            months = -(-d.arrears // d.arrears_payment)
            cleared = payment_date(case.start_date, int(months) - 1)
            if ends_on is not None and ends_on < cleared:
                cleared = ends_on
        out.append(PriorityLine(
            d.id, d.creditor, d.kind.value, AT_RISK.get(d.kind, "enforcement"),
            cents(Decimal(pays[0]) / 100), d.contractual_payment, d.arrears, d.arrears_payment,
            cleared, ends_on))
    return out


@dataclass(frozen=True)
class Warning:
    """Something the plan must say before any offer is made."""

    #: priority_shortfall, housing_costs_missing, priority_arrears_unplanned, long_plan
    code: str
    #: long_plan: the strategies that run past LONG_PLAN_MONTHS
    strategies: tuple[str, ...] = ()
    #: priority_arrears_unplanned: the debts behind with no catch-up planned
    debts: tuple[str, ...] = ()
    #: priority_shortfall: how much a month is missing
    amount: Decimal | None = None
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        out: dict = {"code": self.code}
        if self.strategies:
            out["strategies"] = list(self.strategies)
        if self.debts:
            out["debts"] = list(self.debts)
        if self.amount is not None:
            out["amount"] = str(self.amount)
        return out


def long_plans(results: list[StrategyResult]) -> tuple[str, ...]:
    """Monthly strategies that run longer than LONG_PLAN_MONTHS: feasible ones, and
    those refused for running past the jurisdiction's cap (CN)."""
    return tuple(
        r.name for r in results
        if r.name not in ("token", "settlement") and (
            (r.feasible and (r.months_to_clear or 0) > LONG_PLAN_MONTHS)
            or r.extra.get("reason_code") == "over_term_cap")
    )


def warnings(case: Case, budget: BudgetSummary, results: list[StrategyResult]) -> list[Warning]:
    """What the plan warns about, most serious first."""
    out = []
    if budget.in_deficit:
        out.append(Warning("priority_shortfall", amount=-budget.available))
    if housing_costs_missing(case):
        out.append(Warning("housing_costs_missing"))
    if behind := arrears_unplanned(case):
        out.append(Warning("priority_arrears_unplanned", debts=behind))
    if long := long_plans(results):
        out.append(Warning("long_plan", strategies=long))
    return out


#: Priority kinds whose balance is itself the arrears (the contractual payment
#: is the catch-up): nothing more to plan for them.
ARREARS_KINDS = frozenset({DebtKind.RENT_ARREARS, DebtKind.COUNCIL_TAX, DebtKind.UTILITY,
                           DebtKind.TAX, DebtKind.CHILD_SUPPORT})


def arrears_unplanned(case: Case) -> tuple[str, ...]:
    """Priority debts that are behind (``days_overdue``) on an ongoing payment, such
    as a mortgage or a car loan, with no arrears planned: paying only the
    contractual payment leaves the arrears, and the risk, where they are."""
    return tuple(
        d.id for d in case.priority_debts
        if d.days_overdue and d.kind not in ARREARS_KINDS and not d.arrears
    )


def recommended(budget: BudgetSummary, results: list[StrategyResult]) -> str | None:
    """The option to lead with: keep the contractual payments (avalanche) when they
    fit; a settlement when a lump sum reaches a realistic share; fair shares
    otherwise; a longer term if fair shares cannot be offered; token payments only
    when nothing real can be funded (:mod:`.recommend`, with the reasons)."""
    from .recommend import recommendation

    return recommendation(budget, results).name


@dataclass(frozen=True)
class LetterFacts:
    """What a letter may claim, read from the case's own budget (issue 13)."""

    #: the contractual payments fit: no letter says "I cannot afford them"
    contractual_payments_fit: bool
    #: months the monthly budget would take to clear everything interest-free
    surplus_clears_in: int | None
    #: a settlement offer would be refuted by the budget statement: no letter
    #: says "I cannot offer more", and the user must acknowledge it
    settlement_refuted: bool


def letter_facts(case: Case) -> LetterFacts:
    """The facts of ``case`` that decide what its letters may claim."""
    from .budget import summarise
    from .strategies.settlement import SURPLUS_WARNING_MONTHS, surplus_clears_in

    budget = summarise(case)
    clears_in = surplus_clears_in(case, budget.available)
    refuted = clears_in is not None and 0 < clears_in <= SURPLUS_WARNING_MONTHS
    return LetterFacts(budget.contractual_payments_fit, clears_in, refuted)
