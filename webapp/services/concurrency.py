"""Two requests on the same row: who wins, and what the loser is told.

Parley uses optimistic locking. A form carries the ``version`` of the row it was
loaded from; every ORM UPDATE or DELETE of a versioned row (cases, budget items,
debts, letters) says ``WHERE id = :id AND version = :loaded`` and bumps the
version, so of two saves based on the same read exactly one matches a row. The
other raises :class:`Conflict` (nothing saved, the transaction rolled back) and
the page says what happened with a 409 instead of a silent overwrite or a 500.

This works the same on SQLite (one writer at a time) and on PostgreSQL (READ
COMMITTED re-checks the WHERE clause against the row a concurrent transaction
committed), with no lock held while a person reads a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from ..extensions import db


class Conflict(Exception):
    """Another request changed or deleted the row first; nothing was saved.

    ``deleted`` says which: a deleted row answers 404, a changed one 409 with
    the form shown again.
    """

    def __init__(self, what: str, *, deleted: bool = False):
        self.what = what
        self.deleted = deleted
        super().__init__(f"{what} was {'deleted' if deleted else 'changed'} meanwhile")


def parse_version(raw: Any) -> int | None:
    """The version a form was loaded at: None when the form sent none, -1 when
    it sent something that is not a version (so it never matches)."""
    if raw is None or raw == "":
        return None
    try:
        return int(str(raw))
    except ValueError:
        return -1


def check_version(row: Any, expected: int | None, what: str) -> None:
    """Refuse a save based on an older version of ``row`` than the stored one.

    ``expected`` None (a client that sends no version) skips the comparison with
    the form; the UPDATE itself still refuses a row changed since this request
    read it.
    """
    if expected is not None and expected != row.version:
        raise Conflict(what)


def exists(model: type, row_id: int) -> bool:
    """Whether the row is (still) in the database, read afresh."""
    return db.session.scalar(select(model.id).where(model.id == row_id)) is not None


@contextmanager
def saving(row: Any, what: str) -> Iterator[None]:
    """Run the body and commit; a save that lost a race becomes :class:`Conflict`.

    The transaction is rolled back first, so nothing of the body is saved.
    """
    # The identity, not ``row.id``: reading an expired attribute of a row that
    # another request deleted would itself fail.
    model, identity = type(row), inspect(row).identity
    try:
        yield
        db.session.commit()
    except (StaleDataError, ObjectDeletedError) as exc:
        db.session.rollback()
        deleted = identity is None or not exists(model, identity[0])
        raise Conflict(what, deleted=deleted) from exc
