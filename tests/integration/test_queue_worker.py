"""Issue 11: the queue for real. A ``parley worker`` subprocess on Redis
(database 5), the web app in the test enqueuing, aiosmtpd taking the mail; on
the test session's database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.integration.test_mail_safety import CREDITOR, card_url, make_world
from tests.integration.test_reminders import account, reminders
from tests.smtp_support import Inbox, free_port
from tests.worker_support import (
    FAST,
    REDIS_URL,
    delete_queue,
    kill,
    queue_name,
    redis_or_skip,
    start_worker,
    stop,
    wait_for,
    worker_env,
)
from webapp.extensions import db
from webapp.models import Job, Letter, Proposal, ReminderSent, SentMail
from webapp.models.types import now_utc


class KillingInbox(Inbox):
    """Takes the message, then (once armed) kill -9s the worker before answering
    250: the mail is delivered, and the worker never hears so."""

    victim = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        if self.victim is not None:
            victim, self.victim = self.victim, None
            kill(victim)
        return "250 OK"


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox = KillingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture
def queue():
    redis_or_skip()
    name = queue_name()
    yield name
    delete_queue(name)


@pytest.fixture
def web(make_app, smtp, queue):
    port, _inbox = smtp
    return make_app(JOBS_BACKEND="rq", REDIS_URL=REDIS_URL, JOBS_QUEUE=queue,
                    MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="letters@parley.example",
                    **{k: int(v) for k, v in FAST.items()})


@pytest.fixture
def worker(database_url, smtp, queue, tmp_path):
    """Start (and restart) workers; all are killed at the end."""
    port, _inbox = smtp
    env = worker_env(database_url, queue, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port),
                     MAIL_FROM="letters@parley.example")
    started = []

    def start():
        process = start_worker(env, tmp_path / "worker.log")
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process)


def _mail_states(app) -> list[str]:
    with app.app_context():
        db.session.remove()
        return list(db.session.scalars(select(SentMail.outcome).order_by(SentMail.id)))


def _to_creditor(inbox) -> int:
    return sum(1 for e in inbox.envelopes if CREDITOR in e.rcpt_tos)


def _letter_status(app, url: str) -> str:
    with app.app_context():
        db.session.remove()
        return db.session.scalar(select(Letter.status).where(
            Letter.public_id == url.rsplit("/", 1)[1]))


def test_the_request_queues_the_mail_and_the_worker_sends_it_once(web, smtp, worker):
    _port, inbox = smtp
    client = web.test_client()
    world = make_world(client, web)
    url = card_url(web, world)
    response = client.post(url + "/send")
    assert response.status_code == 302 and response.location.endswith("#send")
    assert _mail_states(web) == ["queued"] and _to_creditor(inbox) == 0
    page = client.get(url).get_data(as_text=True)
    assert "Sending by e-mail to collections@barclaycard.example" in page
    assert client.post(url + "/send").status_code == 409  # busy: not queued twice
    worker()
    wait_for(lambda: _mail_states(web) == ["sent"])
    assert _letter_status(web, url) == "sent" and _to_creditor(inbox) == 1
    with web.app_context():
        assert db.session.scalar(select(Job.status).where(Job.kind == "letter_mail")) == "done"
    assert "This letter is final" in client.get(url).get_data(as_text=True)


def test_a_worker_killed_after_the_mail_server_took_it_never_sends_it_again(
        web, smtp, worker):
    """The worst moment: the server has the message, the worker dies before the
    database hears of it. After restart the sweep finds the job (no heartbeat),
    and the re-run marks the mail uncertain instead of sending it a second time."""
    _port, inbox = smtp
    client = web.test_client()
    world = make_world(client, web)
    url = card_url(web, world)
    inbox.victim = worker()
    assert client.post(url + "/send").status_code == 302
    wait_for(lambda: inbox.victim is None and _to_creditor(inbox) == 1)
    assert _mail_states(web) == ["sending"]
    worker()  # restarted: its sweep re-runs the job once the heartbeat is 3 s old
    wait_for(lambda: _mail_states(web) == ["uncertain"], timeout=60)
    assert _to_creditor(inbox) == 1 and _letter_status(web, url) == "draft"
    page = client.get(url).get_data(as_text=True)
    assert "Parley may have e-mailed this letter already." in page
    assert "Send it again" in page
    # Sending again needs the user's word; then it goes (once more, on purpose).
    assert client.post(url + "/send").status_code == 409
    assert client.post(url + "/send", data={"again": "1"}).status_code == 302
    wait_for(lambda: _mail_states(web) == ["uncertain", "sent"])
    assert _to_creditor(inbox) == 2 and _letter_status(web, url) == "sent"


def test_the_periodic_sweep_requeues_jobs_lost_while_the_worker_runs(web, worker):
    """Not only at start: a job left running by a dead worker (no heartbeat) and
    one committed but never enqueued (a crash in between) appear after the
    worker started; its sweep finds both and they complete."""
    from webapp.services.bundles import letters_key

    client = web.test_client()
    make_world(client, web)
    worker()
    old = now_utc() - timedelta(minutes=5)
    with web.app_context():
        proposal = db.session.scalar(select(Proposal))
        db.session.add(Job(kind="letters_zip", case=proposal.case, proposal=proposal,
                           key=letters_key(proposal), status="running", attempts=1,
                           touched_at=old, started_at=old, heartbeat_at=old))
        db.session.add(Job(kind="evidence_pdf", case=proposal.case, key="x" * 64,
                           status="queued", touched_at=old,
                           payload=b"<html><body><p>Evidence</p></body></html>"))
        db.session.commit()

    def jobs():
        with web.app_context():
            db.session.remove()
            return [(j.kind, j.status, j.attempts)
                    for j in db.session.scalars(select(Job).order_by(Job.id))]

    wait_for(lambda: all(status == "done" for _k, status, _a in jobs()), timeout=90)
    assert jobs() == [("letters_zip", "done", 2), ("evidence_pdf", "done", 1)]


def test_the_evidence_pdf_is_printed_by_the_worker(web, worker):
    client = web.test_client()
    world = make_world(client, web)
    url = world["case"] + "/contacts/evidence.pdf"
    response = client.get(url)
    assert response.status_code == 202
    assert "Preparing your PDF" in response.get_data(as_text=True)
    assert client.get(url).status_code == 202  # asking again: the same job
    worker()
    response = wait_for(lambda: (r := client.get(url)).status_code == 200 and r)
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    with web.app_context():
        assert [j.status for j in db.session.scalars(select(Job))] == ["done"]


def test_the_worker_mails_due_reminders_on_its_sweep_once(web, smtp, worker):
    _port, inbox = smtp
    account(web, "sam@example.com")
    worker()
    wait_for(lambda: len(reminders(inbox)) == 1)
    with web.app_context():
        assert len(db.session.scalars(select(ReminderSent)).all()) >= 1
    import time

    time.sleep(5)  # two more reminder rounds: nothing is mailed again
    assert len(reminders(inbox)) == 1
