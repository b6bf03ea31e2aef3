"""The contact log's letter forms: for each caller whose contacts break a rule,
one form whose buttons write a letter, asking only for what is still missing."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale

from ...domain.contact_summary import CallerFacts
from ...letters.catalogue import default_language
from ...letters.regulators import default_route
from ...models import Case
from ...services import contact_letters as svc
from .forms import ContactLetterForm


@dataclass(frozen=True)
class LetterForm:
    """A flagged caller's form, and what it must ask for."""

    form: ContactLetterForm
    #: the creditor the letters go to, when the contacts name the debt ("" otherwise)
    creditor: str
    needs_debt: bool
    needs_sender: bool
    needs_ref: bool


def interface_language() -> str:
    locale = get_locale()
    return "zh_CN" if locale is not None and locale.language == "zh" else "en"


def debt_choices(case: Case) -> list[tuple[str, str]]:
    return [(d.ref, d.creditor) for d in case.debts]


def _fresh(case: Case, n: int, caller: str) -> ContactLetterForm:
    ref = svc.caller_debt(case, caller)
    debt = next((d for d in case.debts if d.ref == ref), None)
    data = {"caller": caller,
            "language": default_language(case.language or interface_language(),
                                         case.jurisdiction)}
    if debt is not None:
        data["debt_ref"] = debt.ref
        if case.jurisdiction == "CN":
            data["route"] = default_route(debt.kind)
        data["complained_on"] = svc.complained_on(case, debt.ref)
    return ContactLetterForm(debt_choices(case), prefix=f"letter{n}", formdata=None, data=data)


def letter_forms(case: Case, callers: list[CallerFacts],
                 posted: ContactLetterForm | None = None) -> dict[str, LetterForm]:
    """Caller key → its form, for every caller with a contact that breaks a rule;
    ``posted`` (a form sent back with errors) stands in for its caller's."""
    out = {}
    sender_missing = not (case.borrower_name or "").strip() \
        or not (case.borrower_address or "").strip()
    for n, facts in enumerate((f for f in callers if f.rules), start=1):
        form = posted if posted is not None and posted.caller.data == facts.key \
            else _fresh(case, n, facts.key)
        ref = svc.caller_debt(case, facts.key)
        debt = next((d for d in case.debts if d.ref == ref), None)
        ref_missing = debt is None or not ((debt.account_ref or "").strip()
                                           or debt.account_ref_unknown)
        out[facts.key] = LetterForm(form, debt.creditor if debt is not None else "",
                                    debt is None, sender_missing, ref_missing)
    return out
