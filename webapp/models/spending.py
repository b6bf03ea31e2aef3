"""Why a household spends what it does in a category, in the borrower's words.

Creditors' collections staff accept spending up to their guideline figures
without question; above them they ask why (issue 12). A reason is kept per
expense category (``ExpenseCategory`` value) and printed in the budget statement
sent with every offer. Reasons explain; they are not figures: saving one does
not make a saved proposal out of date, and the letters take them from the live
case (``services.letter_sender.with_contact``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .types import NEVER_REUSE_IDS, UTCDateTime, now_utc

#: The longest reason (what the budget statement can carry).
REASON_MAX = 1000


class SpendingReason(db.Model):
    __tablename__ = "spending_reasons"
    __table_args__ = (
        UniqueConstraint("case_id", "category", name="uq_spending_reasons_category"),
        dict(NEVER_REUSE_IDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: an ExpenseCategory value: "food", "transport"...
    category: Mapped[str] = mapped_column(String(20))
    #: the borrower's reasons in their own words (health, family): encrypted
    text: Mapped[str] = mapped_column(EncryptedText)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    case = relationship("Case", back_populates="spending_reasons")
