"""A letter to a creditor (or the budget statement), from draft to sent.

A draft may be regenerated or edited. Once sent it is frozen: ``html`` is the
exact document that went out, ``sha256`` its digest, and nothing may change it
again; a later step is a new letter.

``version`` is the row's optimistic lock (``version_id_col``): every ORM UPDATE
says ``WHERE version = <the version loaded>``. An edit and a "mark sent" that
both read version 3 cannot both win: the second matches no row. So the digest a
freeze computes is always of the HTML that is stored.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..crypto import EncryptedJSON, EncryptedText
from ..extensions import db
from .types import NEVER_REUSE_IDS, UTCDateTime, new_public_id, now_utc


class LetterStatus(StrEnum):
    #: generated or edited, not sent: may be edited, regenerated or sent
    DRAFT = "draft"
    #: sent (by Parley or by the user): frozen, never changed again
    SENT = "sent"


#: The only move a letter makes: draft → sent. A sent letter stays sent.
LETTER_TRANSITIONS: dict[LetterStatus, frozenset[LetterStatus]] = {
    LetterStatus.DRAFT: frozenset({LetterStatus.SENT}),
    LetterStatus.SENT: frozenset(),
}


class Channel(StrEnum):
    #: sent by e-mail (by Parley, or by the user themselves)
    EMAIL = "email"
    #: posted
    POST = "post"
    #: uploaded through the creditor's app or website
    APP = "app"
    #: handed over in person
    IN_PERSON = "in_person"


class Letter(db.Model):
    __tablename__ = "letters"
    __table_args__ = dict(NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True, default=None)
    #: the debt's ref in the case file; None for the budget statement
    debt_ref: Mapped[str | None] = mapped_column(String(40), default=None)
    #: the catalogue key (``proposal``, ``settlement``, ``budget_statement``...)
    letter_type: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16), default=LetterStatus.DRAFT.value)
    #: the letter as a complete HTML document: what is previewed, printed and sent
    #: (encrypted at rest, like every personal value: it has addresses and account numbers)
    html: Mapped[str] = mapped_column(EncryptedText)
    #: the user's own wording of the body (plain text), if they edited it
    body_text: Mapped[str | None] = mapped_column(EncryptedText, default=None)
    #: what the user added for this letter (circumstances, a deadline...), by field name
    #: (the borrower's circumstances, in their words: encrypted)
    extras: Mapped[dict] = mapped_column(EncryptedJSON, default=dict)
    #: SHA-256 of ``html`` as sent (set when frozen): of the clear text, not of its token
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    channel: Mapped[str | None] = mapped_column(String(16), default=None)
    #: who it went to: an e-mail address or the creditor's name
    sent_to: Mapped[str] = mapped_column(EncryptedText, default="")
    #: set while Parley e-mails the draft: nobody else may send, edit or replace it
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: the optimistic lock of the row (see the module's docstring)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    __mapper_args__ = {"version_id_col": version}

    # Cascades in the ORM as well as in the database: SQLite does not enforce
    # foreign keys here, and a deleted case must not leave its letters behind.
    case = relationship(
        "Case", backref=backref("letters", cascade="all, delete-orphan", order_by="Letter.id"))
    proposal = relationship(
        "Proposal", backref=backref("letters", cascade="all", order_by="Letter.id"))

    @property
    def is_sent(self) -> bool:
        return self.status == LetterStatus.SENT

    @property
    def is_statement(self) -> bool:
        return self.debt_ref is None
