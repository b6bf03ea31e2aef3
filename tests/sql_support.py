"""What SQL an app sends: for the tests that count or order statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from webapp.extensions import db


@contextmanager
def statements_sent(app) -> Iterator[list[str]]:
    """Every statement the app's engine sends inside the block, in order (the
    list fills as they go; a caller may clear it between requests)."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
