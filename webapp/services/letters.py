"""Letters to creditors: generate from a proposal, edit drafts, send, freeze.

Every letter is made from the proposal's frozen snapshot, never from the live
case, so what a letter offers is what the proposal offered. A sent letter is
frozen: its exact HTML is kept with a SHA-256 digest and every function here
that would change it raises :class:`LetterFrozen` instead. Sending a letter
opens the negotiation with that creditor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from werkzeug.exceptions import NotFound

from ..domain.advice import letter_facts
from ..domain.errors import FieldError, ValidationError
from ..domain.model import Case as DomainCase
from ..domain.negotiation import EventType, apply, can_apply, start
from ..extensions import db
from ..letters import (
    LANGUAGES,
    build_context,
    letter_text_digest,
    render_html,
)
from ..letters.catalogue import (
    BUDGET_STATEMENT,
    CATALOGUE,
    FieldKind,
    LetterType,
    default_language,
    recipients,
)
from ..letters.context import LetterContext
from ..letters.edited import MAX_BODY, body_text, paragraphs, render_edited
from ..letters.sender import sender_problems
from ..models import Case, Letter, Negotiation, Proposal
from ..models.letter import Channel, LetterStatus
from ..models.types import local_date, now_utc
from .letter_sender import SenderDetails, apply_sender, with_contact
from .proposals import snapshot_case

#: The letter a strategy's offer goes out in unless the user chooses another.
DEFAULT_TYPE = {"settlement": "settlement", "token": "token"}
#: ...and where a jurisdiction has a letter made for the strategy (issue 14.5):
#: a term extension in China is a 个性化分期 request under 第七十条.
DEFAULT_TYPE_BY_JURISDICTION = {("CN", "term_extension"): "cn_instalment"}


class LetterFrozen(Exception):
    """The letter was sent: it can never be changed, only followed by a new one."""


@dataclass(frozen=True)
class LetterRow:
    """A letter with what the pages show about it (creditor, title, e-mail)."""

    letter: Letter
    creditor: str
    title: dict[str, str]
    #: the address Parley would e-mail it to ("" when there is none)
    email: str


# --- choices ----------------------------------------------------------------


def letter_types(case_jurisdiction: str, strategy: str,
                 snapshot: DomainCase | None = None) -> list[LetterType]:
    """Letter types that can go to every creditor of a proposal with ``strategy``.

    Offer letters must carry the strategy; letters without an offer (hold,
    proof of debt...) fit any proposal. Types that need a value the user has
    to give first (the date of a phone call) are left out: they are written
    one at a time, not for every creditor at once. Given the proposal's case,
    a type with nobody to write to (no rent, council tax or energy arrears for
    the priority letter) is left out too.
    """
    out = []
    for row in CATALOGUE.values():
        if case_jurisdiction not in row.jurisdictions:
            continue
        if snapshot is not None and not recipients(row, snapshot):
            continue
        if row.makes_offer and not row.allows(strategy):
            continue
        if any(f.required and f.default_days is None for f in row.fields):
            continue
        out.append(row)
    return out


def default_type(strategy: str, jurisdiction: str = "") -> str:
    """The letter type made for ``strategy`` in ``jurisdiction``."""
    return DEFAULT_TYPE_BY_JURISDICTION.get(
        (jurisdiction, strategy), DEFAULT_TYPE.get(strategy, "proposal"))


def surplus_months(proposal: Proposal) -> int | None:
    """When a settlement letter of this proposal would be refuted by its own
    budget: the months the budget would take to clear everything (else None).

    The user must acknowledge this before settlement letters are written
    (issue 13.2; the threshold is ``strategies.settlement.SURPLUS_WARNING_MONTHS``).
    """
    if proposal.strategy != "settlement":
        return None
    facts = letter_facts(snapshot_case(proposal))
    return facts.surplus_clears_in if facts.settlement_refuted else None


def generate_defaults(proposal: Proposal, interface_language: str) -> dict[str, str]:
    """What the generate form starts with: the last set's choice, else the defaults."""
    last = max((x for x in proposal.letters if not x.is_statement), key=lambda x: x.id,
               default=None)
    if last is not None:
        return {"letter_type": last.letter_type, "language": last.language}
    return {"letter_type": default_type(proposal.strategy, proposal.case.jurisdiction),
            "language": default_letter_language(proposal, interface_language)}


def default_letter_language(proposal: Proposal, interface_language: str) -> str:
    """The case's letter language; when it says "same as the interface", the page's."""
    case = proposal.case
    return default_language(case.language or interface_language, case.jurisdiction)


# --- reading ------------------------------------------------------------------


def get_letter(case: Case, public_id: str) -> Letter:
    """The case's letter with this public id; 404 otherwise."""
    letter = db.session.scalar(
        select(Letter).where(Letter.case_id == case.id, Letter.public_id == public_id))
    if letter is None:
        raise NotFound()
    return letter


def _creditor_email(letter: Letter, snapshot: DomainCase) -> str:
    """The live debt's e-mail (the user may have added it since), else the snapshot's."""
    if letter.debt_ref is None:
        return ""
    live = next((d for d in letter.case.debts if d.ref == letter.debt_ref), None)
    if live is not None and live.creditor_email:
        return live.creditor_email
    debt = next((d for d in snapshot.debts if d.id == letter.debt_ref), None)
    return debt.creditor_email if debt is not None else ""


def _row(letter: Letter, snapshot: DomainCase) -> LetterRow:
    debt = next((d for d in snapshot.debts if d.id == letter.debt_ref), None)
    row = _catalogue_row(letter.letter_type)
    return LetterRow(letter, debt.creditor if debt else "", row.title,
                     _creditor_email(letter, snapshot))


def _catalogue_row(key: str) -> LetterType:
    return BUDGET_STATEMENT if key == BUDGET_STATEMENT.key else CATALOGUE[key]


def rows_for_proposal(proposal: Proposal) -> list[LetterRow]:
    """The proposal's letters: the drafts in the order written, then the sent
    ones, newest first."""
    snapshot = snapshot_case(proposal)
    letters = sorted(proposal.letters, key=lambda x: (x.is_sent, -x.id if x.is_sent else x.id))
    return [_row(x, snapshot) for x in letters]


def describe(letter: Letter) -> LetterRow:
    return _row(letter, snapshot_case(letter.proposal))


def editable_text(letter: Letter) -> str:
    """The body to start editing from: the user's text, else the generated one."""
    if letter.body_text is not None:
        return letter.body_text
    return body_text(_context(letter))


# --- generating -----------------------------------------------------------------


def _context(letter: Letter) -> LetterContext:
    proposal = letter.proposal
    snapshot = with_contact(snapshot_case(proposal), letter.case)
    return _build(proposal, snapshot, letter.debt_ref, letter.letter_type,
                  letter.language, local_date(letter.created_at, letter.case.jurisdiction),
                  letter.extras or {})


def _build(proposal: Proposal, snapshot: DomainCase, debt_ref: str | None, key: str,
           lang: str, today: date, extras: Mapping[str, str] | None = None) -> LetterContext:
    return build_context(
        snapshot, debt_ref, key, lang, today=today,
        plan=proposal.plan_snapshot["strategy"], strategy=proposal.strategy, extras=extras)


def letter_extras(letter_type: str, text: str = "", day: date | None = None,
                  proofs: tuple[str, ...] | list[str] = (), waive: bool = False) -> dict:
    """The form's optional details, given to the fields this letter type has.

    The free text is the letter's account of circumstances (or the token letter's
    reason, the proof letter's dispute); the date is its deadline, the date an
    offer follows, or the date an offer was refused; ``proofs`` the hardship
    proofs enclosed; ``waive`` asks for the charges already added to be waived.
    """
    extras: dict = {}
    for field in CATALOGUE[letter_type].fields:
        if field.kind is FieldKind.TEXT and text.strip():
            extras[field.name] = text.strip()
        elif field.kind is FieldKind.DATE and day is not None:
            extras[field.name] = day.isoformat()
        elif field.kind is FieldKind.CHOICES and proofs:
            extras[field.name] = list(proofs)
        elif field.kind is FieldKind.FLAG and waive:
            extras[field.name] = True
    return extras


def generate_for_proposal(proposal: Proposal, letter_type: str, language: str,
                          extras: Mapping[str, str] | None = None,
                          sender: SenderDetails | None = None, *,
                          acknowledge_surplus: bool = False) -> list[Letter]:
    """Write a draft to every creditor the letter goes to (``catalogue.recipients``)
    and the budget statement when it goes with one. Drafts of the proposal not yet
    sent are replaced; sent letters stay.

    ``sender`` (the letters page's short form) is saved to the case first: the
    letters need the sender's name and address and each debt's account reference
    (or "I don't have it"). All or nothing: ValidationError names the problem
    (``letter_type``, ``language``, ``extras.<field>``, ``borrower.name``,
    ``debts[i].account_ref``, ``acknowledge_surplus``...) and nothing is saved,
    not even the sender.

    A settlement letter whose budget could clear every debt within 60 months
    needs ``acknowledge_surplus`` (see :func:`surplus_months`)."""
    case = proposal.case
    errors = apply_sender(case, sender) if sender is not None else []
    snapshot = with_contact(snapshot_case(proposal), case)
    allowed = {row.key for row in letter_types(case.jurisdiction, proposal.strategy)}
    if letter_type not in allowed:
        errors.append(FieldError("letter_type", "this letter does not fit the proposal"))
    if language not in LANGUAGES:
        errors.append(FieldError("language", "choose English or Chinese"))
    row = CATALOGUE.get(letter_type)
    targets = recipients(row, snapshot) if row is not None else []
    if row is not None and not targets:
        errors.append(FieldError("letter_type", "there is no creditor to write to"))
    months = surplus_months(proposal)
    if letter_type == "settlement" and months is not None and not acknowledge_surplus:
        errors.append(FieldError(
            "acknowledge_surplus",
            f"your budget could clear these debts in {months} months: confirm that you "
            "want to offer a settlement anyway"))
    if not errors:
        errors = sender_problems(snapshot, [d for d, _row in targets])
    if errors:
        db.session.rollback()
        raise ValidationError(errors)
    assert row is not None
    created = now_utc()
    # Letters are dated the day they are written; an edit re-renders with the
    # same date (``created_at``), so editing never changes the letter's date.
    today = local_date(created, proposal.case.jurisdiction)
    keys: list[tuple[str | None, str]] = [(d.id, r.key) for d, r in targets]
    if row.with_statement:
        keys.append((None, BUDGET_STATEMENT.key))
    # Render everything before touching the session: a failure saves nothing.
    rendered = []
    try:
        for ref, key in keys:
            mine = dict(extras or {}) if ref is not None else {}
            rendered.append((ref, key, mine, render_html(_build(proposal, snapshot, ref, key,
                                                                language, today, mine))))
    except ValidationError:
        db.session.rollback()
        raise
    for old in [x for x in proposal.letters if not x.is_sent]:
        proposal.letters.remove(old)
        db.session.delete(old)
    letters = [
        Letter(case=case, proposal=proposal, debt_ref=ref, letter_type=key, language=language,
               extras=mine, status=LetterStatus.DRAFT.value, html=html, created_at=created,
               updated_at=created)
        for ref, key, mine, html in rendered
    ]
    db.session.add_all(letters)
    db.session.commit()
    return letters


# --- changing a draft ---------------------------------------------------------------


def refuse_sent(letter: Letter) -> None:
    if letter.is_sent:
        raise LetterFrozen(letter.public_id)


def update_draft(letter: Letter, text: str) -> None:
    """Replace the body of a draft with the user's plain text, re-rendered escaped."""
    refuse_sent(letter)
    if letter.is_statement:
        raise ValidationError([FieldError("body_text", "the budget statement is not edited")])
    if len(text) > MAX_BODY:
        raise ValidationError([FieldError("body_text", f"at most {MAX_BODY} characters")])
    if "\x00" in text or not paragraphs(text):
        raise ValidationError([FieldError("body_text", "write the text of the letter")])
    letter.html = render_edited(_context(letter), text)
    letter.body_text = text
    letter.updated_at = now_utc()
    db.session.commit()


def sent_on_bounds(letter: Letter, today: date | None = None) -> tuple[date, date]:
    """The dates a letter may be marked sent on: from the day it was written
    (a day's slack either side for time zones) to today."""
    today = today or now_utc().date()
    return letter.created_at.date() - timedelta(days=1), today + timedelta(days=1)


def _freeze(letter: Letter, channel: Channel, sent_at: datetime, sent_to: str) -> None:
    letter.status = LetterStatus.SENT.value
    letter.sha256 = letter_text_digest(letter.html)
    letter.sent_at = sent_at
    letter.channel = channel.value
    letter.sent_to = sent_to[:300]
    letter.updated_at = now_utc()


def statement_for(letter: Letter) -> Letter | None:
    """The budget statement that goes with an offer letter: the proposal's
    newest in the same language."""
    if letter.is_statement or not _catalogue_row(letter.letter_type).with_statement:
        return None
    statements = [x for x in letter.proposal.letters
                  if x.is_statement and x.language == letter.language]
    return max(statements, key=lambda x: x.id, default=None)


def _open_negotiation(letter: Letter) -> None:
    """Sending starts (or restarts) the negotiation with the letter's creditor."""
    if letter.debt_ref is None or letter.proposal_id is None:
        return
    negotiation = db.session.scalar(select(Negotiation).where(
        Negotiation.proposal_id == letter.proposal_id, Negotiation.debt_ref == letter.debt_ref))
    if negotiation is None:
        db.session.add(Negotiation(
            case=letter.case, proposal=letter.proposal, debt_ref=letter.debt_ref,
            opened_by=letter, status=start().value, opened_at=letter.sent_at))
    elif can_apply(negotiation.status, EventType.SENT):
        negotiation.status = apply(negotiation.status, EventType.SENT).value


def send_and_freeze(letter: Letter, channel: Channel, sent_at: datetime, sent_to: str) -> None:
    _freeze(letter, channel, sent_at, sent_to)
    statement = statement_for(letter)
    if statement is not None and not statement.is_sent:
        _freeze(statement, channel, sent_at, "")
    _open_negotiation(letter)
    from .negotiations import letter_sent

    letter_sent(letter, local_date(sent_at, letter.case.jurisdiction))
    db.session.commit()


def mark_sent(letter: Letter, channel: str, sent_on: date, *, today: date | None = None) -> None:
    """Record that the user sent the letter themselves; freezes it."""
    refuse_sent(letter)
    errors = []
    try:
        how = Channel(channel)
    except ValueError:
        errors.append(FieldError("channel", "choose how you sent it"))
    earliest, latest = sent_on_bounds(letter, today)
    if not isinstance(sent_on, date) or not earliest <= sent_on <= latest:
        errors.append(FieldError("sent_on", "not a date the letter can have been sent on"))
    if errors:
        raise ValidationError(errors)
    now = now_utc()
    sent_at = now if sent_on == now.date() else datetime.combine(sent_on, time(12), UTC)
    send_and_freeze(letter, how, sent_at, describe(letter).creditor)
