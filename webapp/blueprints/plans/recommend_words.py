"""The plan page's recommendation and why not the others, in the page's language."""

from __future__ import annotations

from flask_babel import gettext as _

from ...domain import recommend as r
from ...domain.strategies.base import StrategyResult
from ...filters import money, number
from .labels import reason_text


def why_chosen(rec: r.Recommendation, results: list[StrategyResult]) -> str:
    """Why the recommended option is the one to lead with."""
    by_name = {x.name: x for x in results}
    if rec.reason == r.CONTRACTUAL_FIT:
        return _("Your budget covers every contractual payment: keep paying them and put what "
                 "is left on the most expensive debt. No creditor has to agree to anything.")
    if rec.reason == r.SETTLEMENT_REALISTIC:
        share = by_name["settlement"].extra.get("share")
        return _("Your lump sum reaches %(share)s%% of what you owe, a share creditors accept, "
                 "and your monthly budget could not clear these debts within five years: a "
                 "full and final settlement ends them now. Get each acceptance in writing "
                 "before you pay.", share=number(share))
    if rec.reason == r.FAIR_SHARES:
        return _("You have %(num)d creditors and cannot pay them what their agreements ask. "
                 "Fair shares with interest frozen treat each one alike, so none is favoured, "
                 "and every payment reduces the debt. This is the offer debt advisers usually "
                 "make.", num=len(by_name["pro_rata"].offers))
    if rec.reason == r.ONE_CREDITOR:
        return _("You cannot pay what the agreement asks: offer what your budget allows, with "
                 "interest frozen, so that every payment reduces the debt.")
    if rec.reason == r.LONGER_TERM:
        return _("Fair shares cannot be offered, but spreading each debt over a longer term "
                 "brings the payments within your budget.")
    if rec.reason == r.NOTHING_TO_OFFER:
        return _("Your budget cannot fund a real offer yet: token payments show good faith "
                 "while you sort out your budget.")
    return ""


def listed_others(rec: r.Recommendation, results: list[StrategyResult]) -> list[StrategyResult]:
    """The options to explain, in the page's order: not the recommended one, nor
    those that are simply not needed (token payments beside real offers)."""
    return [x for x in results if x.name in rec.others and rec.others[x.name] != r.NOT_NEEDED]


def why_not(name: str, code: str, result: StrategyResult, currency: str,
            jurisdiction: str) -> str:
    """Why ``name`` is not the recommended option."""
    if code == r.INFEASIBLE:
        return reason_text(result, currency, jurisdiction)
    if code == r.INTEREST_CONTINUES:
        return _("Interest keeps running, so you pay more in total and the debts take longer "
                 "to clear.")
    if code == r.FAIR_SHARES_FIRST:
        return _("Fair shares already fit your budget. Ask a creditor for a longer term if it "
                 "refuses them.")
    if code == r.BELOW_FLOOR:
        return _("Unlikely to be accepted: your lump sum is %(share)s%% of what you owe, and "
                 "creditors rarely accept less than %(floor)s%%.",
                 share=number(result.extra.get("share")), floor=number(result.extra.get("floor")))
    if code == r.SURPLUS:
        return _("Your budget could clear these debts in %(num)d months without interest, so "
                 "creditors will expect more than this lump sum.",
                 num=result.extra.get("surplus_clears_in") or 0)
    if code == r.PRIORITY_FIRST:
        return _("You are short for essentials and priority debts: a lump sum goes to those "
                 "first.")
    if code == r.SETTLEMENT_CLEARS:
        return _("Your lump sum can settle every debt now at a share creditors accept; monthly "
                 "payments would take years.")
    if code == r.CONTRACTUAL_FIT:
        return _("Not needed: you can keep the contractual payments.")
    if code == r.NOT_NEEDED:
        return _("Not needed: your budget can fund real offers.")
    return ""


def settlement_warning(result: StrategyResult, currency: str) -> str:
    """The settlement card's warning when the lump sum is below the floor."""
    extra = result.extra
    low, high = extra["lump_sum_range"]["low"], extra["lump_sum_range"]["high"]
    return _("Unlikely to be accepted: %(amount)s is %(share)s%% of what you owe, and creditors "
             "rarely accept less than %(floor)s%%. A lump sum of %(low)s would reach 40%%, and "
             "%(high)s 60%%.", amount=money(extra["lump_sum"], currency),
             share=number(extra["share"]), floor=number(extra["floor"]),
             low=money(low, currency), high=money(high, currency))
