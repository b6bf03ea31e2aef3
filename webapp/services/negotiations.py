"""The negotiation record: what each creditor said and paid, and where it stands.

Events are stored as rows (``NegotiationEvent``) and checked by the pure
domain exactly as the case file is (``webapp.domain.record``): an event that
may not follow the ones before it, or lies after today, is refused with the
field named, and nothing is saved. The status on a day is
``webapp.domain.status`` applied to the case as the engine sees it, so the
page, the case-file export, ``parley status`` and the API always agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from ..domain.agreements import CaseProgress, Progress, agreement_progress, case_progress
from ..domain.casefile import dump_case, parse_case
from ..domain.errors import FieldError, ValidationError
from ..domain.negotiation import INITIAL, EventType, NegotiationStatus, apply, can_apply
from ..domain.status import CreditorStatus, Status, creditor_statuses
from ..domain.uploads import Accepted
from ..models import Case, Debt, Letter, NegotiationEvent, Proposal
from ..models.types import local_date, now_utc
from . import proposals, uploads
from .cases import to_domain
from .concurrency import Conflict

#: What a person can record from a creditor's page (``sent`` comes from letters,
#: or is recorded when a letter went out some other way).
RECORDABLE = (EventType.SENT, EventType.INFO_REQUESTED, EventType.REJECTED,
              EventType.COUNTER_OFFER, EventType.ACCEPTED, EventType.PAYMENT)
#: The fields an event of each type carries (besides date, channel and notes).
EVENT_FIELDS = {
    EventType.SENT: ("letter", "offer_monthly"),
    EventType.COUNTER_OFFER: ("monthly",),
    EventType.ACCEPTED: ("monthly", "first_payment", "total"),
    EventType.PAYMENT: ("amount",),
}
#: Statuses shown first on the dashboard: something is late or needs a decision.
URGENT = (Status.IN_ARREARS, Status.NO_REPLY, Status.COUNTER_OFFER, Status.REJECTED,
          Status.INFO_REQUESTED)


def today_for(case: Case) -> date:
    """Today where the borrower lives."""
    return local_date(now_utc(), case.jurisdiction)


def status_day(case: Case) -> date:
    """The day the case's statuses are shown for: today where the borrower lives,
    or, when an imported record holds events dated later (a file prepared ahead,
    a clock or time zone change), its last event's day. The status contract
    will not judge a record before its events; the page says which day it shows."""
    today = today_for(case)
    return max([today, *(e.on for e in case.negotiation_events)])


def get_debt(case: Case, ref: str) -> Debt:
    from werkzeug.exceptions import NotFound

    debt = next((d for d in case.debts if d.ref == ref), None)
    if debt is None:
        raise NotFound()
    return debt


def events_for(case: Case, ref: str) -> list[NegotiationEvent]:
    return sorted((e for e in case.negotiation_events if e.debt_ref == ref),
                  key=lambda e: (e.position, e.id or 0))


def base_status(case: Case, ref: str) -> NegotiationStatus:
    status = INITIAL
    for e in events_for(case, ref):
        status = apply(status, e.type)
    return status


def allowed_events(case: Case, ref: str) -> list[EventType]:
    """The events that may be recorded next for this debt (the transition table)."""
    status = base_status(case, ref)
    allowed = [e for e in RECORDABLE if can_apply(status, e)]
    if status == NegotiationStatus.AGREEMENT_ACTIVE and _paid_in_full(
            case, ref, events_for(case, ref)):
        allowed.remove(EventType.PAYMENT)  # nothing more is owed under it
    return allowed


def _paid_in_full(case: Case, ref: str, events: list[NegotiationEvent]) -> bool:
    """Whether this debt's agreement is paid: the domain's agreement figures for
    this one record, not the whole case's status."""
    from ..domain.status import agreement_on
    from .cases import domain_event

    accepted = [e for e in events if e.type == EventType.ACCEPTED][-1]
    payments = [e.amount for e in events if e.type == EventType.PAYMENT]
    agreement = agreement_on(domain_event(accepted), payments, get_debt(case, ref).balance,
                             today_for(case))
    return agreement.next_payment is None


@dataclass(frozen=True)
class Dashboard:
    """Every creditor's status, the urgent ones first, and the one next step;
    and how the agreements are going (progress and annual reviews)."""

    rows: list[CreditorStatus]
    today: date
    progress: CaseProgress | None = None
    #: the statuses are shown for a day after today (see :func:`status_day`)
    ahead: bool = False

    def review(self, debt_id: str) -> date | None:
        """The next annual review of that creditor's agreement, if any."""
        if self.progress is None:
            return None
        return next((r.review_on for r in self.progress.rows if r.debt_id == debt_id), None)

    @property
    def overdue(self) -> list[CreditorStatus]:
        return [r for r in self.rows if r.overdue]

    def count(self, status: Status) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def agreed_monthly(self) -> Decimal:
        return sum((r.agreement.monthly for r in self.rows
                    if r.agreement is not None and r.status != Status.COMPLETED), Decimal(0))


def dashboard(case: Case, today: date | None = None, domain=None) -> Dashboard:
    """The status of every creditor on ``today``: overdue first, then urgent, then the rest.
    ``domain``: the case as ``to_domain`` gives it, when the caller has it already."""
    ahead = False
    if today is None:
        today = status_day(case)
        ahead = today > today_for(case)
    domain = domain or to_domain(case)
    rows = creditor_statuses(domain, today)
    progress = case_progress(domain, rows, today)
    order = {s: i for i, s in enumerate(URGENT)}
    rows.sort(key=lambda r: (not r.overdue, order.get(r.status, len(URGENT))))
    return Dashboard(rows, today, progress, ahead)


def creditor_progress(case: Case, state: CreditorStatus | None,
                      today: date) -> Progress | None:
    """How this creditor's agreement is going (None without one)."""
    from .cases import domain_event

    if state is None or state.agreement is None:
        return None
    events = [domain_event(e) for e in events_for(case, state.debt.id)]
    return agreement_progress(state, events, today)


def creditor_status(case: Case, ref: str, today: date | None = None) -> CreditorStatus | None:
    today = today or status_day(case)
    return next((r for r in creditor_statuses(to_domain(case), today) if r.debt.id == ref),
                None)


@dataclass(frozen=True)
class ReplanRow:
    creditor: str
    monthly: Decimal
    locked: bool


def replan_rows(case: Case, state: CreditorStatus | None) -> list[ReplanRow]:
    """The counter-offer re-plan as rows for the page (amounts as Decimal)."""
    if state is None or state.replan is None:
        return []
    names = {d.ref: d.creditor for d in case.debts}
    return [ReplanRow(names.get(o["debt_id"], o["debt_id"]), Decimal(o["monthly"]), o["locked"])
            for o in state.replan["offers"]]


def _event_dict(type_: str, on: date, values: dict) -> dict:
    out: dict = {"on": on.isoformat() if isinstance(on, date) else on, "type": type_}
    for key in ("letter", "offer_monthly", "monthly", "first_payment", "total", "amount",
                "channel", "notes"):
        value = values.get(key)
        if value in (None, ""):
            continue
        out[key] = value.isoformat() if isinstance(value, date) else (
            format(value, "f") if isinstance(value, Decimal) else value)
    return out


@dataclass(frozen=True)
class Recorded:
    """What recording an event saved."""

    event: NegotiationEvent
    #: the proposal's new version, when an agreement changed what it offers
    version: Proposal | None = None


def record_event(case: Case, ref: str, type_: str, on: date, *, today: date | None = None,
                 attachment: Accepted | None = None, **values) -> Recorded:
    """Add an event to the debt's record, with the creditor's letter when there
    is one (``attachment``, checked by the form); ValidationError names the
    field (``type``, ``on``, ``monthly``...) and nothing is saved, file included.

    An agreement at a figure the current proposal did not offer makes the
    proposal's next version, in the same transaction
    (:func:`webapp.services.proposals.revise_after_agreement`)."""
    debt = get_debt(case, ref)
    today = today or today_for(case)
    if type_ not in {e.value for e in RECORDABLE}:
        raise ValidationError([FieldError("type", "choose what happened", "choose_event")])
    fields = EVENT_FIELDS.get(EventType(type_), ())
    kept = {k: v for k, v in values.items() if k in fields or k in ("channel", "notes")}
    # Check the whole record as the case file would be: the same rules, the same messages.
    data = dump_case(to_domain(case))
    records = data.setdefault("negotiations", [])
    record = next((r for r in records if r["debt_id"] == debt.ref), None)
    if record is None:
        record = {"debt_id": debt.ref, "events": []}
        records.append(record)
    record["events"].append(_event_dict(type_, on, kept))
    index, position = records.index(record), len(record["events"]) - 1
    prefix = f"negotiations[{index}].events[{position}]."
    errors = []
    try:
        parse_case(json.loads(json.dumps(data)))
    except ValidationError as exc:
        errors = [FieldError(e.path.removeprefix(prefix), e.message, e.code, e.params)
                  for e in exc.errors if e.path.startswith(prefix)]
        if not errors:  # (the stored record was already refused: say so, do not guess)
            raise
    if isinstance(on, date) and on > today:
        errors.append(FieldError("on", "is after today: record what has happened",
                                 "after_today"))
    if errors:
        raise ValidationError(errors)
    event = NegotiationEvent(debt_ref=debt.ref, position=position, on=on, type=type_,
                             channel=kept.get("channel") or "", notes=kept.get("notes") or "",
                             letter=kept.get("letter"), offer_monthly=kept.get("offer_monthly"),
                             monthly=kept.get("monthly"), first_payment=kept.get("first_payment"),
                             total=kept.get("total"), amount=kept.get("amount"))
    version = None
    try:
        with uploads.saving(case, attachment) as upload:  # commits, or removes the file
            case.negotiation_events.append(event)
            if upload is not None:
                upload.event = event
            if type_ == EventType.ACCEPTED:
                version = proposals.revise_after_agreement(
                    case, debt.ref, kept["monthly"], kept["first_payment"], today,
                    kept.get("total"))
    except IntegrityError as exc:  # another version took its number at the same moment
        raise Conflict("negotiation") from exc
    return Recorded(event, version)


def letter_sent(letter: Letter, on: date) -> NegotiationEvent | None:
    """Record a ``sent`` event for a letter Parley froze, when the negotiation
    allows one (a confirmation after an agreement does not move it). The
    caller commits. A letter written from the contact log (no proposal) is no
    step of the offer negotiation: it records nothing."""
    case = letter.case
    if letter.debt_ref is None or letter.proposal_id is None \
            or not can_apply(base_status(case, letter.debt_ref), "sent"):
        return None
    offer = None
    counter = (letter.extras or {}).get("counter_monthly")
    if counter:  # a counter to their counter-offer: the figure it offers
        offer = Decimal(str(counter))
    elif letter.proposal is not None:
        plan = letter.proposal.plan_snapshot.get("strategy", {})
        row = next((o for o in plan.get("offers", []) if o.get("debt_id") == letter.debt_ref),
                   None)
        if row is not None and row.get("monthly") is not None:
            offer = Decimal(row["monthly"])
    event = NegotiationEvent(
        debt_ref=letter.debt_ref, position=len(events_for(case, letter.debt_ref)), on=on,
        type=EventType.SENT.value, letter=letter.letter_type, offer_monthly=offer,
        channel=letter.channel or "", notes="", letter_id=letter.id)
    case.negotiation_events.append(event)
    return event


def has_history(case: Case, ref: str) -> bool:
    """Whether a debt has a record (events or sent letters) that deleting it would lose."""
    return any(e.debt_ref == ref for e in case.negotiation_events) or any(
        x.debt_ref == ref and x.is_sent for x in case.letters)
