"""Letters written from the collection-contact log: one click from a caller's
flagged contacts to a draft (issue 9).

Three letters answer a caller whose contacts break the rules: the contact
restrictions (stop contacting my family, not at night), a complaint to the
creditor, and a complaint to the regulator, each with the table of the
caller's flagged contacts inside the letter (``letters/evidence.py``).

They offer nothing, so they hang off no proposal (``Letter.proposal`` is
None) and are written from the live case. The caller's contacts are frozen in
the letter (``extras["contacts"]``, as the case file writes them), so a draft
re-rendered after an edit lists the evidence it was written with, whatever is
logged or corrected since. Everything after that is the letter service's:
drafts are edited, downloaded, e-mailed or marked sent, and frozen once sent.
Sending one does not move the offer negotiation (``negotiations.letter_sent``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import or_, select, update

from ..domain import model as dm
from ..domain.contacts import evaluate
from ..domain.errors import FieldError, ValidationError
from ..extensions import db
from ..letters import LANGUAGES, build_context, render_html
from ..letters.catalogue import CATALOGUE
from ..letters.context import LetterContext
from ..models import Case, Letter
from ..models.letter import LetterStatus
from ..models.types import local_date, new_public_id, now_utc
from .cases import domain_contact, to_domain
from .contact_log import contact_entry
from .letter_sender import SenderDetails, apply_sender
from .letters import SEND_CLAIM_TTL

#: The letters a caller's flagged contacts can be answered with, in the page's order.
EVIDENCE_TYPES = ("contact_restrictions", "contact_complaint", "regulator_complaint")
#: Letters whose sending counts as complaining to the firm (the UK ombudsman's clock).
COMPLAINTS = ("contact_complaint", "complaint")


@dataclass(frozen=True)
class LetterRequest:
    """What the contact log's letter form gives."""

    letter_type: str
    #: the caller as the rules count them: a debt id, else the collector's name
    caller: str
    language: str
    #: the debt the letter is about, for a caller logged by name only
    debt_ref: str | None = None
    complained_on: date | None = None
    final_response_on: date | None = None
    #: China: "nfra" or "local" (``letters.regulators``)
    route: str = ""
    #: what the form asks when the case lacks it (None or "": leave as it is)
    sender_name: str | None = None
    sender_address: str | None = None
    account_ref: str = ""
    account_ref_unknown: bool = False


def flagged_callers(case: Case) -> set[str]:
    """The callers with at least one contact that breaks a rule."""
    contacts = [domain_contact(r) for r in case.collection_contacts]
    return {contacts[i].caller for i, _rule in evaluate(case.jurisdiction, contacts)}


def caller_debt(case: Case, caller: str) -> str | None:
    """The debt a caller is, when the contacts were logged against a debt."""
    return caller if any(d.ref == caller for d in case.debts) and any(
        r.debt_ref == caller for r in case.collection_contacts) else None


def complained_on(case: Case, debt_ref: str) -> date | None:
    """When the borrower last complained to this creditor through Parley: the
    day a complaint letter to it was sent."""
    sent = [x for x in case.letters if x.debt_ref == debt_ref and x.is_sent
            and x.letter_type in COMPLAINTS and x.sent_at is not None]
    latest = max(sent, key=lambda x: x.sent_at, default=None)
    return local_date(latest.sent_at, case.jurisdiction) if latest is not None else None


@dataclass(frozen=True)
class LogLetter:
    """A letter written from the log, as the log page lists it."""

    letter: Letter
    #: its title in its own language
    title: str
    written_on: date


def letters_from_log(case: Case) -> list[LogLetter]:
    """The letters written from the contact log, newest first."""
    mine = sorted((x for x in case.letters if x.proposal_id is None
                   and x.letter_type in EVIDENCE_TYPES), key=lambda x: x.id, reverse=True)
    return [LogLetter(x, CATALOGUE[x.letter_type].title[x.language],
                      local_date(x.created_at, case.jurisdiction)) for x in mine]


def _check(case: Case, req: LetterRequest) -> tuple[str | None, list[FieldError]]:
    errors = []
    if req.letter_type not in EVIDENCE_TYPES:
        errors.append(FieldError("letter_type", "choose one of the letters"))
    elif case.jurisdiction not in CATALOGUE[req.letter_type].jurisdictions:
        errors.append(FieldError("letter_type", "there is no regulator's route for this "
                                                "jurisdiction in Parley"))
    if req.language not in LANGUAGES:
        errors.append(FieldError("language", "choose English or Chinese"))
    if req.caller not in flagged_callers(case):
        errors.append(FieldError("caller", "no contact by them breaks a rule: there is "
                                           "nothing to write about"))
    ref = caller_debt(case, req.caller) or req.debt_ref or None
    if ref is None or not any(d.ref == ref for d in case.debts):
        errors.append(FieldError("debt_ref", "choose the debt they are collecting"))
    return ref, errors


def _extras(case: Case, req: LetterRequest, ref: str) -> dict:
    extras: dict = {"caller": req.caller}
    if req.letter_type == "regulator_complaint":
        complained = req.complained_on or complained_on(case, ref)
        if complained is not None:
            extras["complained_on"] = complained.isoformat()
        if req.final_response_on is not None:
            extras["final_response_on"] = req.final_response_on.isoformat()
        if req.route:
            extras["route"] = req.route
    return extras


def _frozen_contact(entry: dict) -> dm.Contact:
    return dm.Contact(at=datetime.fromisoformat(entry["at"]), channel=entry["channel"],
                      party=entry["party"], connected=bool(entry.get("connected")),
                      debt_id=entry.get("debt_id"), collector=entry.get("collector", ""),
                      notes=entry.get("notes", ""))


def _build(case: Case, ref: str, key: str, lang: str, today: date, extras: dict,
           contacts: list[dict]) -> LetterContext:
    # Every rule counts one caller's contacts only, so the caller's contacts
    # alone are flagged exactly as in the whole log.
    snapshot = replace(to_domain(case), contacts=tuple(_frozen_contact(e) for e in contacts))
    return build_context(snapshot, ref, key, lang, today=today, extras=extras)


def context_for(letter: Letter) -> LetterContext:
    """The context of a letter written from the log: the live sender and debt,
    the contacts frozen in the letter, its own date."""
    extras = dict(letter.extras or {})
    contacts = extras.pop("contacts", [])
    today = local_date(letter.created_at, letter.case.jurisdiction)
    return _build(letter.case, letter.debt_ref or "", letter.letter_type, letter.language,
                  today, extras, contacts)


def write_letter(case: Case, req: LetterRequest) -> str:
    """Write the draft; it replaces the caller's earlier draft of that letter.
    Returns the new draft's public id (read before the commit: a second click
    may replace the draft the moment this one is committed).

    All or nothing: ValidationError names the problem (``letter_type``,
    ``caller``, ``debt_ref``, ``extras.complained_on``, ``borrower.name``,
    ``debts[i].account_ref``...) and nothing is saved, not even the sender
    details the form gave.
    """
    ref, errors = _check(case, req)
    if ref is not None:
        errors += apply_sender(case, SenderDetails(
            name=req.sender_name, address=req.sender_address, refs={ref: req.account_ref},
            unknown=frozenset({ref} if req.account_ref_unknown else ())))
    if errors:
        db.session.rollback()
        raise ValidationError(errors)
    assert ref is not None
    created = now_utc()
    extras = _extras(case, req, ref)
    contacts = [contact_entry(r) for r in case.collection_contacts
                if domain_contact(r).caller == req.caller]
    try:
        html = render_html(_build(case, ref, req.letter_type, req.language,
                                  local_date(created, case.jurisdiction), extras, contacts))
    except ValidationError:
        db.session.rollback()
        raise
    # One writer at a time per case, so a double click leaves one draft, not
    # two: a write to the case's row comes first (PostgreSQL locks the row;
    # SQLite takes its write lock: a SELECT there holds none), and the drafts
    # to replace are read after it.
    db.session.execute(update(Case).where(Case.id == case.id).values(id=Case.id)
                       .execution_options(synchronize_session=False))
    for old in db.session.scalars(select(Letter).where(
            Letter.case_id == case.id, Letter.proposal_id.is_(None), Letter.debt_ref == ref,
            Letter.letter_type == req.letter_type,
            Letter.status == LetterStatus.DRAFT.value,
            or_(Letter.sending_since.is_(None),
                Letter.sending_since < created - SEND_CLAIM_TTL))):
        if (old.extras or {}).get("caller") == req.caller:
            db.session.delete(old)
    public_id = new_public_id()
    letter = Letter(public_id=public_id, case=case, proposal=None, debt_ref=ref,
                    letter_type=req.letter_type, language=req.language,
                    extras={**extras, "contacts": contacts},
                    status=LetterStatus.DRAFT.value, html=html, created_at=created,
                    updated_at=created)
    db.session.add(letter)
    db.session.commit()
    return public_id
