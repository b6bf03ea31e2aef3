"""Who letters are from: the sender details a letter cannot go out without.

The letters page asks for what is missing (issue 14.1): the borrower's name and
address, each debt's account reference or an explicit "I don't have it", and,
in China, the identity number creditors find the account by. They are contact
details, not figures: saving them does not make the saved proposal out of date,
and the letters take them from the live case (:func:`with_contact`) while the
offers stay the proposal's.

The identity number is stored in full and printed in full in the letter files
(what is downloaded, e-mailed, and digested when frozen: the creditor needs it,
and the digest must cover what was sent); every page and the preview show it
masked (:func:`masked_html`, ``identity.mask``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..domain import identity
from ..domain.errors import FieldError
from ..domain.model import Case as DomainCase
from ..letters.catalogue import recipients
from ..letters.sender import ref_answered
from ..models import Case, Letter, Proposal
from .proposals import snapshot_case


def with_contact(snapshot: DomainCase, case: Case) -> DomainCase:
    """The proposal's snapshot with the live case's sender and account references.

    The offer stays what the proposal froze; who the letter is from and which
    account it is about are contact details, which the user may add on the
    letters page after saving the proposal (without making it out of date); and
    so are the borrower's reasons for spending (the budget statement prints them).
    """
    live = {d.ref: d for d in case.debts}

    def debt(d):
        row = live.get(d.id)
        if row is None:
            return d
        ref = (row.account_ref or "").strip()
        return replace(d, account_ref=ref, account_ref_unknown=bool(row.account_ref_unknown)
                       and not ref)

    borrower = replace(
        snapshot.borrower, name=case.borrower_name or "", address=case.borrower_address or "",
        email=case.borrower_email or "", phone=case.borrower_phone or "",
        id_number=case.borrower_id_number or "")
    from .cases import spending_reasons

    # Reasons for spending explain the budget; like the sender they come from the
    # live case, so one added after the proposal was saved goes in the statement.
    return replace(snapshot, borrower=borrower, debts=tuple(debt(d) for d in snapshot.debts),
                   spending_reasons=spending_reasons(case))


@dataclass(frozen=True)
class SenderStatus:
    """What the letters page shows about the sender, and what is still missing."""

    name: str
    address: str
    #: the identity number as pages show it (masked), "" when there is none
    id_masked: str
    #: debts written to that have neither an account reference nor "I don't have it"
    debts_missing_ref: tuple[tuple[str, str], ...]
    #: (debt ref, creditor, account ref or "") of every debt letters can go to
    debts: tuple[tuple[str, str, str], ...]

    @property
    def complete(self) -> bool:
        return bool(self.name.strip() and self.address.strip()) and not self.debts_missing_ref


def _written_to(snapshot: DomainCase, jurisdiction: str, strategy: str) -> list:
    """Every debt some letter of this proposal can go to, in case order."""
    from .letters import letter_types  # letters imports this module

    wanted = set()
    for row in letter_types(jurisdiction, strategy, snapshot):
        wanted |= {d.id for d, _row in recipients(row, snapshot)}
    return [d for d in snapshot.debts if d.id in wanted]


def sender_status(proposal: Proposal) -> SenderStatus:
    case = proposal.case
    snapshot = with_contact(snapshot_case(proposal), case)
    debts = _written_to(snapshot, case.jurisdiction, proposal.strategy)
    missing = tuple((d.id, d.creditor) for d in debts if not ref_answered(d))
    return SenderStatus(
        case.borrower_name or "", case.borrower_address or "",
        identity.mask(case.borrower_id_number or ""), missing,
        tuple((d.id, d.creditor, d.account_ref) for d in debts))


@dataclass(frozen=True)
class SenderDetails:
    """What the letters page's short form gives: None leaves a value as it is."""

    name: str | None = None
    address: str | None = None
    id_number: str | None = None
    #: debt ref -> account reference typed ("" = none typed)
    refs: Mapping[str, str] | None = None
    #: debt refs the user ticked "I don't have it" for
    unknown: frozenset[str] = frozenset()


def apply_sender(case: Case, details: SenderDetails) -> list[FieldError]:
    """Put the form's sender details on the case (not committed); errors by form field.

    Contact details do not change the plan, so the case's revision is not
    bumped: the saved proposal stays current.
    """
    errors = []
    if details.name is not None and details.name.strip():
        case.borrower_name = details.name.strip()[:300]
    if details.address is not None and details.address.strip():
        case.borrower_address = details.address.strip()[:1000]
    if details.id_number is not None and details.id_number.strip():
        why = identity.problem(details.id_number, case.jurisdiction)
        if why:
            errors.append(FieldError("sender_id_number", why))
        else:
            case.borrower_id_number = (identity.normalise(details.id_number)
                                       if case.jurisdiction == "CN" else details.id_number.strip())
    for debt in case.debts:
        typed = (details.refs or {}).get(debt.ref, "").strip()
        if typed:
            if len(typed) > 80:
                errors.append(FieldError(f"ref:{debt.ref}", "at most 80 characters"))
                continue
            debt.account_ref, debt.account_ref_unknown = typed, False
        elif debt.ref in details.unknown and not (debt.account_ref or "").strip():
            debt.account_ref_unknown = True
    return errors


#: The identity number in a letter's HTML (both layouts wrap it in this span).
_ID_SPAN = re.compile(r'(<span class="id-number">)([^<]*)(</span>)')


def masked_html(letter: Letter) -> str:
    """The letter's HTML as pages and previews show it: the identity number masked.

    The stored HTML (what is downloaded, sent, and digested when frozen) keeps the
    number in full: the creditor needs it, and the digest must cover what was sent.
    """
    return _ID_SPAN.sub(lambda m: m[1] + identity.mask(m[2]) + m[3], letter.html)
