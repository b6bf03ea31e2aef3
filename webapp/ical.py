"""Writing iCalendar (RFC 5545) text: all-day events, nothing else.

No library: the subset Parley needs is small and its rules are exact.

* Lines end with CRLF (3.1).
* A content line longer than 75 octets is folded: CRLF and one space, never
  inside a UTF-8 character (3.1), so Chinese text survives every client.
* TEXT values escape backslash, semicolon, comma and newlines (3.3.11).
* Every event has a UID (stable: the caller derives it from what the event is,
  so a calendar that subscribes sees the same event, not a new one, on every
  refresh), a DTSTAMP in UTC and an all-day ``DTSTART;VALUE=DATE`` with
  ``DTEND`` the next day (3.6.1: DTEND is exclusive).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CRLF = "\r\n"
#: The longest content line, in octets, before folding (RFC 5545 3.1).
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    day: date
    summary: str
    description: str = ""


def escape_text(value: str) -> str:
    """A TEXT value: ``\\`` ``;`` ``,`` escaped, every newline as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """``line`` folded into pieces of at most 75 octets, each continuation
    starting with one space, cut only between characters."""
    pieces: list[str] = []
    current, size, limit = [], 0, LINE_OCTETS
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space counts
        current.append(char)
        size += n
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], *, name: str, stamp: datetime,
             product: str = "-//Parley//Parley//EN") -> str:
    """The VCALENDAR text of ``events``; ``stamp`` (aware) is every DTSTAMP."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{product}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}"]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(e.uid)}",
            f"DTSTAMP:{_stamp(stamp)}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(e.summary)}",
        ]
        if e.description:
            lines.append(f"DESCRIPTION:{escape_text(e.description)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
