"""A saved proposal: a frozen snapshot of the case file and the chosen strategy.

Letters and negotiations refer to a proposal, never to the live case, so a
budget change later cannot silently change what was offered. ``case_revision``
says which revision of the case it was made from.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import NEVER_REUSE_IDS, UTCDateTime, new_public_id, now_utc


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = dict(NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    strategy: Mapped[str] = mapped_column(String(24))
    case_revision: Mapped[int]
    #: the case file (parley-case/1) the plan was made from
    case_snapshot: Mapped[dict] = mapped_column(JSON)
    #: the chosen strategy's result from the plan (parley-plan/1 strategy object)
    plan_snapshot: Mapped[dict] = mapped_column(JSON)
    #: how many times its letters were written: writing them claims the next
    #: number with a conditional UPDATE, so two at once leave one set of drafts
    letters_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    case = relationship("Case", back_populates="proposals")
