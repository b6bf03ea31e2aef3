"""The borrower's archive: everything of their cases (or of one case) as one ZIP,
made in the background, downloaded by its owner alone, the download audited.

It follows the letters ZIP (``services.bundles``): a :class:`~webapp.models.Job`
row is the truth, :func:`request_archive` records it and hands it to the queue
(``webapp.jobs.archive``), :func:`build` does the work, the page says how it
stands. Unlike the letters ZIP the file is not kept in the row: with uploads
an archive can be large, so it is written to a file in ``EXPORT_DIR`` (mode
0600, by the job's public id) and streamed from there. What goes in it is
:mod:`.archive_content`.

Only cases the account *owns* go in: never a case a counselor was granted (it
is the client's data, not theirs to take away). A downloaded archive is an
export of every case in it: one ``export`` row in each case's audit log, at
the download (when the data leaves Parley). An archive is kept for
``KEEP_FOR``, and goes earlier when a newer one of the same cases is made, or
when a case in it or the account is erased (:func:`files_to_erase`).
"""

from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, or_, select

from ..extensions import db
from ..models import AuditAction, Case, Job, JobStatus, User
from ..models.types import now_utc
from . import audit
from .archive_content import case_ids_in, write_archive
from .bundles import is_stale, record_failure

KIND = "archive"
#: How long a finished archive stays downloadable.
KEEP_FOR = timedelta(hours=24)
log = logging.getLogger(__name__)


def folder() -> Path:
    return Path(current_app.config["EXPORT_DIR"])


def path_of(job: Job) -> Path:
    """Where the job's archive file is (public ids are url-safe: no ``/``)."""
    return folder() / f"{job.public_id}.zip"


def owned_cases(user: User) -> list[Case]:
    return list(db.session.scalars(select(Case).where(Case.owner_id == user.id)
                                   .order_by(Case.created_at, Case.id)))


def _scope(user: User, case: Case | None):
    return (Job.kind == KIND, Job.user_id == user.id,
            Job.case_id == case.id if case is not None else Job.case_id.is_(None))


def latest(user: User, case: Case | None = None) -> Job | None:
    """The newest archive job of ``user``'s cases (or of ``case``), if any."""
    return db.session.scalar(select(Job).where(*_scope(user, case))
                             .order_by(Job.id.desc()).limit(1))


def expired(job: Job) -> bool:
    return job.finished_at is not None and now_utc() - job.finished_at > KEEP_FOR


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:  # the rows are gone: nothing will serve it
            log.error("could not remove an archive file (%s)", type(exc).__name__)


def _forget(jobs: list[Job]) -> list[Path]:
    """Delete the jobs' rows (not committed); their files, to remove after the commit."""
    paths = [path_of(j) for j in jobs]
    for job in jobs:
        db.session.delete(job)
    return paths


def request_archive(user: User, case: Case | None = None) -> Job:
    """Make sure an archive of ``user``'s cases (or of ``case``, which they own)
    is on its way. A job still being made is returned as it is (a double click);
    otherwise a new one is made and the older ones of the same cases go, files
    and all, as do every expired archive's."""
    from ..jobs import enqueue

    # On PostgreSQL, one request of the account at a time: a double click finds
    # the first one's job. (SQLite serialises writers anyway.)
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    gone: list[Path] = []
    job = latest(user, case)
    if job is not None and job.pending and not is_stale(job):
        return job
    if job is not None and job.pending:  # lost by a killed worker: queued again
        job.status, job.touched_at = JobStatus.QUEUED.value, now_utc()
    else:
        old = set(db.session.scalars(select(Job).where(*_scope(user, case))))
        old |= set(db.session.scalars(select(Job).where(
            Job.kind == KIND, Job.finished_at < now_utc() - KEEP_FOR)))
        gone = _forget(list(old))
        job = Job(kind=KIND, user_id=user.id, case_id=case.id if case else None,
                  key=secrets.token_hex(32))
        db.session.add(job)
    db.session.commit()
    _remove(gone)
    enqueue(job)
    return job


def build(job_id: int) -> None:
    """The job's work (idempotent): write the archive to its file, then mark it done."""
    job = db.session.get(Job, job_id)
    if job is None or job.status == JobStatus.DONE:
        return
    job.status, job.attempts, job.touched_at = JobStatus.RUNNING.value, job.attempts + 1, now_utc()
    db.session.commit()
    target = path_of(job)
    part = target.with_name(f".{target.name}.part")
    try:
        user = db.session.get(User, job.user_id)
        if job.case_id is not None:
            if job.case is None or job.case.owner_id != job.user_id:
                raise LookupError("the case is no longer yours")
            cases = [job.case]
        else:
            cases = owned_cases(user)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            write_archive(out, user, cases, account=job.case_id is None)
        os.replace(part, target)
        name = (f"parley-case-{cases[0].public_id}" if job.case_id is not None
                else "parley-archive") + f"-{now_utc().date().isoformat()}.zip"
    except Exception as exc:  # noqa: BLE001 (recorded in the row: record_failure)
        part.unlink(missing_ok=True)
        record_failure(job_id, KIND, exc)
        return
    job.result_name = name
    job.status, job.finished_at = JobStatus.DONE.value, now_utc()
    try:
        db.session.commit()
    except Exception:  # noqa: BLE001 (the row went meanwhile: a newer archive, an erasure)
        db.session.rollback()
        target.unlink(missing_ok=True)
        log.warning("job %s (%s) was deleted while it ran", job_id, KIND)


def get_ready(user: User, public_id: str, case: Case | None = None) -> Job | None:
    """``user``'s finished, unexpired archive ``public_id`` (of ``case``, or of the
    account), or None (someone else's is None too)."""
    job = db.session.scalar(select(Job).where(*_scope(user, case),
                                              Job.public_id == public_id))
    if job is None or job.status != JobStatus.DONE or expired(job) \
            or not path_of(job).is_file():
        return None
    return job


def downloaded(job: Job, user: User) -> Path:
    """Record the download (an ``export`` in the log of each case in the archive
    that still exists and is still ``user``'s) and commit; the file to send."""
    path = path_of(job)
    ids = case_ids_in(path)
    for case in db.session.scalars(select(Case).where(Case.public_id.in_(ids),
                                                      Case.owner_id == user.id)):
        audit.add(case, user, AuditAction.EXPORT)
    db.session.commit()
    return path


def files_to_erase(user_id: int, case_id: int | None = None) -> list[Path]:
    """Before an erasure (not committed): delete the archive jobs that hold the
    case (its own, and its owner's whole-account ones) or, without ``case_id``,
    all of ``user_id``'s; the files to remove once the erasure is committed."""
    where = [Job.kind == KIND]
    if case_id is None:
        where.append(Job.user_id == user_id)
    else:
        where.append(or_(Job.case_id == case_id,
                         (Job.user_id == user_id) & Job.case_id.is_(None)))
    jobs = list(db.session.scalars(select(Job).where(*where)))
    paths = [path_of(j) for j in jobs]
    db.session.execute(delete(Job).where(Job.id.in_([j.id for j in jobs])))
    return paths


def remove_files(paths: list[Path]) -> None:
    """Remove archive files whose rows are already gone."""
    _remove(paths)
