"""``parley worker``: run the background jobs queued on Redis (RQ)."""

from __future__ import annotations

import click


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run queued jobs (the letters' ZIPs...) from REDIS_URL until stopped."""
    from rq import Worker

    from .. import create_app
    from ..extensions import db
    from ..jobs import backend, queue, sweep

    app = create_app()
    if backend(app.config) != "rq":
        click.echo("parley worker needs REDIS_URL (jobs run in the web process without it)",
                   err=True)
        raise SystemExit(2)
    requeued = sweep(app)
    with app.app_context():
        db.engine.dispose()  # each job runs in a forked child: no shared connections
    import webapp.jobs as jobs

    jobs._app = app  # the children reuse this app (their own connections)
    q = queue(app.config)
    click.echo(f"parley worker on queue {q.name!r} ({requeued} lost job(s) queued again)")
    Worker([q], connection=q.connection).work(burst=burst)
