"""A negotiation with one creditor about one proposal.

It opens when the first letter to the creditor is sent. Its status follows
the table in ``webapp.domain.negotiation``; the replies that move it will be
recorded as a timeline of their own (a later issue), referring to this row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..domain.negotiation import INITIAL
from ..extensions import db
from .types import NEVER_REUSE_IDS, UTCDateTime, now_utc


class Negotiation(db.Model):
    __tablename__ = "negotiations"
    __table_args__ = (
        UniqueConstraint("proposal_id", "debt_ref", name="uq_negotiations_proposal_debt"),
        dict(NEVER_REUSE_IDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the debt's ref in the case file (and in the proposal's snapshot)
    debt_ref: Mapped[str] = mapped_column(String(40))
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    opened_by_letter_id: Mapped[int | None] = mapped_column(
        ForeignKey("letters.id", ondelete="SET NULL"), default=None)
    #: a ``NegotiationStatus`` value
    status: Mapped[str] = mapped_column(String(20), default=INITIAL.value)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    # ORM cascades too: SQLite does not enforce the foreign keys' ON DELETE.
    case = relationship("Case", backref=backref("negotiations", cascade="all, delete-orphan"))
    proposal = relationship("Proposal", backref=backref("negotiations", cascade="all"))
    opened_by = relationship("Letter")
