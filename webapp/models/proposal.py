"""A saved proposal: a frozen snapshot of the case file and the chosen strategy.

Letters and negotiations refer to a proposal, never to the live case, so a
budget change later cannot silently change what was offered. ``case_revision``
says which revision of the case it was made from.

Proposals are numbered per case (``version`` 1, 2, 3...): saving an option on
the plan page makes the next version, and so does an agreement at a figure
the current version did not offer (``cause`` "accepted": that creditor's
offer becomes the agreed figure and the others' shares follow the re-plan).
The highest version is the current one; the older ones, and the letters sent
under them, stay as they were.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedJSON
from ..extensions import db
from .types import NEVER_REUSE_IDS, UTCDateTime, new_public_id, now_utc


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        UniqueConstraint("case_id", "version", name="uq_proposals_case_version"),
        dict(NEVER_REUSE_IDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    strategy: Mapped[str] = mapped_column(String(24))
    case_revision: Mapped[int]
    #: the case file (parley-case/1) the plan was made from
    #: (encrypted at rest: it holds the borrower's and creditors' details)
    case_snapshot: Mapped[dict] = mapped_column(EncryptedJSON)
    #: the chosen strategy's result from the plan (parley-plan/1 strategy object)
    plan_snapshot: Mapped[dict] = mapped_column(JSON)
    #: how many times its letters were written: writing them claims the next
    #: number with a conditional UPDATE, so two at once leave one set of drafts
    letters_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    #: 1, 2, 3... per case; the highest is the current proposal
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: why this version was made: "saved" (the plan page) or "accepted" (an agreement)
    cause: Mapped[str] = mapped_column(String(20), default="saved", server_default="saved")
    #: the debt whose agreement made this version ("accepted" only)
    cause_debt_ref: Mapped[str | None] = mapped_column(String(40), default=None)
    #: the version this one was made from ("accepted" only)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"), default=None)

    case = relationship("Case", back_populates="proposals")
    parent = relationship("Proposal", remote_side=[id])

    @property
    def is_revision(self) -> bool:
        """Made by an agreement, not chosen on the plan page."""
        return self.cause == "accepted"
