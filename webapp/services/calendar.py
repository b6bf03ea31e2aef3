"""A case's dates as an iCalendar file, and its private subscription links.

The events are :func:`webapp.domain.agenda.calendar_items`: every coming agreed
payment (at most 24 per agreement) and every other next step's due date; and
each running agreement's next annual review (``review_items``). An
event's UID is a hash of what it is (case, debt, kind, date), so it is the
same in every download and a subscribed calendar updates rather than
duplicates it; the hash keeps the case's id out of the file.

A subscription link is a random token (32 bytes); the database keeps only its
SHA-256. A case has at most one live link: making a new one revokes the old.

A fetch of the link is an export of the case's dates, so it goes into the
case's audit log (who: the calendar link, via ``calendar``; never the token).
A calendar app polls every 15 minutes or so; a row per fetch would bury the
log, so a feed writes at most one row per day (the case's local date): the
first fetch of the day claims the day with a conditional UPDATE of the link's
``audited_on``, so two polls at once still write one row.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update

from ..domain.agenda import calendar_items, review_items
from ..domain.errors import ValidationError
from ..domain.status import creditor_statuses
from ..extensions import db
from ..ical import Event, calendar
from ..models import CalendarLink, Case
from ..models.types import local_date, now_utc
from . import agenda_text as words
from . import audit
from .cases import to_domain
from .negotiations import today_for


def uid(case: Case, debt_id: str, kind: str, due) -> str:
    key = f"{case.public_id}|{debt_id}|{kind}|{due.isoformat()}".encode()
    return hashlib.sha256(key).hexdigest()[:32] + "@parley"


def case_ics(case: Case, lang: str) -> str:
    """The case's calendar text, in ``lang`` (``en`` or ``zh_CN``)."""
    today = today_for(case)
    try:
        states = creditor_statuses(to_domain(case), today)
    except ValidationError:  # an event dated after today (a clock or zone change): no dates
        states = []
    items = sorted(calendar_items(states, today) + review_items(states, today),
                   key=lambda i: (i.due, i.debt_id, i.kind))
    events = [Event(uid(case, i.debt_id, i.kind, i.due), i.due,
                    words.CALENDAR_SUMMARY[lang].format(
                        what=words.what(i, case.currency, lang, case.jurisdiction)))
              for i in items]
    title = case.title or words.MAIL[lang]["untitled"]
    return calendar(events, name=words.CALENDAR_NAME[lang].format(title=title),
                    stamp=now_utc())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def active_link(case: Case) -> CalendarLink | None:
    return db.session.scalar(select(CalendarLink).where(
        CalendarLink.case_id == case.id, CalendarLink.revoked_at.is_(None)))


def _revoke(case: Case) -> int:
    return db.session.execute(update(CalendarLink).where(
        CalendarLink.case_id == case.id, CalendarLink.revoked_at.is_(None),
    ).values(revoked_at=now_utc())).rowcount


def create_link(case: Case) -> str:
    """A new subscription token for ``case`` (the old one, if any, stops working)."""
    _revoke(case)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarLink(case_id=case.id, token_hash=_hash(token)))
    db.session.commit()
    return token


def revoke_link(case: Case) -> bool:
    """Stop the case's subscription link; False when there was none."""
    revoked = _revoke(case)
    db.session.commit()
    return revoked > 0


def case_for_token(token: str) -> Case | None:
    """The case a live token belongs to, or None."""
    return db.session.scalar(select(Case).join(CalendarLink).where(
        CalendarLink.token_hash == _hash(token), CalendarLink.revoked_at.is_(None)))


#: The audit log's channel for a feed's fetches (``AuditEvent.via``).
FEED_CHANNEL = "calendar"


def fetch_feed(token: str) -> Case | None:
    """The case a live token belongs to (None: unknown or revoked), its fetch
    noted in the case's audit log once per feed per day (see the module)."""
    link = db.session.scalar(select(CalendarLink).where(
        CalendarLink.token_hash == _hash(token), CalendarLink.revoked_at.is_(None)))
    if link is None:
        return None
    case = link.case
    today = local_date(now_utc(), case.jurisdiction)
    links = CalendarLink.__table__
    claimed = db.session.execute(update(links).where(
        links.c.id == link.id,
        (links.c.audited_on.is_(None)) | (links.c.audited_on < today),
    ).values(audited_on=today)).rowcount
    if claimed:
        db.session.add(audit.feed_row(case, FEED_CHANNEL))
    db.session.commit()
    return case
