"""The record of every e-mail Parley sent (or tried to send) for a user.

It is the user's own record of what went where, and what the per-account
daily limit counts; and the outbox: a letter e-mailed from the web is recorded
here ``queued`` and sent by a job (:mod:`webapp.jobs.letter_mail`). The
recipient is kept here, in the database, with the rest of the user's data; it
never goes into the application log.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..crypto import EncryptedText
from ..extensions import db
from .types import UTCDateTime, now_utc


class MailState(StrEnum):
    """Where one e-mail stands. The row is the truth; the queue carries its job.

    queued -> sending -> sent, or -> failed; a ``sending`` row whose worker died
    (its job's heartbeat stopped) becomes ``uncertain``: the mail server may or
    may not have taken it, and a letter to a creditor is never sent twice on a
    guess, so the user is asked (see :mod:`webapp.services.mail_queue`).
    """

    #: recorded by the request, waiting for a worker
    QUEUED = "queued"
    #: a worker is talking to the mail server (since ``sending_at``)
    SENDING = "sending"
    #: the mail server took it (the letter is frozen in the same transaction)
    SENT = "sent"
    #: the mail server refused it, or it could not be sent: nothing went out
    FAILED = "failed"
    #: its worker died while the mail server had it: it may have gone out
    UNCERTAIN = "uncertain"


#: The allowed moves between states (tests/unit check the services keep to them).
MAIL_TRANSITIONS = {
    MailState.QUEUED: {MailState.SENDING, MailState.FAILED},
    MailState.SENDING: {MailState.SENT, MailState.FAILED, MailState.UNCERTAIN},
    MailState.SENT: set(),
    MailState.FAILED: set(),
    MailState.UNCERTAIN: set(),
}


class SentMail(db.Model):
    __tablename__ = "sent_mail"
    # The letter page asks "is an e-mail of this letter on its way?" on every view.
    __table_args__ = (Index("ix_sent_mail_letter_outcome", "letter_id", "outcome"),)

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
    #: a :class:`MailState` value
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, index=True)
    #: when a worker handed it to the mail server (state ``sending``)
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    @property
    def pending(self) -> bool:
        return self.outcome in (MailState.QUEUED, MailState.SENDING)
