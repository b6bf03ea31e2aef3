"""The record of every e-mail Parley sent (or tried to send) for a user.

It is the user's own record of what went where, and what the per-account
daily limit counts. The recipient is kept here, in the database, with the
rest of the user's data; it never goes into the application log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..crypto import EncryptedText
from ..extensions import db
from .types import UTCDateTime, now_utc


class SentMail(db.Model):
    __tablename__ = "sent_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The case and letter may be deleted later; the count against the daily
    # limit must stay, so these become NULL rather than taking the row along.
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), default=None)
    letter_id: Mapped[int | None] = mapped_column(
        ForeignKey("letters.id", ondelete="SET NULL"), default=None)
    #: the creditor address the letter was addressed to (the only To)
    recipient: Mapped[str] = mapped_column(EncryptedText)
    #: the copy's address: the account's verified e-mail ("" for none)
    cc: Mapped[str] = mapped_column(EncryptedText, default="")
    #: "sent", or "failed" when the SMTP server did not take it
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)
