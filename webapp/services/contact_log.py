"""The collection-contact log: every call, message or visit as a line of evidence.

A contact is entered in the borrower's local time; it is stored with the UTC
offset that time had where they live (so a call at 22:30 in Shanghai stays
22:30 +08:00, whatever the server's clock), and checked by the same domain
rules as the case file's ``contacts`` block. Which contacts break the
collection rules is ``webapp.domain.contacts`` applied to the whole log.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from ..domain.casefile import dump_case, parse_case
from ..domain.contacts import RULES_BY_ID, evaluate
from ..domain.errors import FieldError, ValidationError
from ..extensions import db
from ..models import Case, CollectionContact
from ..models.types import JURISDICTION_TIME_ZONES, now_utc
from .cases import contact_row, domain_contact, to_domain


def zone_for(case: Case) -> ZoneInfo:
    return ZoneInfo(JURISDICTION_TIME_ZONES.get(case.jurisdiction, "UTC"))


def local_now(case: Case) -> datetime:
    """Now where the borrower lives, to the minute (the form's default)."""
    return now_utc().astimezone(zone_for(case)).replace(second=0, microsecond=0)


def add_contact(case: Case, day: date, at: time, *, channel: str, party: str,
                connected: bool = False, debt_ref: str | None = None, collector: str = "",
                notes: str = "") -> CollectionContact:
    """Log a contact; ValidationError names the field and nothing is saved."""
    # The offset the borrower's clock had then (daylight saving included), fixed.
    fixed = datetime.fromisoformat(
        datetime.combine(day, at).replace(tzinfo=zone_for(case)).isoformat())
    if fixed > now_utc().astimezone(fixed.tzinfo):
        raise ValidationError([FieldError("on", "is in the future: log what has happened")])
    entry = {"at": fixed.isoformat(), "channel": channel, "party": party,
             "connected": bool(connected)}
    if debt_ref:
        entry["debt_id"] = debt_ref
    if collector:
        entry["collector"] = collector
    if notes:
        entry["notes"] = notes
    data = dump_case(to_domain(case))
    data.setdefault("contacts", []).append(entry)
    prefix = f"contacts[{len(data['contacts']) - 1}]."
    try:
        parsed = parse_case(json.loads(json.dumps(data)))
    except ValidationError as exc:
        errors = [FieldError(e.path.removeprefix(prefix), e.message)
                  for e in exc.errors if e.path.startswith(prefix)]
        raise ValidationError(errors or exc.errors) from None
    row = contact_row(parsed.contacts[-1], len(case.collection_contacts))
    case.collection_contacts.append(row)
    db.session.commit()
    return row


@dataclass
class CallerSummary:
    """What one caller did, in numbers a borrower can quote."""

    caller: str
    contacts: int = 0
    calls: int = 0
    rules: Counter = field(default_factory=Counter)
    third_parties: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class LogLine:
    row: CollectionContact
    #: the rule ids this contact breaks
    rules: tuple[str, ...]


def log_view(case: Case) -> tuple[list[LogLine], list[CallerSummary]]:
    """Every contact, newest first, with the rules it breaks; and a summary per caller."""
    rows = list(case.collection_contacts)
    contacts = [domain_contact(r) for r in rows]
    flagged: dict[int, list[str]] = {}
    for index, rule in evaluate(case.jurisdiction, contacts):
        flagged.setdefault(index, []).append(rule)
    names = {d.ref: d.creditor for d in case.debts}
    summaries: dict[str, CallerSummary] = {}
    for i, c in enumerate(contacts):
        label = c.collector or names.get(c.debt_id or "", "") or "?"
        key = c.caller
        s = summaries.setdefault(key, CallerSummary(label))
        s.contacts += 1
        s.calls += c.channel == "call"
        s.rules.update(flagged.get(i, []))
        if c.party != "borrower":
            s.third_parties[c.party] += 1
    lines = [LogLine(row, tuple(flagged.get(i, []))) for i, row in enumerate(rows)]
    lines.sort(key=lambda line: line.row.at_utc, reverse=True)
    return lines, sorted(summaries.values(), key=lambda s: -sum(s.rules.values()))


def rule_source(rule_id: str) -> str:
    return RULES_BY_ID[rule_id].source
