"""A negotiation with one creditor about one proposal.

It opens when the first letter to the creditor is sent. Its status follows
the table in ``webapp.domain.negotiation``; the replies that move it will be
recorded as a timeline of their own (a later issue), referring to this row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..crypto import EncryptedJSON, EncryptedText
from ..domain.negotiation import NegotiationStatus
from ..extensions import db
from .types import NEVER_REUSE_IDS, Money, UTCDateTime, now_utc


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
    status: Mapped[str] = mapped_column(String(20), default=NegotiationStatus.AWAITING_REPLY.value)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    # ORM cascades too: SQLite does not enforce the foreign keys' ON DELETE.
    case = relationship("Case", backref=backref("negotiations", cascade="all, delete-orphan"))
    proposal = relationship("Proposal", backref=backref("negotiations", cascade="all"))
    opened_by = relationship("Letter")


class NegotiationEvent(db.Model):
    """One step of the negotiation with a debt's creditor (the case file's
    ``negotiations[].events[]``): a letter sent, a reply, an agreement, a payment.

    Events are kept per case and debt in the order they happened (``position``);
    the status on any day is derived from them by ``webapp.domain.status``, so
    nothing here is a running total that could drift from the record.
    """

    __tablename__ = "negotiation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the debt's ref in the case file
    debt_ref: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    on: Mapped[date] = mapped_column(Date)
    #: an ``EventType`` value
    type: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(EncryptedText, default="")
    letter: Mapped[str | None] = mapped_column(String(40), default=None)
    offer_monthly: Mapped[Decimal | None] = mapped_column(Money, default=None)
    monthly: Mapped[Decimal | None] = mapped_column(Money, default=None)
    first_payment: Mapped[date | None] = mapped_column(Date, default=None)
    total: Mapped[Decimal | None] = mapped_column(Money, default=None)
    amount: Mapped[Decimal | None] = mapped_column(Money, default=None)
    #: the letter Parley sent, when the event is one
    letter_id: Mapped[int | None] = mapped_column(
        ForeignKey("letters.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    case = relationship("Case", backref=backref(
        "negotiation_events", cascade="all, delete-orphan",
        order_by="(NegotiationEvent.debt_ref, NegotiationEvent.position, NegotiationEvent.id)"))


class CollectionContact(db.Model):
    """One contact by a collector (the case file's ``contacts[]``): evidence.

    ``at`` keeps the borrower's local time *with its offset as written*
    (``2027-01-03T22:30:00+08:00``): the collection rules are about the hour
    where the borrower was, so the offset is part of the evidence; ``at_utc``
    is the same instant, for ordering.
    """

    __tablename__ = "collection_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    at: Mapped[str] = mapped_column(String(40))
    at_utc: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(20))
    party: Mapped[str] = mapped_column(String(20))
    connected: Mapped[bool] = mapped_column(default=False)
    debt_ref: Mapped[str | None] = mapped_column(String(40), default=None)
    #: who called: often a person's name or a phone number, so encrypted like the notes
    collector: Mapped[str] = mapped_column(EncryptedText, default="")
    notes: Mapped[str] = mapped_column(EncryptedText, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    #: Every earlier version, oldest (the original) first, each the case file's
    #: entry plus ``replaced_at``: an edit never rewrites evidence silently.
    #: Encrypted as one JSON text: the old versions hold the same personal values.
    earlier: Mapped[list | None] = mapped_column(EncryptedJSON, default=None)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    case = relationship("Case", backref=backref(
        "collection_contacts", cascade="all, delete-orphan",
        order_by="(CollectionContact.position, CollectionContact.id)"))
