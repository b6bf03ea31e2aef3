"""A piece of background work and its result: the truth about a job is this row.

The queue (RQ on Redis, or a thread when there is no Redis) only carries the
row's id; a job that a killed worker left ``queued`` or ``running`` is simply
queued again (``webapp.jobs.sweep``, every minute in ``parley worker``), and
running a job twice gives the same result, so nothing is lost and nothing is
done differently. A worker takes a job with a conditional UPDATE
(:func:`webapp.jobs.claim`), so a job queued twice still runs once at a time.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, deferred, mapped_column, relationship

from ..crypto import EncryptedBytes
from ..extensions import db
from .types import UTCDateTime, new_public_id, now_utc


class JobStatus(StrEnum):
    #: waiting for a worker
    QUEUED = "queued"
    #: a worker is on it (since ``started_at``)
    RUNNING = "running"
    #: finished: ``result`` holds the file
    DONE = "done"
    #: gave up: ``error`` says why, in words without personal data
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "jobs"
    # One job per piece of work: a double-click finds the first one.
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_jobs_kind_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    #: which job (a module of ``webapp.jobs``), e.g. ``letters_zip``, ``archive``
    kind: Mapped[str] = mapped_column(String(40))
    #: the case it is about (None: an archive of a whole account)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True, default=None)
    #: who asked for it, for jobs only they may fetch (an archive); else None
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True, default=None)
    #: a digest of everything the result is made from: same key, same result
    key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value,
                                        server_default=JobStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: the file made (a ZIP...), loaded only when downloaded (encrypted: the
    #: letters inside carry addresses and account numbers); an archive, which
    #: can be large, is a file in ``EXPORT_DIR`` instead (``services.archive``)
    result: Mapped[bytes | None] = deferred(mapped_column(EncryptedBytes, default=None))
    result_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    error: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    #: when it was last queued or started: a job stuck for long is queued again
    touched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    #: when a worker last took it
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: stamped every few seconds while its worker lives (``webapp.jobs.heartbeat``):
    #: a running job whose heartbeat stopped lost its worker, and is queued again
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: what the job works from (the evidence table's HTML to print), if not the case
    payload: Mapped[bytes | None] = deferred(mapped_column(EncryptedBytes, default=None))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    case = relationship(
        "Case", backref=backref("jobs", cascade="all, delete-orphan", order_by="Job.id"))
    proposal = relationship(
        "Proposal", backref=backref("jobs", cascade="all, delete-orphan", order_by="Job.id"))

    @property
    def pending(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)
