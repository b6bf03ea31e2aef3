"""Repayment strategies: each takes the case and what is available a month.

Every strategy works on ``case.non_priority_debts`` (non-priority debts with a
balance) and returns a :class:`~.base.StrategyResult`. The rules are those of
``shared/CASEFILE.md``; ``webapp.domain.plan`` runs them all.
"""

from .avalanche import avalanche, snowball
from .base import Month, Offer, StrategyResult
from .pro_rata import pro_rata, pro_rata_offers
from .settlement import settlement
from .term import TERM_LIMITS, term_extension
from .token import token

__all__ = [
    "Month",
    "Offer",
    "StrategyResult",
    "TERM_LIMITS",
    "avalanche",
    "pro_rata",
    "pro_rata_offers",
    "settlement",
    "snowball",
    "term_extension",
    "token",
]
