"""Issue 7, item 1: the letters' ZIP is made off the request path, by a job.

The job's truth is its row (webapp/models/job.py); the queue is RQ on a real
Redis (database 5 by default, TEST_REDIS_URL), a thread, or inline (the other tests).
"""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_case, make_debt, make_item
from tests.worker_support import REDIS_URL
from webapp.extensions import db
from webapp.models import Job, Letter, Proposal
from webapp.models.types import local_date, now_utc


def _world(app, client, auth) -> str:
    auth.register()
    case_url = make_case(client, borrower_name="Sam Example",
                         borrower_address="1 High Street, Leeds LS1 1AA")
    make_item(client, case_url, "income", amount="2000", frequency="monthly")
    # a contractual payment beyond the budget: pro rata applies (issue 13.1)
    make_debt(client, case_url, creditor="Barclaycard", balance="3000", contractual_payment="2000",
              account_ref="4929-1111")
    make_debt(client, case_url, creditor="Vanquis", balance="1200", contractual_payment="40",
              account_ref="VQ-2222")
    assert client.post(f"{case_url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        letters = f"{case_url}/proposals/{proposal.public_id}/letters"
    assert client.post(letters, data={"letter_type": "proposal", "language": "en"}
                       ).status_code == 302
    return letters


def _jobs(app) -> list[tuple[str, int]]:
    with app.app_context():
        return [(j.status, j.attempts) for j in db.session.scalars(select(Job).order_by(Job.id))]


def _names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return sorted(zipfile.ZipFile(io.BytesIO(response.data)).namelist())


@pytest.fixture
def letters(app, client, auth):
    return _world(app, client, auth)


def test_asking_twice_makes_one_job_and_one_zip(app, client, letters):
    assert client.post(letters + ".zip").status_code == 302
    assert client.post(letters + ".zip").status_code == 302
    assert _jobs(app) == [("done", 1)]
    day = local_date(now_utc(), "GB").isoformat()
    assert _names(client.get(letters + ".zip")) == [
        f"Barclaycard-{day}.pdf", f"Budget-statement-{day}.pdf", f"Vanquis-{day}.pdf"]


def test_a_changed_letter_needs_a_new_zip_and_the_old_one_goes(app, client, letters):
    client.post(letters + ".zip")
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.debt_ref == "vanquis"))
        edit = f"{letters.split('/proposals/')[0]}/letters/{letter.public_id}/edit"
    assert client.post(edit, data={"body_text": "A new offer."}).status_code == 302
    page = client.get(letters).get_data(as_text=True)
    assert "Prepare a ZIP of all letters (PDF)" in page and "Download all" not in page
    response = client.get(letters + ".zip")  # the old ZIP is not served for new letters
    assert response.status_code == 302 and response.location.endswith("#zip")
    client.post(letters + ".zip")
    archive = zipfile.ZipFile(io.BytesIO(client.get(letters + ".zip").data))
    vanquis = next(n for n in archive.namelist() if n.startswith("Vanquis-"))
    assert archive.read(vanquis).startswith(b"%PDF")
    assert _jobs(app) == [("done", 1)]


def test_running_a_finished_job_again_changes_nothing(app, client, letters):
    from webapp.jobs.letters_zip import run

    client.post(letters + ".zip")
    with app.app_context():
        job = db.session.scalar(select(Job))
        before = (job.result, job.finished_at)
        run(job.id)
        db.session.refresh(job)
        assert (job.result, job.finished_at, job.attempts) == (*before, 1)


def test_a_failed_job_says_so_without_personal_data_and_can_be_retried(
        app, client, letters, monkeypatch):
    import webapp.services.bundles as bundles

    def broken(proposal):
        raise RuntimeError("Sam Example, 1 High Street")

    monkeypatch.setattr(bundles, "bundle_zip", broken)
    client.post(letters + ".zip")
    with app.app_context():
        assert db.session.scalar(select(Job.error)) == "RuntimeError"
    assert "The ZIP could not be prepared." in client.get(letters).get_data(as_text=True)
    monkeypatch.undo()
    client.post(letters + ".zip")
    assert _jobs(app) == [("done", 2)]


def test_a_job_lost_by_a_killed_worker_is_queued_again(app, client, letters):
    from webapp.jobs import sweep

    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        from webapp.services.bundles import letters_key

        db.session.add(Job(kind="letters_zip", case=proposal.case, proposal=proposal,
                           key=letters_key(proposal), status="running", attempts=1,
                           touched_at=now_utc() - timedelta(hours=1)))
        db.session.commit()
    assert "taking too long" in client.get(letters).get_data(as_text=True)
    assert sweep(app) == 1
    assert _jobs(app) == [("done", 2)]


# --- the real backends ------------------------------------------------------------------


@pytest.fixture
def redis_queue():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    name = f"parley-test-{uuid.uuid4().hex[:8]}"
    yield name
    from rq import Queue

    Queue(name, connection=connection).delete(delete_jobs=True)


def test_on_rq_the_request_only_queues_and_a_worker_makes_the_zip(
        make_app, auth, redis_queue, monkeypatch):
    from rq import SimpleWorker

    import webapp.services.letter_delivery as delivery
    from webapp.jobs import queue

    app = make_app(JOBS_BACKEND="rq", REDIS_URL=REDIS_URL, JOBS_QUEUE=redis_queue)
    client = app.test_client()
    from tests.conftest import AuthActions

    letters = _world(app, client, AuthActions(client))
    printed = []
    mimetype, real = delivery.FILE_FORMATS["pdf"]
    monkeypatch.setitem(delivery.FILE_FORMATS, "pdf",
                        (mimetype, lambda html: printed.append(1) or real(html)))
    assert client.post(letters + ".zip").status_code == 302
    assert printed == [] and _jobs(app) == [("queued", 0)]  # no PDF work in the request
    page = client.get(letters).get_data(as_text=True)
    assert "Preparing your ZIP of PDFs." in page and "Check again" in page
    with app.app_context():
        q = queue(app.config)
        assert q.count == 1
        SimpleWorker([q], connection=q.connection).work(burst=True)
    assert len(printed) == 3 and _jobs(app) == [("done", 1)]
    assert "Download all (ZIP of PDFs)" in client.get(letters).get_data(as_text=True)
    assert len(_names(client.get(letters + ".zip"))) == 3


def test_a_job_rq_calls_started_but_no_worker_claimed_is_queued_again(
        make_app, auth, redis_queue):
    """A worker killed between RQ starting the job and the job's claim leaves RQ
    saying "started" and the row "queued": the sweep must not wait for it."""
    from rq import SimpleWorker
    from rq.job import Job as RQJob

    from webapp.jobs import queue, rq_id, sweep

    app = make_app(JOBS_BACKEND="rq", REDIS_URL=REDIS_URL, JOBS_QUEUE=redis_queue)
    client = app.test_client()
    from tests.conftest import AuthActions

    letters = _world(app, client, AuthActions(client))
    assert client.post(letters + ".zip").status_code == 302
    with app.app_context():
        job = db.session.scalar(select(Job))
        q = queue(app.config)
        rq_job = RQJob.fetch(rq_id(job), connection=q.connection)
        q.remove(rq_job)  # taken off the queue by a worker...
        rq_job.set_status("started")  # ...which died before the claim
        job.touched_at = now_utc() - timedelta(minutes=1)
        db.session.commit()
    assert _jobs(app) == [("queued", 0)]
    assert sweep(app) == 1
    with app.app_context():
        q = queue(app.config)
        SimpleWorker([q], connection=q.connection).work(burst=True)
    assert _jobs(app) == [("done", 1)]


def test_without_redis_a_thread_makes_the_zip_after_the_request(make_app):
    app = make_app(JOBS_BACKEND="thread")
    client = app.test_client()
    from tests.conftest import AuthActions

    letters = _world(app, client, AuthActions(client))
    assert client.post(letters + ".zip").status_code == 302
    deadline = time.monotonic() + 60
    while _jobs(app)[0][0] != "done" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _jobs(app) == [("done", 1)]
    assert len(_names(client.get(letters + ".zip"))) == 3
    with app.app_context():
        assert db.session.scalar(select(func.count(Job.id))) == 1


def test_parley_worker_needs_redis(monkeypatch):
    from click.testing import CliRunner

    from webapp.commands.worker import worker_command

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("JOBS_BACKEND", raising=False)
    result = CliRunner().invoke(worker_command, ["--burst"])
    assert result.exit_code == 2
    assert "needs REDIS_URL" in result.output
