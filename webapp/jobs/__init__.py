"""Background work: one module per job, each idempotent, the truth in the database.

A job is a :class:`~webapp.models.Job` row; the queue only carries its id.
Where it runs depends on ``JOBS_BACKEND`` (default: ``rq`` when ``REDIS_URL``
is set, else ``thread``):

``rq``
    RQ on Redis; ``parley worker`` runs the jobs (several machines can share
    one Redis). If Redis cannot be reached the job runs in a thread instead.
``thread``
    A thread of the web process: nothing else to start, and the request still
    returns at once (the embedded default, ``parley serve`` without Redis).
``inline``
    At once, in the caller (the tests, and the CLI).

A worker takes a job with :func:`claim` (a conditional UPDATE: a job queued
twice runs once at a time) and stamps its ``heartbeat_at`` every
``JOBS_HEARTBEAT`` seconds while it runs (:func:`heartbeat`). :func:`sweep`,
which ``parley worker`` runs at start and then every ``JOBS_SWEEP_EVERY``
seconds (:func:`sweep_loop`), queues again every job that is due and not done
and has no live worker: ``running`` with a heartbeat older than
``JOBS_DEAD_AFTER``, or ``queued`` but no longer waiting in Redis (a crash
between the commit and the enqueue, or a Redis flushed). The same loop mails
the reminders that are due (:func:`webapp.services.reminders.remind`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import Flask, current_app, has_app_context

from ..models import Job, JobStatus
from ..models.types import now_utc

#: Job kind → the dotted path of the function RQ calls with the job's id.
RUNNERS = {"letters_zip": "webapp.jobs.letters_zip.run",
           "archive": "webapp.jobs.archive.run",
           "letter_mail": "webapp.jobs.letter_mail.run",
           "evidence_pdf": "webapp.jobs.evidence_pdf.run"}
#: RQ's time limit for one job (seconds): 100 long letters fit well inside.
JOB_TIMEOUT = 600
#: Defaults (seconds) of JOBS_HEARTBEAT, JOBS_DEAD_AFTER, JOBS_SWEEP_EVERY, REMIND_EVERY.
HEARTBEAT, DEAD_AFTER, SWEEP_EVERY, REMIND_EVERY = 10, 60, 60, 3600
#: A job whose worker died this many times is given up (``failed``), not re-run.
MAX_ATTEMPTS = 5
#: A queued job younger than this is not looked for in Redis yet: the request
#: that made it may not have enqueued it yet.
QUEUED_GRACE = timedelta(seconds=30)
log = logging.getLogger(__name__)
_app: Flask | None = None


def backend(config) -> str:
    return config.get("JOBS_BACKEND") or ("rq" if config.get("REDIS_URL") else "thread")


def queue(config):
    """The RQ queue the web app and ``parley worker`` share."""
    from redis import Redis
    from rq import Queue

    return Queue(config.get("JOBS_QUEUE", "parley"),
                 connection=Redis.from_url(config["REDIS_URL"]))


def enqueue(job: Job) -> None:
    """Hand a committed job to the configured backend."""
    config = current_app.config
    kind, job_id = job.kind, job.id
    how = backend(config)
    if how == "rq":
        from redis.exceptions import RedisError

        try:
            # The RQ id is the row's: the sweep asks Redis whether it still waits.
            queue(config).enqueue(RUNNERS[kind], job_id, job_id=rq_id(job),
                                  job_timeout=JOB_TIMEOUT, result_ttl=0,
                                  failure_ttl=24 * 3600)
            return
        except RedisError as exc:
            log.warning("Redis unavailable (%s): job %s runs in a thread",
                        type(exc).__name__, job.public_id)
            how = "thread"
    runner = _runner(kind)
    if how == "inline":
        runner(job_id)
    else:
        app = current_app._get_current_object()
        threading.Thread(target=_in_app, args=(app, runner, job_id), daemon=True,
                         name=f"job-{job.public_id}").start()


def _runner(kind: str) -> Callable[[int], None]:
    from importlib import import_module

    module, _, name = RUNNERS[kind].rpartition(".")
    return getattr(import_module(module), name)


def _in_app(app: Flask, runner: Callable[[int], None], job_id: int) -> None:
    with app.app_context():
        runner(job_id)


def in_app_context(work: Callable[[], None]) -> None:
    """Run ``work`` in the current app context, or in one of an app made for the
    worker process (RQ calls job functions with no Flask around them)."""
    global _app
    if has_app_context():
        work()
        return
    if _app is None:
        from .. import create_app

        _app = create_app()
    with _app.app_context():
        work()


def rq_id(job: Job) -> str:
    return f"parley-{job.public_id}"


def _seconds(name: str, default: int) -> float:  # float ok (seconds)
    return float(current_app.config.get(name) or default)  # float ok (seconds)


def dead_after() -> timedelta:
    return timedelta(seconds=_seconds("JOBS_DEAD_AFTER", DEAD_AFTER))


def claim(job_id: int) -> bool:
    """Take the job for this worker: committed, and only if it is queued, or
    running with a dead worker (no heartbeat for ``JOBS_DEAD_AFTER``). False:
    another worker has it, or it is finished; the caller does nothing."""
    from sqlalchemy import and_, or_, update

    from ..extensions import db

    now = now_utc()
    dead = now - dead_after()
    taken = db.session.execute(
        update(Job).where(Job.id == job_id, or_(
            Job.status == JobStatus.QUEUED.value,
            and_(Job.status == JobStatus.RUNNING.value,
                 or_(Job.heartbeat_at < dead,
                     and_(Job.heartbeat_at.is_(None), Job.touched_at < dead)))))
        .values(status=JobStatus.RUNNING.value, attempts=Job.attempts + 1, started_at=now,
                heartbeat_at=now, touched_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return taken == 1


@contextmanager
def heartbeat(job_id: int) -> Iterator[None]:
    """Stamp the job's ``heartbeat_at`` every ``JOBS_HEARTBEAT`` seconds until the
    block ends, on a connection of its own (the job's session may be busy)."""
    from sqlalchemy import update

    from ..extensions import db

    engine, every = db.engine, _seconds("JOBS_HEARTBEAT", HEARTBEAT)
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                with engine.begin() as conn:
                    conn.execute(update(Job).where(
                        Job.id == job_id, Job.status == JobStatus.RUNNING.value)
                        .values(heartbeat_at=now_utc()))
            except Exception as exc:  # noqa: BLE001 (a missed beat: the next one may work)
                log.warning("heartbeat of job %s failed: %s", job_id, type(exc).__name__)

    thread = threading.Thread(target=beat, daemon=True, name=f"heartbeat-{job_id}")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(every + 5)


def is_lost(job: Job, waiting: Callable[[Job], bool] | None = None) -> bool:
    """Due, not done, and no worker on it (see the module)."""
    now = now_utc()
    if job.status == JobStatus.RUNNING:
        return (job.heartbeat_at or job.touched_at) < now - dead_after()
    if job.status != JobStatus.QUEUED or now - job.touched_at < QUEUED_GRACE:
        return False
    if waiting is None:  # no queue to ask: the old rule, queued for too long
        from ..services.bundles import STALE_AFTER

        return now - job.touched_at > STALE_AFTER
    return not waiting(job)


def _in_redis(config) -> Callable[[Job], bool]:
    """Whether RQ still holds the job, waiting to be started.

    Asked only of a job still ``queued`` in the database past ``QUEUED_GRACE``.
    A worker claims its job (``queued`` → ``running``) the moment it starts it,
    so an RQ job "started" whose row is still queued that long was started by a
    worker killed before the claim: RQ keeps calling it started until its own
    clean-up, minutes later. That is lost, not waiting (the crash test found
    one such PDF job left undone)."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as RQJob

    connection = queue(config).connection

    def waiting(job: Job) -> bool:
        try:
            status = RQJob.fetch(rq_id(job), connection=connection).get_status()
        except NoSuchJobError:
            return False
        return str(getattr(status, "value", status)) in ("queued", "deferred", "scheduled")
    return waiting


def sweep(app: Flask) -> int:
    """Queue again every job that is due and not done and has no live worker;
    how many. Safe to run anywhere at any time: :func:`claim` makes a job queued
    twice run once."""
    from sqlalchemy import select

    from ..extensions import db

    with app.app_context():
        waiting = _in_redis(app.config) if backend(app.config) == "rq" else None
        lost = [j for j in db.session.scalars(select(Job).where(
            Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value])))
            if is_lost(j, waiting)]
        for job in [j for j in lost if j.attempts >= MAX_ATTEMPTS]:
            _abandon(job)  # its worker died every time: a crash loop, not bad luck
        lost = [j for j in lost if j.attempts < MAX_ATTEMPTS]
        for job in lost:
            # queued (and young) again: the next sweep finds it waiting in Redis
            job.status, job.touched_at = JobStatus.QUEUED.value, now_utc()
            log.info("job %s (%s) lost by its worker: queued again", job.public_id, job.kind)
        db.session.commit()
        for job in lost:
            enqueue(job)
        return len(lost)


def _abandon(job: Job) -> None:
    """Give up a job whose worker died ``MAX_ATTEMPTS`` times (not committed)."""
    job.status, job.finished_at = JobStatus.FAILED.value, now_utc()
    job.error = f"gave up after {job.attempts} attempts (the worker stopped each time)"
    log.warning("job %s (%s): %s", job.public_id, job.kind, job.error)
    if job.kind == "letter_mail":
        from ..services.mail_queue import abandon

        abandon(job)


def remind_due(app: Flask) -> int:
    """Mail the reminders that are due (as ``parley remind`` does); items mailed."""
    from ..services import mailer
    from ..services.reminders import remind

    if not mailer.is_configured(app.config):
        return 0
    with app.app_context():
        return remind(app.config).reminders


def sweep_loop(app: Flask, stop, alive: Callable[[], bool] = lambda: True) -> None:
    """``parley worker``'s periodic work until ``stop`` is set (a threading or a
    multiprocessing ``Event``) or ``alive()`` says no: :func:`sweep` every
    ``JOBS_SWEEP_EVERY`` seconds, the due reminders every ``REMIND_EVERY``."""
    every = float(app.config.get("JOBS_SWEEP_EVERY") or SWEEP_EVERY)  # float ok (seconds)
    remind_every = float(app.config.get("REMIND_EVERY") or REMIND_EVERY)  # float ok
    next_remind = 0.0  # float ok (a monotonic clock)
    import time

    while not stop.wait(every) and alive():
        try:
            found = sweep(app)
            if found:
                log.warning("sweep: %d lost job(s) queued again", found)
            if time.monotonic() >= next_remind:
                next_remind = time.monotonic() + remind_every
                sent = remind_due(app)
                if sent:
                    log.info("sweep: %d reminder(s) mailed", sent)
        except Exception as exc:  # noqa: BLE001 (the loop must outlive a database blip)
            log.warning("sweep failed: %s", type(exc).__name__)
