"""Letters to creditors: generate from a proposal, edit drafts, send, freeze.

Every letter is made from the proposal's frozen snapshot, never from the live
case, so what a letter offers is what the proposal offered. A sent letter is
frozen: its exact HTML is kept with a SHA-256 digest and every function here
that would change it raises :class:`LetterFrozen` instead. Sending a letter
opens the negotiation with that creditor.

Concurrent requests: every change to a letter is a versioned UPDATE (see
``services.concurrency``), so an edit and a freeze based on the same read cannot
both succeed, and the digest a freeze stores is always of the stored HTML. The
loser gets :class:`~webapp.services.concurrency.Conflict`. A letter being
e-mailed is claimed first (``sending_since``), so a second send, an edit or a
new set of letters leaves it alone (:class:`LetterBusy`). Writing a proposal's
letters claims the proposal's next ``letters_generation`` with a conditional
UPDATE: two at once leave one set of drafts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, delete, exists, or_, select, true, update
from sqlalchemy.orm.exc import ObjectDeletedError
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
from .concurrency import Conflict, check_version, saving
from .letter_sender import SenderDetails, apply_sender, with_contact
from .proposals import current_proposal, is_current, snapshot_case

#: The letter a strategy's offer goes out in unless the user chooses another.
DEFAULT_TYPE = {"settlement": "settlement", "token": "token"}
#: ...and where a jurisdiction has a letter made for the strategy (issue 14.5):
#: a term extension in China is a 个性化分期 request under 第七十条.
DEFAULT_TYPE_BY_JURISDICTION = {("CN", "term_extension"): "cn_instalment"}


#: A claim to be e-mailing a letter older than this is a worker that died
#: mid-send (the mail server's timeout is far shorter): the letter is free again.
SEND_CLAIM_TTL = timedelta(minutes=10)


class LetterFrozen(Exception):
    """The letter was sent: it can never be changed, only followed by a new one."""


class LetterBusy(Exception):
    """Parley is e-mailing the letter right now: it may not be changed or sent again."""


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
                 snapshot: DomainCase | None = None, *, single: bool = False,
                 from_record: bool = False) -> list[LetterType]:
    """Letter types that can go to every creditor of a proposal with ``strategy``.

    Offer letters must carry the strategy; letters without an offer (hold,
    proof of debt...) fit any proposal. Types that need a value the user has
    to give first (the date of a phone call) are left out: they are written
    one at a time, not for every creditor at once. Given the proposal's case,
    a type with nobody to write to (no rent, council tax or energy arrears for
    the priority letter) is left out too, and so are the letters that answer one
    creditor's reply (``one_at_a_time``). ``single``: the types for one creditor,
    including those needing a value the user (or the negotiation record) gives.
    ``from_record``: also the letters whose figures come from the negotiation
    record (written from the creditor's page, never offered on the letters page).
    """
    out = []
    for row in CATALOGUE.values():
        if case_jurisdiction not in row.jurisdictions:
            continue
        if row.from_record and not (from_record and single):
            continue
        if snapshot is not None and not recipients(row, snapshot):
            continue
        if row.makes_offer and not row.allows(strategy):
            continue
        if row.evidence:  # written from the contact log, never from a proposal
            continue
        if not single and (row.one_at_a_time or any(
                f.required and f.default_days is None for f in row.fields)):
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


@dataclass(frozen=True)
class BelowFloor:
    """A settlement proposal whose offers fall below the case's floor (issue 12)."""

    #: the lump sum as a percentage of everything owed, and the floor
    share: Decimal
    floor: Decimal
    #: the lump sums that would reach 40 % and 60 % of the balances
    low: Decimal
    high: Decimal


def below_floor(proposal: Proposal) -> BelowFloor | None:
    """When the proposal is a settlement below the floor: its figures (else None).

    Settlement letters are then written only if the user insists (a checkbox,
    recorded in each letter's extras as ``below_floor``). A proposal saved before
    issue 12 has no ``below_floor`` in its snapshot: the strategy is re-run on the
    snapshot case, which gives the same offers.
    """
    if proposal.strategy != "settlement":
        return None
    strategy = proposal.plan_snapshot.get("strategy", {})
    if "below_floor" not in strategy:
        from ..domain.plan import compute_strategies, strategy_json

        [result] = compute_strategies(snapshot_case(proposal), strategies=["settlement"])
        strategy = strategy_json(result, schedule="none")
    if not strategy.get("below_floor"):
        return None
    span = strategy["lump_sum_range"]
    return BelowFloor(*(Decimal(str(x)) for x in (strategy["share"], strategy["floor"],
                                                   span["low"], span["high"])))


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
    return _row(letter, snapshot_of(letter))


def snapshot_of(letter: Letter) -> DomainCase:
    """The case a letter was written from: its proposal's snapshot, or the live
    case for a letter that offers nothing (written from the contact log)."""
    if letter.proposal is None:
        from .cases import to_domain

        return to_domain(letter.case)
    return snapshot_case(letter.proposal)


def editable_text(letter: Letter) -> str:
    """The body to start editing from: the user's text, else the generated one."""
    if letter.body_text is not None:
        return letter.body_text
    return body_text(_context(letter))


# --- generating -----------------------------------------------------------------


def _context(letter: Letter) -> LetterContext:
    proposal = letter.proposal
    if proposal is None:  # written from the contact log: no offer, no snapshot
        from .contact_letters import context_for

        return context_for(letter)
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
                  proofs: tuple[str, ...] | list[str] = (), waive: bool = False,
                  insist: bool = False) -> dict:
    """The form's optional details, given to the fields this letter type has.

    The free text is the letter's account of circumstances (or the token letter's
    reason, the proof letter's dispute); the date is its deadline, the date an
    offer follows, or the date an offer was refused; ``proofs`` the hardship
    proofs enclosed; ``waive`` asks for the charges already added to be waived;
    ``insist`` records that the user offers a settlement below the floor anyway.
    """
    flags = {"waive_charges": waive, "below_floor": insist}
    extras: dict = {}
    for field in CATALOGUE[letter_type].fields:
        if field.kind is FieldKind.TEXT and text.strip():
            extras[field.name] = text.strip()
        elif field.kind is FieldKind.DATE and day is not None:
            extras[field.name] = day.isoformat()
        elif field.kind is FieldKind.CHOICES and proofs:
            extras[field.name] = list(proofs)
        elif field.kind is FieldKind.FLAG and flags.get(field.name):
            extras[field.name] = True
    return extras


def generate_for_proposal(proposal: Proposal, letter_type: str, language: str,
                          extras: Mapping[str, str] | None = None,
                          sender: SenderDetails | None = None, *,
                          acknowledge_surplus: bool = False,
                          debt_ref: str | None = None,
                          from_record: bool = False) -> list[Letter]:
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
    needs ``acknowledge_surplus`` (see :func:`surplus_months`).

    ``debt_ref``: write to that creditor only (the next letter of its
    negotiation); only its drafts are replaced. A date the letter needs and the
    user left empty comes from the creditor's negotiation record, when it has one
    (the day the offer was sent, refused, agreed by phone)."""
    case = proposal.case
    errors = apply_sender(case, sender) if sender is not None else []
    if not is_current(proposal):
        errors.append(FieldError("proposal", "a newer version of this proposal exists: "
                                             "letters are written from it"))
    snapshot = with_contact(snapshot_case(proposal), case)
    allowed = {row.key for row in letter_types(case.jurisdiction, proposal.strategy,
                                               single=debt_ref is not None,
                                               from_record=from_record)}
    if letter_type not in allowed:
        errors.append(FieldError("letter_type", "this letter does not fit the proposal"))
    if language not in LANGUAGES:
        errors.append(FieldError("language", "choose English or Chinese"))
    row = CATALOGUE.get(letter_type)
    targets = recipients(row, snapshot) if row is not None else []
    if debt_ref is not None:
        targets = [(d, r) for d, r in targets if d.id == debt_ref]
    if row is not None and not targets:
        errors.append(FieldError("letter_type", "there is no creditor to write to"))
    months = surplus_months(proposal)
    if letter_type == "settlement" and months is not None and not acknowledge_surplus:
        errors.append(FieldError(
            "acknowledge_surplus",
            f"your budget could clear these debts in {months} months: confirm that you "
            "want to offer a settlement anyway"))
    low = below_floor(proposal) if letter_type == "settlement" else None
    if low is not None and not (extras or {}).get("below_floor"):
        errors.append(FieldError(
            "extras.below_floor",
            f"this settlement offers {low.share}% of what you owe, below the {low.floor}% "
            "creditors usually accept: confirm that you want to offer it anyway"))
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
            mine = _with_record_dates(case, ref, key, extras) if ref is not None else {}
            rendered.append((ref, key, mine, render_html(_build(proposal, snapshot, ref, key,
                                                                language, today, mine))))
    except ValidationError:
        db.session.rollback()
        raise
    _claim_generation(proposal)
    # The drafts as they are now, not as loaded: a draft marked sent or being
    # e-mailed meanwhile is no draft to replace.
    replaced = [Letter.proposal_id == proposal.id, Letter.status == LetterStatus.DRAFT.value,
                _not_busy(now_utc())]
    if debt_ref is not None:  # one creditor's next letter: the others' drafts stay
        statement = and_(Letter.debt_ref.is_(None), Letter.language == language)
        replaced.append(or_(Letter.debt_ref == debt_ref, statement) if row.with_statement
                        else Letter.debt_ref == debt_ref)
    db.session.execute(delete(Letter).where(*replaced)
                       .execution_options(synchronize_session=False))
    db.session.expire(proposal, ["letters"])
    db.session.expire(case, ["letters"])
    letters = [
        Letter(case=case, proposal=proposal, debt_ref=ref, letter_type=key, language=language,
               extras=mine, status=LetterStatus.DRAFT.value, html=html, created_at=created,
               updated_at=created)
        for ref, key, mine, html in rendered
    ]
    db.session.add_all(letters)
    db.session.commit()
    return letters


def _with_record_dates(case: Case, ref: str, key: str,
                       extras: Mapping[str, str] | None) -> dict:
    """The letter's extras, with the dates it needs and was not given taken
    from the creditor's negotiation record."""
    from .next_letters import record_dates

    mine = dict(extras or {})
    known = record_dates(case, ref)
    for field in CATALOGUE[key].fields if key in CATALOGUE else ():
        if field.kind is FieldKind.DATE and not mine.get(field.name) and field.name in known:
            mine[field.name] = known[field.name]
    return mine


def _claim_generation(proposal: Proposal) -> None:
    """Take the proposal's next letters generation, or raise Conflict("letters").

    ``UPDATE ... WHERE letters_generation = <as loaded>``: of two requests that
    read the same generation, the second matches no row (PostgreSQL makes it
    wait for the first and re-checks; SQLite lets one writer in at a time), so
    only one set of drafts is ever written from one look at the page.
    """
    loaded = proposal.letters_generation
    claimed = db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id,
                               Proposal.letters_generation == loaded)
        .values(letters_generation=loaded + 1)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.rollback()
        raise Conflict("letters")
    db.session.expire(proposal, ["letters_generation"])


def lock_letters(proposal_id: int | None) -> None:
    """Take the proposal's row lock before writing more than one of its letters.

    Writing the letters again deletes the proposal's drafts after claiming the
    proposal's row (``_claim_generation``); freezing, claiming or freeing a
    letter and its budget statement writes two letter rows. Taken in different
    orders, PostgreSQL finds a deadlock and aborts one request (a 500, seen in
    CI); every such writer therefore locks the proposal first, so they wait in
    turn and the loser sees the winner's result (a Conflict). SQLite ignores
    ``FOR UPDATE``: it lets one writer in at a time anyway. A letter with no
    proposal (written from the contact log) is a single row: nothing to order.
    """
    if proposal_id is not None:
        db.session.execute(select(Proposal.id).where(Proposal.id == proposal_id)
                           .with_for_update(key_share=True))


# --- changing a draft ---------------------------------------------------------------


def refuse_sent(letter: Letter) -> None:
    if letter.is_sent:
        raise LetterFrozen(letter.public_id)


def is_busy(letter: Letter, now: datetime | None = None) -> bool:
    """Whether Parley is e-mailing the letter right now (or its e-mail waits
    for a worker: the outbox row, however long the queue)."""
    since = letter.sending_since
    if since is not None and (now or now_utc()) - since < SEND_CLAIM_TTL:
        return True
    return letter.id is not None and bool(
        db.session.scalar(select(_mail_pending(Letter.id == letter.id))))


def refuse_busy(letter: Letter) -> None:
    if is_busy(letter):
        raise LetterBusy(letter.public_id)


def _mail_pending(which):
    """SQL: an e-mail of the letter(s) ``which`` is queued or being sent."""
    from ..models import MailState, SentMail

    return exists().where(SentMail.letter_id == Letter.id, which, SentMail.outcome.in_(
        [MailState.QUEUED.value, MailState.SENDING.value]))


def _not_busy(now: datetime):
    """SQL: the letter is not being e-mailed (or its claim is stale), and no
    e-mail of it waits in the outbox."""
    return and_(or_(Letter.sending_since.is_(None), Letter.sending_since < now - SEND_CLAIM_TTL),
                ~_mail_pending(true()))


def update_draft(letter: Letter, text: str, *, expected_version: int | None = None) -> None:
    """Replace the body of a draft with the user's plain text, re-rendered escaped.

    Raises Conflict when the letter changed (was sent, edited, claimed for
    sending) after the edit page was loaded (``expected_version``) or after this
    request read it: the UPDATE names the version read.
    """
    refuse_sent(letter)
    refuse_busy(letter)
    check_version(letter, expected_version, "letter")
    if letter.is_statement:
        raise ValidationError([FieldError("body_text", "the budget statement is not edited")])
    if len(text) > MAX_BODY:
        raise ValidationError([FieldError("body_text", f"at most {MAX_BODY} characters")])
    if "\x00" in text or not paragraphs(text):
        raise ValidationError([FieldError("body_text", "write the text of the letter")])
    html = render_edited(_context(letter), text)
    with saving(letter, "letter"):
        letter.html = html
        letter.body_text = text
        letter.updated_at = now_utc()


def sent_on_bounds(letter: Letter, today: date | None = None) -> tuple[date, date]:
    """The dates a letter may be marked sent on: from the day it was written
    (a day's slack either side for time zones) to today."""
    today = today or now_utc().date()
    return letter.created_at.date() - timedelta(days=1), today + timedelta(days=1)


def _freeze(letter: Letter, channel: Channel, sent_at: datetime, sent_to: str) -> None:
    # The digest of the HTML this request read: the versioned UPDATE that stores
    # it matches only if nobody changed the letter since, so it is the stored HTML.
    letter.status = LetterStatus.SENT.value
    letter.sha256 = letter_text_digest(letter.html)
    letter.sent_at = sent_at
    letter.channel = channel.value
    letter.sent_to = sent_to[:300]
    letter.sending_since = None
    letter.updated_at = now_utc()


def _freeze_statement(statement: Letter, channel: Channel, sent_at: datetime) -> None:
    """Freeze the budget statement that went with an offer, if it is still the
    draft this request read. Two offers sent at once both try; one freezes it."""
    db.session.execute(
        update(Letter).where(Letter.id == statement.id, Letter.version == statement.version,
                             Letter.status == LetterStatus.DRAFT.value)
        .values(status=LetterStatus.SENT.value, sha256=letter_text_digest(statement.html),
                sent_at=sent_at, channel=channel.value, sent_to="", sending_since=None,
                updated_at=now_utc(), version=Letter.version + 1)
        .execution_options(synchronize_session=False))
    db.session.expire(statement)


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


def send_and_freeze(letter: Letter, channel: Channel, sent_at: datetime, sent_to: str,
                    statement: Letter | None = None) -> None:
    """Freeze the letter and the budget statement that went with it (by default
    ``statement_for(letter)``), open the negotiation; one transaction.

    Conflict when the letter changed after this request read it: then nothing
    is frozen, and the request that changed it wins.
    """
    if statement is None:
        statement = statement_for(letter)
    with saving(letter, "letter"):
        lock_letters(letter.proposal_id)
        _freeze(letter, channel, sent_at, sent_to)
        db.session.flush()  # the letter's versioned UPDATE, first: it decides the race
        if statement is not None and _is_draft(statement):
            _freeze_statement(statement, channel, sent_at)
        _open_negotiation(letter)
        from .negotiations import letter_sent

        letter_sent(letter, local_date(sent_at, letter.case.jurisdiction))


def _is_draft(letter: Letter) -> bool:
    """Whether the letter is (still) a draft; False when it is gone."""
    try:
        return not letter.is_sent
    except ObjectDeletedError:
        return False


def claim_for_sending(letter: Letter, statement: Letter | None, *,
                      checked: bool = False) -> datetime:
    """Mark the letter (and the statement going with it) as being e-mailed,
    committed before the mail goes out, so that of two sends at once only one
    sends, and writing the letters again leaves both alone meanwhile.

    Raises Conflict if the letter changed since it was read, LetterBusy or
    LetterFrozen if it is being sent or was sent (``checked``: the caller
    checked both, and its outbox row is in the session). Returns the claim's time.
    """
    if not checked:
        refuse_sent(letter)
        refuse_busy(letter)
    now = now_utc()
    with saving(letter, "letter"):
        lock_letters(letter.proposal_id)
        letter.sending_since = now
        db.session.flush()
        if statement is not None and not statement.is_sent:
            # Best effort: a statement another send claimed goes out with both.
            db.session.execute(
                update(Letter).where(Letter.id == statement.id,
                                     Letter.status == LetterStatus.DRAFT.value, _not_busy(now))
                .values(sending_since=now, version=Letter.version + 1)
                .execution_options(synchronize_session=False))
    return now


def release_claim(letter: Letter, since: datetime) -> None:
    """The e-mail did not go out: the letter (and its statement) are drafts again."""
    db.session.rollback()
    lock_letters(letter.proposal_id)
    db.session.execute(
        update(Letter).where(Letter.case_id == letter.case_id, Letter.sending_since == since,
                             Letter.status == LetterStatus.DRAFT.value)
        .values(sending_since=None, version=Letter.version + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()


@dataclass(frozen=True)
class OldVersion:
    """A draft written under a version of the proposal that is no longer current:
    its figures may not be what the borrower offers now."""

    #: the version the draft was written from
    version: int
    #: the case's current version
    current: int
    #: the current version's public id (its letters page)
    current_id: str


def old_version(letter: Letter) -> OldVersion | None:
    """How a draft's version stands against the current one (None: a sent letter,
    a letter of no proposal, or one of the current version)."""
    if letter.is_sent or letter.proposal is None:
        return None
    current = current_proposal(letter.case)
    if current is None or current.id == letter.proposal_id:
        return None
    return OldVersion(letter.proposal.version, current.version, current.public_id)


#: The field a sender ticks to send a draft of an older version anyway.
CONFIRM_OLD_VERSION = "confirm_old_version"


def refuse_old_version(letter: Letter, confirmed: bool) -> None:
    """ValidationError ``confirm_old_version`` for a draft of an older version
    sent without the sender's explicit confirmation: never silently."""
    old = old_version(letter)
    if old is not None and not confirmed:
        raise ValidationError([FieldError(CONFIRM_OLD_VERSION, (
            f"this draft belongs to version {old.version} of the proposal; the current "
            f"version is {old.current}: confirm to send it anyway"))])


def mark_sent(letter: Letter, channel: str, sent_on: date, *, today: date | None = None,
              confirm_old_version: bool = False) -> None:
    """Record that the user sent the letter themselves; freezes it. A draft of an
    older proposal version needs ``confirm_old_version`` (see :func:`refuse_old_version`)."""
    refuse_sent(letter)
    refuse_busy(letter)
    errors = []
    try:
        refuse_old_version(letter, confirm_old_version)
    except ValidationError as exc:
        errors += exc.errors
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
