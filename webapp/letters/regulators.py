"""Where a complaint about collection goes, per jurisdiction, as data.

Sources (re-checked for issue 9; shared/DOMAIN.md and the bodies' own pages):

- China: banks and licensed consumer-finance companies are supervised by the
  National Financial Regulatory Administration (国家金融监督管理总局), whose
  consumer complaints line is 12378 and whose local offices take written
  complaints. Online micro-lending companies (网络小额贷款公司) are licensed and
  supervised by the local financial regulatory bureau (地方金融管理局) of the
  province where they are registered, not by the NFRA; which one applies
  depends on the lender's licence, so the borrower chooses (``route``), and
  the default follows the kind of debt. The China Internet Finance
  Association's reporting platform is an industry body, not a regulator; the
  police (110) deal with threats and violence.
- United States: the Consumer Financial Protection Bureau takes complaints
  about lenders and debt collectors online (consumerfinance.gov/complaint),
  by phone ((855) 411-2372) and by post (P.O. Box 4503, Iowa City, IA 52244);
  it sends them to the company, which has 15 days to respond.
- United Kingdom: the Financial Ombudsman Service (Exchange Tower, London
  E14 9SR) takes a complaint once the firm has sent its final response, or
  8 weeks after the firm received the complaint (DISP 2.8.1R), and within
  6 months of a final response (DISP 2.8.2R).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from webapp.domain.errors import FieldError
from webapp.domain.model import Case, Debt

from .rules import Cite

if TYPE_CHECKING:
    from .catalogue import LetterType


@dataclass(frozen=True)
class Regulator:
    """Who a regulator complaint is addressed to."""

    name: Cite
    #: the postal address, the same in every language ("" lines: none published for post)
    lines: tuple[str, ...] = ()


#: China's two routes: the NFRA (banks, consumer-finance companies) or the local
#: financial regulator (online micro-lenders).
ROUTES = ("nfra", "local")
#: Kinds of debt usually owed to an online lender rather than a bank.
ONLINE_KINDS = frozenset({"online_loan", "bnpl"})

REGULATORS: dict[tuple[str, str], Regulator] = {
    ("CN", "nfra"): Regulator(Cite(
        "National Financial Regulatory Administration (国家金融监督管理总局)",
        "国家金融监督管理总局")),
    ("CN", "local"): Regulator(Cite(
        "The local financial regulatory bureau (地方金融管理局) of the province where the "
        "lender is registered",
        "贷款机构注册地的地方金融管理局")),
    ("US", ""): Regulator(
        Cite("Consumer Financial Protection Bureau",
             "美国消费者金融保护局（Consumer Financial Protection Bureau）"),
        ("P.O. Box 4503", "Iowa City, IA 52244")),
    ("GB", ""): Regulator(
        Cite("Financial Ombudsman Service",
             "英国金融申诉专员服务机构（Financial Ombudsman Service）"),
        ("Exchange Tower", "London", "E14 9SR")),
}

#: The UK ombudsman takes a complaint this many weeks after the firm got it
#: (or sooner, once the firm has sent its final response).
OMBUDSMAN_WEEKS = 8


def default_route(kind: str) -> str:
    """China: the local regulator for an online lender, else the NFRA."""
    return "local" if str(kind) in ONLINE_KINDS else "nfra"


def regulator_for(jurisdiction: str, route: str = "") -> Regulator:
    """The regulator of ``jurisdiction`` (and, in China, of ``route``)."""
    return REGULATORS[(jurisdiction, route if jurisdiction == "CN" else "")]


def regulator_checks(case: Case, debt: Debt | None, letter: LetterType,
                      values: Mapping[str, Any], today: date) -> tuple[str, list[FieldError]]:
    """The dates a regulator complaint gives, and China's route. The UK
    ombudsman takes a complaint once the firm has sent its final response, or
    8 weeks after the firm got it (``regulators.py``)."""
    if not letter.to_regulator:
        return "", []
    errors = []
    complained, final = values.get("complained_on"), values.get("final_response_on")
    for name, day in (("complained_on", complained), ("final_response_on", final)):
        if day is not None and day > today:
            errors.append(FieldError(f"extras.{name}", "is after today"))
    if complained is not None and final is not None and final < complained:
        errors.append(FieldError("extras.final_response_on",
                                 "is before the day you complained"))
    if case.jurisdiction == "GB" and complained is None:
        errors.append(FieldError(
            "extras.complained_on", "the Financial Ombudsman Service takes a complaint only "
            "after the firm has had it: give the day you complained to the firm"))
    elif case.jurisdiction == "GB" and final is None:
        ready = complained + timedelta(weeks=OMBUDSMAN_WEEKS)
        if today < ready:
            errors.append(FieldError(
                "extras.complained_on", "the Financial Ombudsman Service takes a complaint "
                f"after the firm's final response, or from {ready.isoformat()} (8 weeks after "
                "you complained)"))
    route = values.get("route") or ""
    if case.jurisdiction != "CN":
        if route:
            errors.append(FieldError("extras.route", "only for a complaint in China"))
        return "", errors
    if route and route not in ROUTES:
        errors.append(FieldError("extras.route", f"choose from {', '.join(ROUTES)}"))
    return route or (default_route(debt.kind) if debt is not None else ROUTES[0]), errors

