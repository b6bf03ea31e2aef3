"""What each strategy is called and why it may not work, in the page's language."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...domain.strategies.base import StrategyResult
from ...domain.strategies.pro_rata import ESTIMATED_PAYMENT_PERCENT
from ...domain.strategies.term import default_term, term_limit
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
        apr = number((case.term_apr or Decimal(0)).normalize())
        if case.jurisdiction == "CN":  # 第七十条 caps personalised instalments (issue 12)
            text = _("%(text)s In China a bank may agree personalised instalments over at "
                     "most %(cap)s months (Article 70 of the credit card Measures).",
                     text=text, cap=term_limit(case.jurisdiction))
        if case.term_months:  # a chosen term is honoured (issue 14.5)
            terms = _("Over %(months)s months, the term you chose, at %(apr)s%% a year.",
                      months=case.term_months, apr=apr)
        else:
            terms = _("Up to %(months)s months at %(apr)s%% a year.",
                      months=default_term(case.jurisdiction), apr=apr)
        return f"{text} {terms}"
    return str(text)


def reason_text(result: StrategyResult, currency: str, jurisdiction: str = "") -> str:
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
    if code == "contractual_payments_fit":
        return _("Not needed: what you have covers the contractual payments (%(needed)s a "
                 "month). Keep paying them rather than asking any creditor for less.",
                 needed=money(result.extra["contractual_total"], currency))
    if code == "over_term_cap":
        return _("It would take %(months)s months, and in China no repayment plan with a "
                 "bank may run longer than %(cap)s months (Article 70 of the credit card "
                 "Measures).", months=result.extra["months_needed"],
                 cap=result.extra["term_cap"])
    if code == "real_offers_fit":
        return _("Not needed: your budget can fund real offers.")
    if code == "term_does_not_fit":
        months = result.extra.get("term_months", 60)
        needed = money(result.extra["needed_at_max_term"], currency)
        lump = result.extra.get("lump_sum_to_fit")
        if lump is None or lump >= result.extra.get("owed", lump):
            # nothing is left each month (or a plan computed before issue 12)
            return _("Even over %(months)s months you would need %(needed)s a month.",
                     months=months, needed=needed)
        if jurisdiction == "CN":
            return _("Even over the %(months)s months that Article 70 of the credit card "
                     "Measures allows, you would need %(needed)s a month. It would fit with "
                     "that much a month, or with a lump sum of %(lump)s paid now and the rest "
                     "over %(months)s months.", months=months, needed=needed,
                     lump=money(lump, currency))
        return _("Even over %(months)s months you would need %(needed)s a month. It would fit "
                 "with that much a month, or with a lump sum of %(lump)s paid now and the rest "
                 "over %(months)s months.", months=months, needed=needed,
                 lump=money(lump, currency))
    return result.reason


#: What an unpaid priority debt puts at risk (``advice.AT_RISK`` codes).
AT_RISK_TEXT = {
    "home": _l("your home (eviction or repossession)"),
    "goods": _l("the goods the loan is secured on, such as your car"),
    "supply": _l("your energy or water supply (a prepayment meter or disconnection)"),
    "enforcement": _l("enforcement: bailiffs, court action or deductions from your income"),
}


@dataclass(frozen=True)
class Contact:
    """A free advice service: its name, what it does, how to reach it (plain text)."""

    name: str
    what: object
    phone: str
    web: str


#: Free, independent debt advice per jurisdiction (names, numbers and web
#: addresses shown as plain text: the page makes no external request).
FREE_ADVICE: dict[str, tuple[Contact, ...]] = {
    "GB": (
        Contact("National Debtline", _l("free debt advice by phone and online; it can "
                                        "apply for Breathing Space for you"),
                "0808 808 4000", "nationaldebtline.org"),
        Contact("StepChange Debt Charity", _l("free debt advice and debt management plans"),
                "0800 138 1111", "stepchange.org"),
        Contact("Citizens Advice", _l("free advice in person, by phone and online"),
                "", "citizensadvice.org.uk"),
    ),
    "US": (
        Contact("National Foundation for Credit Counseling (NFCC)",
                _l("nonprofit credit counseling and debt management plans"),
                "1-800-388-2227", "nfcc.org"),
        Contact("LawHelp.org", _l("free legal aid near you, including bankruptcy advice"),
                "", "lawhelp.org"),
    ),
    "CN": (
        Contact("12348", _l("public legal services and legal aid hotline (法律援助)"),
                "12348", "12348.gov.cn"),
        Contact("12378", _l("the financial regulator's consumer complaints hotline"),
                "12378", ""),
    ),
}

#: What an adviser raises instead of a plan longer than five years.
LONG_PLAN_OPTIONS: dict[str, tuple[object, ...]] = {
    "GB": (
        _l("Breathing Space (England and Wales): 60 days with interest, charges and "
           "enforcement paused while a debt adviser helps you; ask National Debtline or "
           "StepChange."),
        _l("A Debt Relief Order, if your debts, spare income and savings are low: the debts "
           "are written off after 12 months."),
        _l("Advice on bankruptcy from a free debt adviser before you commit to years of "
           "payments."),
    ),
    "US": (
        _l("A debt management plan through a nonprofit credit counselor (NFCC member): "
           "creditors often lower the interest and the plan runs 36 to 60 months."),
        _l("Advice on bankruptcy (Chapter 7 or Chapter 13) from a bankruptcy attorney or "
           "legal aid before you commit to years of payments."),
    ),
    "CN": (
        _l("Personalised instalments (个性化分期) with each card issuer under Article 70: "
           "at most 5 years, often with interest and fees stopped."),
        _l("Free legal aid (hotline 12348) before you commit to years of payments."),
    ),
    "other": (
        _l("Free, independent debt advice before you commit to years of payments."),
        _l("Legal advice on insolvency options where you live."),
    ),
}
