"""The outbox's state machine, in-process (the real worker: test_queue_worker.py).

queued -> sending -> sent | failed; a re-run of a ``sending`` row whose worker
died becomes ``uncertain`` and sends nothing; a ``queued`` one is sent, once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.integration.test_mail_safety import CREDITOR, card_url, make_world
from tests.smtp_support import smtp_server
from webapp.extensions import db
from webapp.models import Job, Letter, MailState, SentMail
from webapp.models.mail import MAIL_TRANSITIONS
from webapp.models.types import now_utc


def test_sent_failed_and_uncertain_are_final_and_only_sending_can_be_uncertain():
    final = {s for s, nexts in MAIL_TRANSITIONS.items() if not nexts}
    assert final == {MailState.SENT, MailState.FAILED, MailState.UNCERTAIN}
    assert [s for s, nexts in MAIL_TRANSITIONS.items() if MailState.UNCERTAIN in nexts] == [
        MailState.SENDING]
    assert MailState.SENT not in MAIL_TRANSITIONS[MailState.QUEUED]  # never without 'sending'


@pytest.fixture
def smtp():
    with smtp_server() as server:
        yield server


@pytest.fixture
def mail_app(make_app, smtp):
    port, _inbox = smtp
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="letters@parley.example")


def _interrupted(app, url: str, state: MailState) -> None:
    """As a worker killed mid-job leaves it: the row ``state``, the job running
    with a heartbeat long stopped."""
    old = now_utc() - timedelta(minutes=5)
    with app.app_context():
        db.session.execute(update(SentMail).values(outcome=state.value, sending_at=old))
        db.session.execute(update(Job).values(status="running", heartbeat_at=old,
                                              touched_at=old, finished_at=None))
        db.session.execute(update(Letter).where(Letter.public_id == url.rsplit("/", 1)[1])
                           .values(status="draft", sending_since=old, sent_at=None,
                                   sha256=None, channel=None, sent_to=""))
        db.session.commit()


def _states(app) -> list[str]:
    with app.app_context():
        db.session.remove()
        return list(db.session.scalars(select(SentMail.outcome)))


def _creditor_mails(inbox) -> int:
    return sum(1 for e in inbox.envelopes if CREDITOR in e.rcpt_tos)


def _world(app, inbox):
    client = app.test_client()
    world = make_world(client, app)
    url = card_url(app, world)
    with app.app_context():  # a queued e-mail and its job, as the request leaves them
        letter = db.session.scalar(select(Letter).where(Letter.public_id == url.rsplit("/")[-1]))
        user_id = letter.case.owner_id
        mail = SentMail(user_id=user_id, case_id=letter.case_id, letter_id=letter.id,
                        recipient=CREDITOR, cc="u@example.com", outcome="queued")
        db.session.add(mail)
        db.session.flush()
        db.session.add(Job(kind="letter_mail", case_id=letter.case_id, key=f"mail:{mail.id}"))
        db.session.commit()
    inbox.envelopes.clear()
    return client, url


def test_a_sending_row_whose_worker_died_is_marked_uncertain_not_sent_again(mail_app, smtp):
    from webapp.jobs import sweep

    client, url = _world(mail_app, smtp[1])
    _interrupted(mail_app, url, MailState.SENDING)
    assert sweep(mail_app) == 1
    assert _states(mail_app) == ["uncertain"] and _creditor_mails(smtp[1]) == 0
    page = client.get(url).get_data(as_text=True)
    assert "Parley may have e-mailed this letter already." in page
    with mail_app.app_context():
        assert db.session.scalar(select(Letter.sending_since).where(
            Letter.public_id == url.rsplit("/", 1)[1])) is None  # free: mark it sent, or resend
    assert sweep(mail_app) == 0  # settled: nothing more to do, ever


def test_a_queued_row_whose_worker_died_before_sending_is_sent_once(mail_app, smtp):
    from webapp.jobs import sweep

    client, url = _world(mail_app, smtp[1])
    _interrupted(mail_app, url, MailState.QUEUED)
    assert sweep(mail_app) == 1
    assert _states(mail_app) == ["sent"] and _creditor_mails(smtp[1]) == 1
    assert sweep(mail_app) == 0
    assert _creditor_mails(smtp[1]) == 1
    assert "This letter is final" in client.get(url).get_data(as_text=True)


def test_opening_the_page_settles_a_dead_send_when_no_worker_sweeps(mail_app, smtp):
    """Without Redis (a thread in the web process) no sweep runs: the letter
    page settles the e-mail its dead thread left ``sending``."""
    client, url = _world(mail_app, smtp[1])
    _interrupted(mail_app, url, MailState.SENDING)
    assert "Parley may have e-mailed this letter already." in client.get(url).get_data(
        as_text=True)
    assert _states(mail_app) == ["uncertain"] and _creditor_mails(smtp[1]) == 0


def test_a_job_whose_worker_dies_every_time_is_given_up_not_run_forever(mail_app, smtp):
    from webapp.jobs import MAX_ATTEMPTS, sweep

    _client, url = _world(mail_app, smtp[1])
    _interrupted(mail_app, url, MailState.QUEUED)
    with mail_app.app_context():
        db.session.execute(update(Job).values(attempts=MAX_ATTEMPTS))
        db.session.commit()
    assert sweep(mail_app) == 0
    with mail_app.app_context():
        job = db.session.scalar(select(Job))
        assert (job.status, job.error) == (
            "failed", f"gave up after {MAX_ATTEMPTS} attempts (the worker stopped each time)")
        assert db.session.scalar(select(Letter.sending_since).where(
            Letter.public_id == url.rsplit("/", 1)[1])) is None
    assert _states(mail_app) == ["failed"] and _creditor_mails(smtp[1]) == 0


def test_without_redis_a_thread_of_the_web_process_sends_it(make_app, smtp):
    """The quick start's `parley serve` alone: no Redis, no worker to start."""
    from tests.worker_support import wait_for

    port, inbox = smtp
    app = make_app(JOBS_BACKEND="thread", MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                   MAIL_FROM="letters@parley.example")
    client = app.test_client()
    url = card_url(app, make_world(client, app))
    inbox.envelopes.clear()
    assert client.post(url + "/send").status_code == 302
    wait_for(lambda: _states(app) == ["sent"], timeout=60)
    assert _creditor_mails(inbox) == 1
    assert "This letter is final" in client.get(url).get_data(as_text=True)
