"""The next step of a negotiation: the letter each status calls for, and the
counter-offer actions (accept their figure, refuse, counter with another).

The letter is written from a saved proposal (``services.letters``); this
module only says which letter, from which proposal, and the dates the
negotiation record already knows (when the offer went out, when it was
refused, when a phone call agreed it), so the user does not type them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..domain.agreements import review_on
from ..domain.errors import FieldError, ValidationError
from ..domain.money import cents
from ..domain.negotiation import EventType
from ..domain.status import CreditorStatus, Status, counter_replan, creditor_statuses
from ..models import Case, NegotiationEvent, Proposal
from . import negotiations, proposals
from .cases import to_domain

#: The letter each status calls for (issue 8). A second refusal calls for a
#: complaint instead, and an agreement made by phone for its written confirmation.
NEXT_LETTER = {
    Status.NO_REPLY: "follow_up",
    Status.REJECTED: "reconsider",
    Status.INFO_REQUESTED: "information",
}
#: Days before an agreement's annual review from which its letter is the next one.
REVIEW_NOTICE_DAYS = 30
#: Refusals after which the next letter is a complaint, not another plea.
COMPLAINT_AFTER = 2
#: A letter's date field, and the latest event whose date it carries.
RECORD_DATES = {"sent_on": EventType.SENT, "refused_on": EventType.REJECTED,
                "call_date": EventType.ACCEPTED, "countered_on": EventType.COUNTER_OFFER,
                "arrangement_since": EventType.ACCEPTED}
#: The letter that answers a counter-offer with another figure.
COUNTER_LETTER = "counter_proposal"


@dataclass(frozen=True)
class NextLetter:
    letter_type: str
    #: the proposal whose letters page writes it (None: there is no proposal yet)
    proposal: Proposal | None


def _latest(events: list[NegotiationEvent], type_: EventType) -> NegotiationEvent | None:
    return next((e for e in reversed(events) if e.type == type_.value), None)


def next_letter(case: Case, ref: str, state: CreditorStatus | None) -> NextLetter | None:
    """The letter this creditor's status calls for, or None when it calls for none."""
    if state is None or state.debt.is_priority:
        return None  # (the priority arrears letter is written from the letters page)
    events = negotiations.events_for(case, ref)
    key = NEXT_LETTER.get(state.status)
    if state.status == Status.REJECTED and sum(
            e.type == EventType.REJECTED.value for e in events) >= COMPLAINT_AFTER:
        key = "complaint"
    accepted = _latest(events, EventType.ACCEPTED)
    if state.status in (Status.AGREEMENT_ACTIVE, Status.IN_ARREARS) and state.agreement:
        review = review_on(state.agreement, negotiations.today_for(case))
        if review is not None and review <= negotiations.today_for(case) + timedelta(
                days=REVIEW_NOTICE_DAYS):
            key = "annual_review"
    if state.status == Status.AGREEMENT_ACTIVE and accepted is not None \
            and accepted.channel == "phone":
        key = "confirmation"
    if key is None:
        return None
    return NextLetter(key, proposal_for(case))


def proposal_for(case: Case) -> Proposal | None:
    """The proposal the next letters are written from: the current version
    (an agreement at a new figure made a newer one than the negotiation began
    with, and every letter from then on carries it)."""
    return proposals.current_proposal(case)


def record_dates(case: Case, ref: str | None) -> dict[str, str]:
    """The dates the negotiation record gives a letter to ``ref`` (ISO strings,
    by field name): when the offer was sent, refused, agreed."""
    if ref is None:
        return {}
    events = negotiations.events_for(case, ref)
    out = {}
    for name, type_ in RECORD_DATES.items():
        event = _latest(events, type_)
        if event is not None:
            out[name] = event.on.isoformat()
    return out


def their_figure(case: Case, ref: str) -> Decimal | None:
    """The monthly amount of the creditor's latest counter-offer."""
    event = _latest(negotiations.events_for(case, ref), EventType.COUNTER_OFFER)
    return event.monthly if event is not None else None


def accept_counter_offer(case: Case, ref: str, first_payment: date | None, *,
                         today: date | None = None) -> negotiations.Recorded:
    """Accept the creditor's figure: an ``accepted`` event today at their
    monthly amount, from ``first_payment``; the proposal's next version offers
    them that figure and re-splits the rest. ValidationError names the field."""
    today = today or negotiations.today_for(case)
    state = negotiations.creditor_status(case, ref, today)
    monthly = their_figure(case, ref)
    if state is None or state.status != Status.COUNTER_OFFER or monthly is None:
        raise ValidationError([FieldError("type", "there is no counter-offer to accept",
                                          "no_counter_offer")])
    if first_payment is None:
        raise ValidationError([FieldError("first_payment", "give the date of the first payment",
                                          "first_payment_required")])
    return negotiations.record_event(case, ref, EventType.ACCEPTED.value, today, today=today,
                                     monthly=monthly, first_payment=first_payment)


def counter_replan_rows(case: Case, ref: str, monthly: Decimal,
                        today: date | None = None) -> tuple[dict, list[negotiations.ReplanRow]]:
    """The re-plan if this creditor got ``monthly`` (our counter to their figure)."""
    today = today or negotiations.today_for(case)
    domain = to_domain(case)
    states = {s.debt.id: s for s in creditor_statuses(domain, today)}
    debt = next(d for d in domain.debts if d.id == ref)
    plan = counter_replan(domain, debt, monthly, states)
    names = {d.ref: d.creditor for d in case.debts}
    rows = [negotiations.ReplanRow(names.get(o["debt_id"], o["debt_id"]), Decimal(o["monthly"]),
                                   o["locked"]) for o in plan["offers"]]
    return plan, rows


def _refuse(path: str, message: str, code: str, **params) -> ValidationError:
    return ValidationError([FieldError(path, message, code, params)])


def counter_figures(case: Case, ref: str, monthly: Decimal, today: date) -> dict:
    """The figures a letter countering ``ref``'s counter-offer with ``monthly``
    carries (the ``counter_proposal`` letter's extras, amounts as strings): their
    figure and ours, what we offered before, and why the budget cannot reach
    theirs, from the re-plan the creditor's page shows. ValidationError (with a
    code, at ``counter``) when there is no counter-offer, when ours is not below
    theirs, or when the budget would not hold even at ours."""
    state = negotiations.creditor_status(case, ref, today)
    theirs = their_figure(case, ref)
    if state is None or state.status != Status.COUNTER_OFFER or state.replan is None \
            or theirs is None:
        raise _refuse("counter", "there is no counter-offer to answer", "no_counter_offer")
    if monthly >= theirs:
        raise _refuse("counter", "your figure is not below theirs: accept theirs instead",
                      "counter_not_lower")
    ours, _rows = counter_replan_rows(case, ref, monthly, today)
    if not ours["holds"]:
        raise _refuse("counter", f"at this figure the budget is short by {ours['shortfall']} "
                                 "a month", "counter_short", amount=ours["shortfall"])
    at_theirs = state.replan
    locked = sum(Decimal(o["monthly"]) for o in at_theirs["offers"] if o["locked"])
    others = [o for o in at_theirs["offers"] if not o["locked"]]
    events = negotiations.events_for(case, ref)
    offered = next((e.offer_monthly for e in reversed(events)
                    if e.type == EventType.SENT.value and e.offer_monthly is not None), None)
    figures = {"their_monthly": str(theirs), "counter_monthly": str(cents(monthly)),
               "available": at_theirs["available"]}
    if offered is not None:
        figures["offered_monthly"] = str(offered)
    if Decimal(at_theirs["shortfall"]) > 0:
        figures["shortfall"] = at_theirs["shortfall"]
    elif others:
        figures["others_left"] = str(max(Decimal(at_theirs["available"]) - locked, Decimal(0)))
    return figures


def write_counter_letter(case: Case, ref: str, monthly: Decimal, interface_language: str, *,
                         today: date | None = None):
    """Write the draft that answers ``ref``'s counter-offer with ``monthly`` a month,
    from the current proposal, in the language of its last letters (else the
    case's); returns it. ValidationError names the problem (``counter`` with a
    code, ``extras.counter_monthly``, the sender's details)."""
    from . import letters

    today = today or negotiations.today_for(case)
    figures = counter_figures(case, ref, monthly, today)
    proposal = proposals.current_proposal(case)
    if proposal is None:
        raise _refuse("counter", "save a proposal first: the letter is written from it",
                      "no_proposal")
    language = letters.generate_defaults(proposal, interface_language)["language"]
    [letter] = letters.generate_for_proposal(proposal, COUNTER_LETTER, language, figures,
                                             debt_ref=ref, from_record=True)
    return letter
