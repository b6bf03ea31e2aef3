"""The case file's optional record blocks: ``negotiations`` and ``contacts``.

Both are part of ``parley-case/1`` (``shared/CASEFILE.md``), so that an export
and an import lose nothing of the replies, agreements, payments and the
collection-contact log. This module reads and writes them; what they mean on a
given day is :mod:`webapp.domain.status` and :mod:`webapp.domain.contacts`.

Reading checks the shape of each event and contact (every problem at its path,
``negotiations[0].events[2].monthly``), that events are in date order, and
that each event may follow the ones before it (the table in
:mod:`webapp.domain.negotiation`). Whether an event lies after *today* is a
question for the status on a given day, not for the file.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from .errors import ValidationError
from .limits import MAX_CONTACTS, MAX_DEBTS, MAX_EVENTS_PER_NEGOTIATION
from .model import Contact, Debt, Event, NegotiationRecord
from .negotiation import INITIAL, EventType, apply

#: The letters an event may name (``sent.letter``): the catalogue's types and
#: the follow-up letters of the negotiation (``webapp.letters.catalogue`` may
#: only use these; a test checks it).
LETTER_TYPES = frozenset({
    "hold", "proposal", "cn_instalment", "token", "settlement", "reconsider", "prove_debt",
    "contact_restrictions", "confirmation", "annual_review", "budget_statement",
    "follow_up", "information", "complaint", "write_off", "priority_arrears",
    "counter_proposal",
    "contact_complaint", "regulator_complaint",
})
#: How a collector got in touch (``contacts[].channel``).
CONTACT_CHANNELS = ("call", "sms", "message", "email", "letter", "visit")
#: Who they contacted (``contacts[].party``).
PARTIES = ("borrower", "family", "friend", "employer", "colleague", "other")
#: An agreement longer than this is refused (a token 1.00 a month on 10,000 is
#: allowed; a cent a month on a billion is not a schedule anybody can keep).
MAX_AGREED_PAYMENTS = 12_000
#: ``options.reply_days``: from a day to a year.
REPLY_DAYS = (1, 365)
#: ISO 8601 date-time; the offset is checked apart, to say what is wrong.
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?")


def _positive(r, obj: dict, key: str, path: str, *, required: bool) -> Decimal | None:
    amount = r.money(obj, key, path, required=required)
    if amount is not None and amount <= 0:
        r.fail(f"{path}.{key}", "must be more than 0", "positive")
        return None
    return amount


def _event(r, path: str, item: dict) -> Event | None:
    """One event's fields, checked for its type; None when something is wrong."""
    from .casefile import _MISSING

    before = len(r.errors)
    on = r.day(item, "on", path)
    kind = r.get(item, "type", path)
    names = [e.value for e in EventType]
    if kind is _MISSING:
        kind = None  # reported as required
    elif not isinstance(kind, str) or kind not in names:
        r.fail(f"{path}.type", f"must be one of {', '.join(names)}", "event_type")
        kind = None
    channel = r.text(item, "channel", path)
    notes = r.text(item, "notes", path)
    fields: dict[str, Any] = {}
    if kind == EventType.SENT:
        letter = r.get(item, "letter", path)
        if isinstance(letter, str) and letter in LETTER_TYPES:
            fields["letter"] = letter
        elif letter is not _MISSING:  # (a missing one is reported as required)
            r.fail(f"{path}.letter", "must name a letter type, e.g. proposal")
        fields["offer_monthly"] = r.money(item, "offer_monthly", path, required=False)
    elif kind == EventType.COUNTER_OFFER:
        fields["monthly"] = _positive(r, item, "monthly", path, required=True)
    elif kind == EventType.ACCEPTED:
        fields["monthly"] = _positive(r, item, "monthly", path, required=True)
        fields["first_payment"] = r.day(item, "first_payment", path)
        fields["total"] = _positive(r, item, "total", path, required=False)
    elif kind == EventType.PAYMENT:
        fields["amount"] = _positive(r, item, "amount", path, required=True)
    if len(r.errors) > before or on is None or kind is None:
        return None
    return Event(on=on, type=kind, channel=channel, notes=notes, **fields)


def _negotiation(r, path: str, item: dict, debts: dict[str, Debt], seen: set[str],
                 ) -> NegotiationRecord | None:
    from .casefile import _MISSING

    debt_id = r.get(item, "debt_id", path)
    ok = True
    if isinstance(debt_id, str) and debt_id in debts:
        if debt_id in seen:
            r.fail(f"{path}.debt_id", f"{debt_id!r} already has a negotiation")
            ok = False
        seen.add(debt_id)
    else:
        if debt_id is not _MISSING:  # (a missing one is reported as required)
            r.fail(f"{path}.debt_id", "must be the id of a debt of this case")
        ok = False
    events: list[Event] = []
    status, last = INITIAL, None
    debt = debts.get(debt_id) if isinstance(debt_id, str) else None
    total = paid = None
    for here, raw in r.items(item, "events", path, limit=(MAX_EVENTS_PER_NEGOTIATION, "events")):
        event = _event(r, here, raw)
        if event is None:
            ok = False
            continue
        if last is not None and event.on < last:
            r.fail(f"{here}.on", f"is before the event above it ({last.isoformat()}): "
                                 "events must be in date order", "date_order",
                   before=last.isoformat())
            ok = False
        last = event.on
        try:
            status = apply(status, event.type, path=f"{here}.type")
        except ValidationError as exc:
            r.errors.extend(exc.errors)
            ok = False
            continue
        if event.type == EventType.ACCEPTED and debt is not None:
            total = event.total if event.total is not None else debt.balance
            paid = Decimal(0)
            if total > event.monthly * MAX_AGREED_PAYMENTS:
                r.fail(f"{here}.monthly", f"at this amount the agreement would take more than "
                                          f"{MAX_AGREED_PAYMENTS} payments", "too_many_payments",
                       max=MAX_AGREED_PAYMENTS)
                ok = False
        elif event.type == EventType.PAYMENT and total is not None:
            if paid >= total:
                r.fail(f"{here}.type", "the agreement is already paid in full", "paid_in_full")
                ok = False
            paid += event.amount
        events.append(event)
    if not ok or not isinstance(debt_id, str):
        return None
    return NegotiationRecord(debt_id, tuple(events))


def _datetime(r, obj: dict, key: str, path: str) -> datetime | None:
    from .casefile import _MISSING, FIRST_YEAR, LAST_YEAR

    value = r.get(obj, key, path)
    where = f"{path}.{key}"
    if value is _MISSING:
        return None  # reported as required
    if value is None:
        r.fail(where, "is required")
        return None
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        r.fail(where, "must be an ISO 8601 date-time with its UTC offset, "
                      "such as 2027-01-03T22:30:00+08:00")
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        r.fail(where, f"{value} is not a real date and time")
        return None
    if moment.tzinfo is None:
        r.fail(where, "needs its UTC offset (the borrower's local time, e.g. +08:00)")
        return None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        r.fail(where, f"must be between {FIRST_YEAR} and {LAST_YEAR}")
        return None
    return moment


def _contact(r, path: str, item: dict, debts: dict[str, Debt]) -> Contact | None:
    from .casefile import _MISSING

    before = len(r.errors)
    at = _datetime(r, item, "at", path)
    channel = r.choice(item, "channel", path, CONTACT_CHANNELS)
    party = r.choice(item, "party", path, PARTIES)
    connected = r.get(item, "connected", path, required=False)
    if connected is None or connected is _MISSING:
        connected = False
    elif not isinstance(connected, bool):
        r.fail(f"{path}.connected", "must be true or false")
        connected = False
    debt_id = r.get(item, "debt_id", path, required=False)
    if debt_id is None or debt_id is _MISSING:
        debt_id = None
    elif not isinstance(debt_id, str) or debt_id not in debts:
        r.fail(f"{path}.debt_id", "must be the id of a debt of this case")
        debt_id = None
    collector = r.text(item, "collector", path)
    notes = r.text(item, "notes", path)
    if len(r.errors) > before or at is None:
        return None
    return Contact(at=at, channel=channel, party=party, connected=connected, debt_id=debt_id,
                   collector=collector, notes=notes)


def read_record(r, top: dict, debts: list[Debt | None]
                ) -> tuple[tuple[NegotiationRecord, ...], tuple[Contact, ...]]:
    """``negotiations`` and ``contacts`` of a case file (both optional)."""
    from .casefile import _MISSING

    by_id = {d.id: d for d in debts if d is not None}
    negotiations: list[NegotiationRecord] = []
    contacts: list[Contact] = []
    if top.get("negotiations", _MISSING) not in (_MISSING, None):
        seen: set[str] = set()
        for path, item in r.items(top, "negotiations", "", limit=(MAX_DEBTS, "negotiations")):
            record = _negotiation(r, path, item, by_id, seen)
            if record is not None:
                negotiations.append(record)
    if top.get("contacts", _MISSING) not in (_MISSING, None):
        for path, item in r.items(top, "contacts", "", limit=(MAX_CONTACTS, "contacts")):
            contact = _contact(r, path, item, by_id)
            if contact is not None:
                contacts.append(contact)
    return tuple(negotiations), tuple(contacts)


def read_reply_days(r, options: dict) -> int | None:
    return r.integer(options, "reply_days", "options", low=REPLY_DAYS[0], high=REPLY_DAYS[1],
                     required=False)


def _fixed(value: Decimal) -> str:
    return format(value, "f")


def dump_event(e: Event) -> dict:
    out: dict = {"on": e.on.isoformat(), "type": e.type}
    if e.letter is not None:
        out["letter"] = e.letter
    for key in ("offer_monthly", "monthly"):
        if getattr(e, key) is not None:
            out[key] = _fixed(getattr(e, key))
    if e.first_payment is not None:
        out["first_payment"] = e.first_payment.isoformat()
    for key in ("total", "amount"):
        if getattr(e, key) is not None:
            out[key] = _fixed(getattr(e, key))
    if e.channel:
        out["channel"] = e.channel
    if e.notes:
        out["notes"] = e.notes
    return out


def dump_contact(c: Contact) -> dict:
    out: dict = {"at": c.at.isoformat()}
    if c.debt_id is not None:
        out["debt_id"] = c.debt_id
    if c.collector:
        out["collector"] = c.collector
    out["channel"] = c.channel
    out["connected"] = c.connected
    out["party"] = c.party
    if c.notes:
        out["notes"] = c.notes
    return out


def dump_record(negotiations, contacts) -> dict:
    """The two blocks as case-file dicts; each left out when empty."""
    out: dict = {}
    if negotiations:
        out["negotiations"] = [
            {"debt_id": n.debt_id, "events": [dump_event(e) for e in n.events]}
            for n in negotiations]
    if contacts:
        out["contacts"] = [dump_contact(c) for c in contacts]
    return out
