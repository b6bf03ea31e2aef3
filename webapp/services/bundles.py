"""A proposal's letters as one ZIP of PDFs, made in the background.

Printing a hundred letters takes WeasyPrint tens of seconds (and a long edited
Chinese letter about a second on its own), so the ZIP is a job
(:mod:`webapp.jobs.letters_zip`): :func:`request_zip` records it and hands it to
the queue, :func:`build_zip` does the work, :func:`zip_job` tells the page how
it stands. A job's ``key`` is a digest of the letters it is made from, so a
double-click finds the job already there, and a changed letter makes a new one.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain.errors import FieldError, ValidationError
from ..extensions import db
from ..models import Job, JobStatus, Proposal
from ..models.types import now_utc
from .letter_delivery import bundle_letters, bundle_zip

KIND = "letters_zip"
#: A job queued or running for longer than this is taken to be lost (a killed
#: worker) and is queued again; the worker's own time limit is below it.
STALE_AFTER = timedelta(minutes=15)
log = logging.getLogger(__name__)


def letters_key(proposal: Proposal) -> str | None:
    """The digest of what the ZIP would hold now (None: no letters yet)."""
    letters = bundle_letters(proposal)
    if not letters:
        return None
    digest = hashlib.sha256(f"{KIND}:{proposal.id}".encode())
    for x in letters:
        digest.update(f"|{x.id}:{x.updated_at.isoformat()}:{x.status}".encode())
    return digest.hexdigest()


def zip_job(proposal: Proposal) -> Job | None:
    """The job for the ZIP of the proposal's letters as they are now, if any."""
    key = letters_key(proposal)
    if key is None:
        return None
    return db.session.scalar(select(Job).where(Job.kind == KIND, Job.key == key))


def record_failure(job_id: int, kind: str, exc: Exception) -> None:
    """A job's work raised: roll back what it did, mark the row failed and commit.

    The row keeps the message of a plain ``LookupError`` (ours, written for the
    user: "the letters changed...") and otherwise only the exception's type
    (a ``KeyError`` too): never a message that could quote personal data."""
    db.session.rollback()
    job = db.session.get(Job, job_id)
    job.status, job.finished_at = JobStatus.FAILED.value, now_utc()
    job.error = str(exc)[:300] if type(exc) is LookupError else type(exc).__name__
    log.warning("job %s (%s) failed: %s", job.public_id, kind, type(exc).__name__)
    db.session.commit()


def is_stale(job: Job) -> bool:
    """Pending for so long that the page offers to try again (see also the
    worker's sweep, :func:`webapp.jobs.is_lost`, which needs no one to look)."""
    return job.pending and now_utc() - job.touched_at > STALE_AFTER


def request_zip(proposal: Proposal) -> Job:
    """Make sure a ZIP of the letters as they are now is ready or on its way.

    Idempotent: an existing job for the same letters is returned (and queued
    again if it failed or was lost). Older ZIPs of the proposal are deleted.
    ValidationError ``letters`` when there is nothing to put in it.
    """
    from ..jobs import enqueue

    key = letters_key(proposal)
    if key is None:
        raise ValidationError([FieldError("letters", "write the letters first")])
    job = db.session.scalar(select(Job).where(Job.kind == KIND, Job.key == key))
    if job is not None and (job.status == JobStatus.DONE or (job.pending and not is_stale(job))):
        return job
    if job is None:
        for old in [j for j in proposal.jobs if j.kind == KIND]:
            proposal.jobs.remove(old)
        job = Job(kind=KIND, case=proposal.case, proposal=proposal, key=key)
        db.session.add(job)
    job.status, job.error, job.touched_at = JobStatus.QUEUED.value, "", now_utc()
    try:
        db.session.commit()
    except IntegrityError:  # the same request, a moment earlier: use its job
        db.session.rollback()
        return db.session.scalar(select(Job).where(Job.kind == KIND, Job.key == key))
    enqueue(job)
    return job


def build_zip(job_id: int) -> None:
    """The job's work (idempotent): print the letters, store the ZIP in the row.

    If the letters changed since the job was asked for, it stops (``failed``):
    the page then offers a ZIP of the new letters.
    """
    from ..jobs import claim, heartbeat

    if not claim(job_id):  # finished, or another worker has it
        return
    job = db.session.get(Job, job_id)
    proposal = job.proposal
    try:
        if proposal is None or letters_key(proposal) != job.key:
            raise LookupError("the letters changed; prepare the ZIP again")
        with heartbeat(job_id):
            name, data = bundle_zip(proposal)
    except Exception as exc:  # noqa: BLE001 (recorded in the row: record_failure)
        record_failure(job_id, KIND, exc)
        return
    job.result, job.result_name = data, name
    job.status, job.finished_at = JobStatus.DONE.value, now_utc()
    db.session.commit()


def zip_file(job: Job) -> tuple[str, bytes]:
    """(file name, bytes) of a finished ZIP."""
    return job.result_name, job.result or b""
