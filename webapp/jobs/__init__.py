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

A job left ``queued`` or ``running`` by a killed worker is queued again by
:func:`sweep` (``parley worker`` runs it at start) or when its page is opened.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask, current_app, has_app_context

from ..models import Job

#: Job kind → the dotted path of the function RQ calls with the job's id.
RUNNERS = {"letters_zip": "webapp.jobs.letters_zip.run", "archive": "webapp.jobs.archive.run"}
#: RQ's time limit for one job (seconds): 100 long letters fit well inside.
JOB_TIMEOUT = 600
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
            queue(config).enqueue(RUNNERS[kind], job_id, job_timeout=JOB_TIMEOUT,
                                  result_ttl=0, failure_ttl=24 * 3600)
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


def sweep(app: Flask) -> int:
    """Queue again every job a killed worker left behind; how many."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import JobStatus
    from ..services.bundles import is_stale

    with app.app_context():
        lost = [j for j in db.session.scalars(select(Job).where(
            Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value])))
            if is_stale(j)]
        for job in lost:
            job.status = JobStatus.QUEUED.value
        db.session.commit()
        for job in lost:
            enqueue(job)
        return len(lost)
