"""What a letter cannot go out without: who it is from, and which account it is about.

A letter with no sender cannot be answered, and one with no account line makes
the creditor guess: both used to go out silently (issue 14, item 1). The
sender's name and postal address are required, and for each debt written to
either its account reference or the borrower's explicit "I don't have it"
(``account_ref_unknown``), in which case the letter asks the creditor to find
the account by the borrower's name and address instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from webapp.domain.errors import FieldError
from webapp.domain.model import Case, Debt

#: The messages, by what is missing (the web page words them for the user).
MISSING_NAME = "your name is needed: letters are signed with it"
MISSING_ADDRESS = "your postal address is needed: creditors reply to it"
MISSING_REF = "give the account reference, or say that you do not have it"


def sender_problems(case: Case, debts: Iterable[Debt]) -> list[FieldError]:
    """Every missing detail for letters to ``debts``, by case-file field path."""
    errors = []
    if not case.borrower.name.strip():
        errors.append(FieldError("borrower.name", MISSING_NAME))
    if not case.borrower.address.strip():
        errors.append(FieldError("borrower.address", MISSING_ADDRESS))
    wanted = {d.id for d in debts}
    for i, debt in enumerate(case.debts):
        if debt.id in wanted and not ref_answered(debt):
            errors.append(FieldError(f"debts[{i}].account_ref", MISSING_REF))
    return errors


def ref_answered(debt: Debt) -> bool:
    """True when the debt has a reference, or the borrower said there is none."""
    return bool(debt.account_ref.strip()) or debt.account_ref_unknown
