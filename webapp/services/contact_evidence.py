"""The contact log as evidence a lawyer or regulator can read: JSON, CSV, PDF.

The JSON is the raw log exactly as the case file writes it (``contacts``) plus
the ``breaches`` as ``parley status`` reports them, and the source of each
rule broken. It carries no export time, so the same log always gives the same
bytes: the SHA-256 printed on the PDF can be checked against the JSON file.
The case file (and so these exports) holds each contact's current values; the
earlier versions of edited contacts are shown on the contacts page only (the
``parley-case/1`` contract has no field for them). The screenshots and
recordings are listed beside the contacts (``uploads``: name, media type,
size, SHA-256), every file of every version, so each can be checked against
the file a lawyer or regulator is sent.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime

from ..domain.contacts import RULES_BY_ID, evaluate
from ..models import Case
from ..models.types import now_utc
from . import uploads as upload_store
from .cases import domain_contact
from .contact_log import contact_entry, zone_for

#: Spreadsheets run a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def evidence(case: Case) -> dict:
    """The raw log and its breaches."""
    rows = list(case.collection_contacts)
    breaches = evaluate(case.jurisdiction, [domain_contact(r) for r in rows])
    broken = sorted({rule for _, rule in breaches}, key=list(RULES_BY_ID).index)
    return {
        "case": case.public_id,
        "jurisdiction": case.jurisdiction,
        "contacts": [contact_entry(r) for r in rows],
        "breaches": [{"contact": i, "rule": rule} for i, rule in breaches],
        "rules": {rule: {"source": RULES_BY_ID[rule].source,
                         "statutory": RULES_BY_ID[rule].statutory} for rule in broken},
        "uploads": uploads_of(case),
    }


def uploads_of(case: Case) -> list[dict]:
    """Every file of every contact, in the log's order, oldest first per contact;
    ``current`` is false for a file of a version since corrected."""
    files = upload_store.by_contact(case)
    out = []
    for i, row in enumerate(case.collection_contacts):
        mine = files.get(row.id, [])
        for u in mine:
            out.append({"contact": i, "name": u.filename, "media_type": u.media_type,
                        "size": u.size, "sha256": u.sha256, "current": u is mine[-1]})
    return out


def evidence_json(case: Case) -> bytes:
    return (json.dumps(evidence(case), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


CSV_COLUMNS = ("contact", "at", "channel", "connected", "party", "debt_id", "collector",
               "notes", "rules", "sources", "upload_names", "upload_media_types",
               "upload_sizes", "upload_sha256")


def evidence_csv(case: Case) -> bytes:
    """One row per contact (in the log's order), its rules and their sources;
    UTF-8 with a BOM so that spreadsheets show Chinese correctly."""
    data = evidence(case)
    rules: dict[int, list[str]] = {}
    for b in data["breaches"]:
        rules.setdefault(b["contact"], []).append(b["rule"])
    files: dict[int, list[dict]] = {}
    for u in data["uploads"]:
        files.setdefault(u["contact"], []).append(u)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for i, c in enumerate(data["contacts"]):
        mine, attached = rules.get(i, []), files.get(i, [])
        writer.writerow([safe_cell(v) for v in (
            i, c["at"], c["channel"], "yes" if c["connected"] else "no", c["party"],
            c.get("debt_id", ""), c.get("collector", ""), c.get("notes", ""),
            " ".join(mine), " | ".join(RULES_BY_ID[r].source for r in mine),
            *(" | ".join(str(u[key]) for u in attached)
              for key in ("name", "media_type", "size", "sha256")))])
    return out.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class Row:
    """One line of the PDF's table."""

    index: int
    at: str
    channel: str
    connected: bool
    party: str
    caller: str
    notes: str
    rules: tuple[str, ...]


def local_stamp(at: str) -> str:
    """``2027-01-03 22:30 +08:00``: the local time with its offset, as evidence."""
    moment = datetime.fromisoformat(at)
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def pdf_rows(case: Case) -> list[Row]:
    """The contacts in time order, each with the rules it breaks."""
    data = evidence(case)
    rules: dict[int, list[str]] = {}
    for b in data["breaches"]:
        rules.setdefault(b["contact"], []).append(b["rule"])
    creditors = {d.ref: d.creditor for d in case.debts}
    rows = list(case.collection_contacts)
    order = sorted(range(len(rows)), key=lambda i: (rows[i].at_utc, i))
    return [Row(i, local_stamp(rows[i].at), rows[i].channel, bool(rows[i].connected),
                rows[i].party, rows[i].collector or creditors.get(rows[i].debt_ref or "", ""),
                rows[i].notes or "", tuple(rules.get(i, ()))) for i in order]


def export_time(case: Case) -> str:
    """Now where the borrower lives, with its offset."""
    return local_stamp(now_utc().astimezone(zone_for(case)).isoformat())
