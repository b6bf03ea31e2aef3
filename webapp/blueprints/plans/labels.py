"""What each strategy is called and why it may not work, in the page's language."""

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...domain.strategies.base import StrategyResult
from ...domain.strategies.pro_rata import ESTIMATED_PAYMENT_PERCENT
from ...domain.strategies.term import default_term
from ...filters import money, number

STRATEGY_TEXT = {
    "pro_rata": (
        _l("Fair shares, interest frozen"),
        _l("Each creditor gets a share of what you can afford, in proportion to what you "
           "owe them, and you ask them to freeze interest and charges. This is the offer "
           "debt advisers usually make."),
    ),
    "avalanche": (
        _l("Highest interest first"),
        _l("Keep every contractual payment going; anything extra goes to the debt with the "
           "highest interest rate. This costs the least interest of any order."),
    ),
    "snowball": (
        _l("Smallest balance first"),
        _l("Keep every contractual payment going; anything extra clears the smallest debt "
           "first. Quick wins, but usually more interest."),
    ),
    "term_extension": (
        _l("Longer term"),
        _l("Each debt is spread over a longer term at a lower rate, like China's "
           "personalised instalments (个性化分期) or a US hardship programme."),
    ),
    "settlement": (
        _l("Full and final settlement"),
        _l("Offer your lump sum now, shared fairly; each creditor writes off the rest. "
           "Get their acceptance in writing before you pay."),
    ),
    "token": (
        _l("Token payments"),
        _l("A small payment to each creditor while money is too tight, with a review in "
           "three months."),
    ),
}


#: The pro-rata description when the case shares by contractual payment.
CONTRACTUAL_PRO_RATA = _l(
    "Each creditor gets a share of what you can afford, in proportion to the contractual "
    "monthly payments, and you ask them to freeze interest and charges. A debt without a "
    "contractual payment counts as %(pct)s%% of its balance.",
    pct=ESTIMATED_PAYMENT_PERCENT,
)


def describe(result: StrategyResult, case) -> str:
    """What a strategy does, with the case's own options (basis, term, APR) in it."""
    text = STRATEGY_TEXT[result.name][1]
    if result.name == "pro_rata" and result.extra.get("basis") == "contractual":
        return str(CONTRACTUAL_PRO_RATA)
    if result.name == "term_extension":
        months = case.term_months or default_term(case.jurisdiction)
        apr = number((case.term_apr or Decimal(0)).normalize())
        terms = _("Up to %(months)s months at %(apr)s%% a year.", months=months, apr=apr)
        return f"{text} {terms}"
    return str(text)


def reason_text(result: StrategyResult, currency: str) -> str:
    """Why a strategy does not work, in the page's language."""
    code = result.extra.get("reason_code")
    if code == "below_min_offer":
        return _("What is left is less than the smallest offer to every creditor "
                 "(%(needed)s a month).",
                 needed=money(result.extra["min_offer_total"], currency))
    if code == "below_contractual":
        return _("What is left does not cover the contractual payments (%(needed)s a month).",
                 needed=money(result.extra["contractual_total"], currency))
    if code == "too_long":
        return _("The debts would not be cleared within 50 years.")
    if code == "no_lump_sum":
        return _("There is no lump sum to offer. Add one to the case if you have savings, a "
                 "gift or a refund.")
    if code == "term_does_not_fit":
        return _("Even over %(months)s months you would need %(needed)s a month.",
                 months=result.extra.get("term_months", 60),
                 needed=money(result.extra["needed_at_max_term"], currency))
    return result.reason
