"""The evidence table (PDF) of a contact log, printed in the background.

WeasyPrint takes a second or more for a long log, so the PDF is a job
(:mod:`webapp.jobs.evidence_pdf`). The request renders the table's HTML (fast,
in the page's language) and stores it in the job's ``payload``; the job prints
it. The job's ``key`` is a digest of the log's JSON export and the language: the
same log gives the same job (and its PDF, printed once), a new contact a new one.
The export time printed on it is when that log was first asked for as a PDF.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..letters.render import render_pdf
from ..models import Case, Job, JobStatus
from ..models.types import now_utc
from .bundles import record_failure

KIND = "evidence_pdf"
log = logging.getLogger(__name__)


def evidence_key(case: Case, raw_json: bytes, language: str) -> str:
    digest = hashlib.sha256(f"{KIND}:{case.id}:{language}:".encode())
    digest.update(raw_json)
    return digest.hexdigest()


def pdf_job(case: Case, key: str) -> Job | None:
    return db.session.scalar(select(Job).where(Job.kind == KIND, Job.key == key))


def request_pdf(case: Case, key: str, html: str) -> Job:
    """Make sure the PDF of this log is ready or on its way (idempotent): an
    existing job for the same key is returned, queued again if it failed or
    was lost. The case's older evidence PDFs are deleted."""
    from ..jobs import enqueue, is_lost

    job = pdf_job(case, key)
    if job is not None and (job.status == JobStatus.DONE or (job.pending and not is_lost(job))):
        return job
    if job is None:
        for old in [j for j in case.jobs if j.kind == KIND]:
            case.jobs.remove(old)
        job = Job(kind=KIND, case=case, key=key)
        db.session.add(job)
    job.payload = html.encode("utf-8")
    job.status, job.error, job.touched_at = JobStatus.QUEUED.value, "", now_utc()
    try:
        db.session.commit()
    except IntegrityError:  # the same request, a moment earlier: use its job
        db.session.rollback()
        return pdf_job(case, key)
    enqueue(job)
    db.session.refresh(job)
    return job


def build(job_id: int) -> None:
    """The job's work: print the stored HTML, keep the PDF in the row."""
    from ..jobs import claim, heartbeat

    if not claim(job_id):  # finished, or another worker has it
        return
    job = db.session.get(Job, job_id)
    try:
        with heartbeat(job_id):
            data = render_pdf((job.payload or b"").decode("utf-8"))
    except Exception as exc:  # noqa: BLE001 (recorded in the row: record_failure)
        record_failure(job_id, KIND, exc)
        return
    job.result, job.result_name = data, f"parley-contacts-{job.case.public_id}.pdf"
    job.status, job.finished_at = JobStatus.DONE.value, now_utc()
    db.session.commit()
