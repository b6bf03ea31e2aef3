"""``parley worker``: run the background jobs queued on Redis (RQ), and sweep.

Besides RQ's own loop (one forked child per job), the worker runs a light
sweeper, :func:`webapp.jobs.sweep_loop`: every ``JOBS_SWEEP_EVERY`` seconds
(60) it queues again the jobs whose worker died, and every ``REMIND_EVERY``
seconds (3600) it mails the reminders due. Not rq's scheduler
(``--with-scheduler`` plus a self-rescheduling job): a scheduled job is itself
state in Redis that a crash or a flushed Redis loses, and the sweep exists for
exactly that case. Several workers sweeping at once are harmless (a job is
taken with a conditional UPDATE; a reminder's row is unique).

The sweeper is a process of its own, forked before RQ starts, not a thread
of the worker: RQ forks a child for every job, and a fork taken while a
thread holds a lock (a connection pool's, a logger's) leaves that lock held
in the child for ever, so the job waits until RQ's time limit. The crash test
met exactly that, a worker that took no job for a minute, under load with
the tests' one-second sweep. The sweeper stops with the worker, or on its
own when the worker is gone (killed: it is then no longer its parent).
"""

from __future__ import annotations

import multiprocessing
import os

import click


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run queued jobs (ZIPs, e-mails, PDFs) from REDIS_URL until stopped."""
    from rq import Worker

    from .. import create_app
    from ..extensions import db
    from ..jobs import backend, queue, sweep, sweep_loop

    app = create_app()
    if backend(app.config) != "rq":
        click.echo("parley worker needs REDIS_URL (jobs run in the web process without it)",
                   err=True)
        raise SystemExit(2)
    # Import WeasyPrint and let fontconfig load once, here: RQ forks a child per
    # job, and each child would otherwise spend a second or more on both.
    from ..letters.render import render_pdf

    render_pdf("<p>Parley</p>")
    requeued = sweep(app)
    with app.app_context():
        engine = db.engine
        engine.dispose()  # each job runs in a forked child: no shared connections
    # The sweep thread keeps connections in the parent's pool; a forked child must
    # not use them (SQLAlchemy's advice: drop them in the child, unclosed).
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    import webapp.jobs as jobs

    jobs._app = app  # the children reuse this app (their own connections)
    q = queue(app.config)
    fork = multiprocessing.get_context("fork")
    stop, sweeper = fork.Event(), None
    if not burst:
        parent = os.getpid()
        sweeper = fork.Process(target=sweep_loop, name="parley-sweep", daemon=True,
                               args=(app, stop, lambda: os.getppid() == parent))
        sweeper.start()
    click.echo(f"parley worker on queue {q.name!r} ({requeued} lost job(s) queued again; "
               f"sweeping every {app.config.get('JOBS_SWEEP_EVERY') or jobs.SWEEP_EVERY} s)")
    try:
        Worker([q], connection=q.connection).work(burst=burst)
    finally:
        stop.set()
        if sweeper is not None:
            sweeper.join(5)
