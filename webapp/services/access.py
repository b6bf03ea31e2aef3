"""Who may see a case. Today: its owner. Later: counselors with the borrower's
per-case, revocable consent — this is the one function that will grow.

Anyone else gets a 404, not a 403, so the existence of a case leaks nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from ..extensions import db
from ..models import Case, User


def cases_for(user: User) -> list[Case]:
    """The user's cases, newest change first, with their debts loaded in one more
    query (the list shows how many each has: no query per case)."""
    return list(
        db.session.scalars(
            select(Case).where(Case.owner_id == user.id).order_by(Case.updated_at.desc())
            .options(selectinload(Case.debts))
        )
    )


def get_case(user: User, public_id: str) -> Case:
    """The case if ``user`` may see it; otherwise 404."""
    case = db.session.scalar(select(Case).where(Case.public_id == public_id))
    if case is None or case.owner_id != user.id:
        raise NotFound()
    return case
