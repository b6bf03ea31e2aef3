"""The collection-contact log: every call, message or visit as a line of evidence.

A contact is entered in the borrower's local time; it is stored with the UTC
offset that time had where they live (so a call at 22:30 in Shanghai stays
22:30 +08:00, whatever the server's clock), and checked by the same domain
rules as the case file's ``contacts`` block. Which contacts break the
collection rules is ``webapp.domain.contacts`` applied to the whole log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from werkzeug.exceptions import NotFound

from ..domain.casefile import dump_case, parse_case
from ..domain.contact_summary import CallerFacts, summarise
from ..domain.contacts import RULES_BY_ID, evaluate
from ..domain.errors import FieldError, ValidationError
from ..domain.uploads import Accepted
from ..extensions import db
from ..models import Case, CollectionContact, Upload
from ..models.types import JURISDICTION_TIME_ZONES, now_utc
from . import uploads
from .cases import contact_row, domain_contact, to_domain


def zone_for(case: Case) -> ZoneInfo:
    return ZoneInfo(JURISDICTION_TIME_ZONES.get(case.jurisdiction, "UTC"))


def local_now(case: Case) -> datetime:
    """Now where the borrower lives, to the minute (the form's default)."""
    return now_utc().astimezone(zone_for(case)).replace(second=0, microsecond=0)


def _entry(case: Case, day: date, at: time, *, channel: str, party: str, connected: bool,
           debt_ref: str | None, collector: str, notes: str) -> dict:
    """The case file's entry for a contact entered in the borrower's local time."""
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
    return entry


def _checked(case: Case, entry: dict, index: int) -> CollectionContact:
    """``entry`` as contact ``index`` of the case file, checked like an import;
    ValidationError names the form's field."""
    data = dump_case(to_domain(case))
    contacts = data.setdefault("contacts", [])
    contacts[index:index + 1] = [entry]
    prefix = f"contacts[{index}]."
    try:
        parsed = parse_case(json.loads(json.dumps(data)))
    except ValidationError as exc:
        errors = [FieldError(e.path.removeprefix(prefix), e.message)
                  for e in exc.errors if e.path.startswith(prefix)]
        raise ValidationError(errors or exc.errors) from None
    return contact_row(parsed.contacts[index], index)


def add_contact(case: Case, day: date, at: time, *, channel: str, party: str,
                connected: bool = False, debt_ref: str | None = None, collector: str = "",
                notes: str = "", attachment: Accepted | None = None) -> CollectionContact:
    """Log a contact, with its screenshot or recording when there is one
    (``attachment``, checked by the form); ValidationError names the field and
    nothing is saved, file included."""
    entry = _entry(case, day, at, channel=channel, party=party, connected=connected,
                   debt_ref=debt_ref, collector=collector, notes=notes)
    row = _checked(case, entry, len(case.collection_contacts))
    with uploads.saving(case, attachment) as upload:
        case.collection_contacts.append(row)
        if upload is not None:
            upload.contact = row
    return row


def get_contact(case: Case, contact_id: int) -> CollectionContact:
    """The case's contact, or 404 (another case's contact is not found either)."""
    for row in case.collection_contacts:
        if row.id == contact_id:
            return row
    raise NotFound()


def edit_contact(row: CollectionContact, day: date, at: time, *, channel: str, party: str,
                 connected: bool = False, debt_ref: str | None = None, collector: str = "",
                 notes: str = "", attachment: Accepted | None = None) -> bool:
    """Correct a logged contact, keeping the version it replaces in ``earlier``
    (evidence is never rewritten silently) with the upload it had
    (``upload_id``). A new ``attachment`` becomes the current version's; the
    earlier files stay. False when nothing changed."""
    # Lock the row (PostgreSQL) and read it afresh, so two edits at once cannot
    # drop each other's earlier version.
    db.session.refresh(row, with_for_update=True)
    case = row.case
    index = list(case.collection_contacts).index(row)
    entry = _entry(case, day, at, channel=channel, party=party, connected=connected,
                   debt_ref=debt_ref, collector=collector, notes=notes)
    new = _checked(case, entry, index)
    current = contact_entry(row)
    if contact_entry(new) == current and attachment is None:
        return False
    now = now_utc()
    replaced = {**current, "replaced_at": now.isoformat()}
    if (had := current_upload(row)) is not None:
        replaced["upload_id"] = had.id
    with uploads.saving(case, attachment) as upload:
        row.earlier = [*(row.earlier or []), replaced]
        for name in ("at", "at_utc", "channel", "party", "connected", "debt_ref", "collector",
                     "notes"):
            setattr(row, name, getattr(new, name))
        row.edited_at = now
        if upload is not None:
            upload.contact = row
    return True


def current_upload(row: CollectionContact) -> Upload | None:
    """The file of the contact's current version: its newest (earlier versions
    name theirs in ``earlier[].upload_id``)."""
    return row.uploads[-1] if row.uploads else None


def stored_local(row: CollectionContact) -> datetime:
    """The contact's local date-time as logged (with its offset)."""
    return datetime.fromisoformat(row.at)


def contact_entry(row: CollectionContact) -> dict:
    """A contact as the case file writes it (``contacts[]``)."""
    entry = {"at": row.at, "channel": row.channel, "party": row.party,
             "connected": bool(row.connected)}
    if row.debt_ref:
        entry["debt_id"] = row.debt_ref
    if row.collector:
        entry["collector"] = row.collector
    if row.notes:
        entry["notes"] = row.notes
    return entry


@dataclass(frozen=True)
class LogLine:
    row: CollectionContact
    #: the rule ids this contact breaks
    rules: tuple[str, ...]
    #: the current version's screenshot or recording
    upload: Upload | None = None


def log_view(case: Case) -> tuple[list[LogLine], list[CallerFacts]]:
    """Every contact, newest first, with the rules it breaks; and a summary per caller."""
    rows = list(case.collection_contacts)
    contacts = [domain_contact(r) for r in rows]
    breaches = evaluate(case.jurisdiction, contacts)
    flagged: dict[int, list[str]] = {}
    for index, rule in breaches:
        flagged.setdefault(index, []).append(rule)
    callers = summarise(case.jurisdiction, contacts, {d.ref: d.creditor for d in case.debts},
                        breaches)
    files = uploads.by_contact(case)
    lines = [LogLine(row, tuple(flagged.get(i, [])), (files.get(row.id) or [None])[-1])
             for i, row in enumerate(rows)]
    lines.sort(key=lambda line: line.row.at_utc, reverse=True)
    return lines, callers


def rule_source(rule_id: str) -> str:
    return RULES_BY_ID[rule_id].source
