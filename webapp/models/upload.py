"""An uploaded file kept as evidence: a creditor's letter with a reply, or a
screenshot or recording with a collection contact.

The row describes the file; the bytes live in the storage (``webapp.storage``)
under ``storage_key``, a random key that owes nothing to the user's file name.
``media_type`` is what the content was found to be (``webapp.domain.filetypes``),
never what the browser or the name claimed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .types import NEVER_REUSE_IDS, UTCDateTime, new_public_id, now_utc


class Upload(db.Model):
    __tablename__ = "uploads"
    __table_args__ = (
        # It belongs to exactly one thing: a reply (event) or a contact.
        CheckConstraint("(event_id IS NULL) <> (contact_id IS NULL)",
                        name="one_owner"),
        dict(NEVER_REUSE_IDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: in download URLs, so upload numbers leak nothing
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation_events.id", ondelete="CASCADE"), index=True, default=None)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("collection_contacts.id", ondelete="CASCADE"), index=True, default=None)
    #: the name the browser gave, made safe, its extension fitting the content
    #: (encrypted: "Sam Lee bank statement.pdf" names a person)
    filename: Mapped[str] = mapped_column(EncryptedText)
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    # ORM cascades too: SQLite does not enforce the foreign keys' ON DELETE.
    case = relationship("Case", backref=backref(
        "uploads", cascade="all, delete-orphan", order_by="Upload.id"))
    event = relationship("NegotiationEvent", backref=backref(
        "uploads", cascade="all, delete-orphan", order_by="Upload.id"))
    contact = relationship("CollectionContact", backref=backref(
        "uploads", cascade="all, delete-orphan", order_by="Upload.id"))
