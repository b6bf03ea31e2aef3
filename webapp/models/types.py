"""Column types shared by the models."""

from __future__ import annotations

import functools
import secrets
from datetime import UTC, date, datetime

from sqlalchemy import DateTime, Numeric
from sqlalchemy.types import TypeDecorator

#: Money: 12 digits before the point, 2 after; always with a currency column nearby.
Money = Numeric(14, 2, asdecimal=True)
#: An APR in percent: up to 1000.0000.
Rate = Numeric(8, 4, asdecimal=True)


#: Table options: on SQLite, never give a deleted row's id to a new row
#: (AUTOINCREMENT; PostgreSQL sequences never do). Versioned saves match a row by
#: id and version: a reused id would let a save meant for a deleted row (version
#: 1) land on the new row that took its id (version 1 too).
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def now_utc() -> datetime:
    """The one clock for events: timezone-aware UTC."""
    return datetime.now(UTC)


#: The time zone a case's letters are dated in. The US spans several zones; its
#: default is the Eastern one until a case records its own.
JURISDICTION_TIME_ZONES = {"CN": "Asia/Shanghai", "GB": "Europe/London",
                           "US": "America/New_York", "other": "UTC"}


def local_date(moment: datetime, jurisdiction: str) -> date:
    """The calendar date of ``moment`` where the borrower lives."""
    return moment.astimezone(_zone(JURISDICTION_TIME_ZONES.get(jurisdiction, "UTC"))).date()


@functools.cache
def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def new_public_id() -> str:
    """An unguessable id for URLs, so case numbers leak nothing."""
    return secrets.token_urlsafe(12)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; SQLite drops the zone, so put it back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: use now_utc()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value
