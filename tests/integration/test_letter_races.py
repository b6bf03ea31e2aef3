"""Letters under concurrent requests: a sent letter never changes, a letter is
e-mailed once, and a proposal has one set of drafts however often it is written.

Each test races real requests many times (threads released by a barrier, each
with its own client and database session) on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io
import socket
import threading

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.concurrency import race, second_client
from tests.factories import make_case, make_debt, make_item, verify_account
from tests.sql_support import statements_sent
from webapp.extensions import db
from webapp.letters import letter_text_digest
from webapp.models import Letter, Proposal
from webapp.models.types import now_utc

ROUNDS = 20
FROZEN = "cannot be changed"
#: what the loser of a race is told (beside the 409)
CHANGED = "changed while you were"


def _setup(app, client, creditor_email=""):
    """A case with two creditors and a saved proposal; the proposal's letters URL."""
    client.post("/auth/register", data={"email": "borrower@example.com",
                                        "password": "correct horse battery",
                                        "confirm": "correct horse battery", "role": "borrower"})
    # registering never logs in (it must not tell who has an account)
    client.post("/auth/login", data={"email": "borrower@example.com",
                                     "password": "correct horse battery"})
    if creditor_email:  # Parley e-mails letters only for a verified account (issue 7.5)
        verify_account(client, app, "borrower@example.com")
    case_url = make_case(client, borrower_name="Sam Example", borrower_email="sam@example.com",
                         borrower_address="1 High Street, Leeds")
    make_item(client, case_url, "income", label="Wages", amount="2000", frequency="monthly")
    # a contractual payment beyond the budget: pro rata applies (issue 13.1)
    make_debt(client, case_url, creditor="Barclaycard", balance="3000", contractual_payment="2000",
              creditor_email=creditor_email, account_ref="4929-1111")
    make_debt(client, case_url, creditor="Vanquis", balance="1200", contractual_payment="40",
              account_ref="VQ-2222")
    assert client.post(f"{case_url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        return case_url, f"{case_url}/proposals/{proposal.public_id}/letters", proposal.id


def _generate(client, letters_url):
    response = client.post(letters_url, data={"letter_type": "proposal", "language": "en"})
    assert response.status_code == 302, response.get_data(as_text=True)


def _draft_to(app, proposal_id: int, debt_ref: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Letter.public_id).where(
            Letter.proposal_id == proposal_id, Letter.debt_ref == debt_ref,
            Letter.status == "draft"))


def _letter(app, public_id: str) -> Letter | None:
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.public_id == public_id))
        db.session.expunge_all()
        return letter


def _assert_sent_letters_verify(app) -> None:
    with app.app_context():
        for letter in db.session.scalars(select(Letter).where(Letter.status == "sent")):
            assert letter.sha256 == letter_text_digest(letter.html), letter.public_id


def test_mark_sent_and_edit_at_once_never_leave_a_sent_letter_that_does_not_verify(
        app, client):
    case_url, letters_url, proposal_id = _setup(app, client)
    other = second_client(app)
    outcomes = []
    for n in range(ROUNDS):
        _generate(client, letters_url)
        url = f"{case_url}/letters/{_draft_to(app, proposal_id, 'barclaycard')}"
        text = f"Round {n}: I can pay what the proposal says, from next month."
        edit, mark = race(
            lambda url=url, text=text: client.post(url + "/edit", data={"body_text": text}),
            lambda url=url: other.post(url + "/mark-sent", data={
                "sent_on": now_utc().date().isoformat(), "channel": "post"}))
        outcomes.append((edit.status_code, mark.status_code))
        assert {edit.status_code, mark.status_code} <= {302, 409}, outcomes
        assert mark.status_code == 302 or edit.status_code == 302, "one of them must win"
        letter = _letter(app, url.rsplit("/", 1)[1])
        assert letter.status == ("sent" if mark.status_code == 302 else "draft")
        if letter.status == "sent":
            assert letter.sha256 == letter_text_digest(letter.html), (n, outcomes)
        if edit.status_code == 302 and mark.status_code == 302:
            # both won: then the edit came first and the letter went out edited
            assert text.split(":")[0] in letter.html
        for loser in (r for r in (edit, mark) if r.status_code == 409):
            page = loser.get_data(as_text=True)
            assert FROZEN in page or CHANGED in page, page
    _assert_sent_letters_verify(app)


def test_two_mark_sent_at_once_freeze_the_letter_once(app, client):
    case_url, letters_url, proposal_id = _setup(app, client)
    other = second_client(app)
    for _ in range(ROUNDS // 2):
        _generate(client, letters_url)
        url = f"{case_url}/letters/{_draft_to(app, proposal_id, 'barclaycard')}/mark-sent"
        data = {"sent_on": now_utc().date().isoformat(), "channel": "post"}
        first, second = race(
            lambda url=url, data=data: client.post(url, data=data),
            lambda url=url, data=data: other.post(url, data={**data, "channel": "app"}))
        assert sorted([first.status_code, second.status_code]) == [302, 409]
    _assert_sent_letters_verify(app)


def test_writing_the_letters_twice_at_once_leaves_one_set_of_drafts(app, client):
    _case_url, letters_url, proposal_id = _setup(app, client)
    other = second_client(app)
    for _ in range(ROUNDS):
        a, b = race(lambda: client.post(letters_url, data={"letter_type": "proposal",
                                                           "language": "en"}),
                    lambda: other.post(letters_url, data={"letter_type": "hold",
                                                          "language": "en"}))
        assert {a.status_code, b.status_code} <= {302, 409}
        assert 302 in {a.status_code, b.status_code}
        with app.app_context():
            drafts = db.session.scalars(select(Letter).where(
                Letter.proposal_id == proposal_id, Letter.status == "draft")).all()
            refs = sorted(x.debt_ref or "" for x in drafts)
            # one letter per creditor (and the statement when it is an offer)
            assert refs in (["", "barclaycard", "vanquis"], ["barclaycard", "vanquis"]), refs
            assert len({x.letter_type for x in drafts if x.debt_ref}) == 1


def test_writing_the_letters_again_while_one_is_marked_sent_never_loses_the_sent_one(
        app, client):
    case_url, letters_url, proposal_id = _setup(app, client)
    other = second_client(app)
    for _ in range(ROUNDS // 2):
        _generate(client, letters_url)
        public_id = _draft_to(app, proposal_id, "barclaycard")
        url = f"{case_url}/letters/{public_id}/mark-sent"
        mark, again = race(
            lambda url=url: other.post(url, data={"sent_on": now_utc().date().isoformat(),
                                                  "channel": "post"}),
            lambda: client.post(letters_url, data={"letter_type": "proposal",
                                                   "language": "en"}))
        assert mark.status_code in {302, 404, 409} and again.status_code in {302, 409}
        letter = _letter(app, public_id)
        if mark.status_code == 302:
            assert letter is not None and letter.status == "sent"
    _assert_sent_letters_verify(app)


# --- e-mail ---------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler keeping every envelope it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def test_sending_twice_at_once_sends_one_email_and_freezes_once(make_app, smtp):
    controller, inbox = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                   MAIL_FROM="letters@parley.example")
    client = app.test_client()
    case_url, letters_url, proposal_id = _setup(app, client, "collections@barclaycard.example")
    inbox.envelopes.clear()  # (the account's verification link)
    other = second_client(app)
    rounds = 5
    for n in range(rounds):
        _generate(client, letters_url)
        url = f"{case_url}/letters/{_draft_to(app, proposal_id, 'barclaycard')}/send"
        first, second = race(lambda url=url: client.post(url), lambda url=url: other.post(url))
        assert sorted([first.status_code, second.status_code]) == [302, 409]
        assert len(inbox.envelopes) == n + 1
    _assert_sent_letters_verify(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Letter).where(
            Letter.status == "sent", Letter.debt_ref == "barclaycard")) == rounds


def test_sending_and_editing_at_once_sends_what_is_kept(make_app, smtp):
    controller, inbox = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                   MAIL_FROM="letters@parley.example")
    client = app.test_client()
    case_url, letters_url, proposal_id = _setup(app, client, "collections@barclaycard.example")
    other = second_client(app)
    for n in range(5):
        _generate(client, letters_url)
        url = f"{case_url}/letters/{_draft_to(app, proposal_id, 'barclaycard')}"
        send, edit = race(lambda url=url: client.post(url + "/send"),
                          lambda url=url, n=n: other.post(url + "/edit", data={
                              "body_text": f"Edited in round {n}."}))
        assert {send.status_code, edit.status_code} <= {302, 409}
        letter = _letter(app, url.rsplit("/", 1)[1])
        assert letter.status == ("sent" if send.status_code == 302 else "draft")
        if send.status_code == 302:
            # the PDF that went out says what the kept (and digested) HTML says
            edited = f"Edited in round {n}."
            assert (edited in _pdf_text(inbox.envelopes[-1])) == (edited in letter.html)
    _assert_sent_letters_verify(app)


def _pdf_text(envelope) -> str:
    from email import message_from_bytes, policy

    message = message_from_bytes(envelope.content, policy=policy.default)
    pdf = next(p.get_content() for p in message.iter_attachments()
               if p.get_filename().startswith("Barclaycard-"))
    return " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_failed_send_frees_the_letter_for_the_next_try(make_app):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port,
                   MAIL_FROM="letters@parley.example")
    client = app.test_client()
    case_url, letters_url, proposal_id = _setup(app, client, "collections@barclaycard.example")
    _generate(client, letters_url)
    url = f"{case_url}/letters/{_draft_to(app, proposal_id, 'barclaycard')}"
    assert client.post(url + "/send").status_code == 503
    with app.app_context():
        assert db.session.scalars(select(Letter.sending_since)).all() == [None] * 3
    # not "being sent right now": it can be edited and sent another way at once
    assert client.post(url + "/edit", data={"body_text": "New text."}).status_code == 302
    assert client.post(url + "/mark-sent", data={"sent_on": now_utc().date().isoformat(),
                                                 "channel": "post"}).status_code == 302
    _assert_sent_letters_verify(app)


class SlowInbox(Inbox):
    """Holds every letter until ``release`` is set: a send caught in the middle.
    (Other mail, the account's verification link, goes straight through.)"""

    def __init__(self):
        super().__init__()
        self.arrived, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        import asyncio

        if not any(r.startswith("collections@") for r in envelope.rcpt_tos):
            return await super().handle_DATA(server, session, envelope)
        self.arrived.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        return await super().handle_DATA(server, session, envelope)


def test_while_a_letter_is_being_emailed_nothing_else_touches_it(make_app):
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                       MAIL_FROM="letters@parley.example")
        client = app.test_client()
        case_url, letters_url, proposal_id = _setup(app, client,
                                                    "collections@barclaycard.example")
        inbox.envelopes.clear()  # (the account's verification link)
        _generate(client, letters_url)
        url = f"{case_url}/letters/{_draft_to(app, proposal_id, 'barclaycard')}"
        other = second_client(app)
        sending = threading.Thread(target=lambda: client.post(url + "/send"))
        sending.start()
        assert inbox.arrived.wait(30)
        busy = "being sent by e-mail right now"
        for response in (
                other.post(url + "/send"),
                other.post(url + "/edit", data={"body_text": "Too late."}),
                other.post(url + "/mark-sent", data={"sent_on": now_utc().date().isoformat(),
                                                     "channel": "post"})):
            assert response.status_code == 409
            assert busy in response.get_data(as_text=True)
        # writing the letters again keeps the letter and its statement being sent
        _generate(other, letters_url)
        inbox.release.set()
        sending.join(30)
        assert len(inbox.envelopes) == 1
        with app.app_context():
            sent = db.session.scalars(select(Letter).where(Letter.status == "sent")).all()
            assert sorted(x.debt_ref or "" for x in sent) == ["", "barclaycard"]
            drafts = db.session.scalars(select(Letter).where(Letter.status == "draft")).all()
            assert sorted(x.debt_ref or "" for x in drafts) == ["", "barclaycard", "vanquis"]
        _assert_sent_letters_verify(app)
    finally:
        inbox.release.set()
        controller.stop()


def test_a_stale_letter_edit_is_refused_and_keeps_the_text(app, client):
    from tests.concurrency import hidden

    case_url, letters_url, proposal_id = _setup(app, client)
    other = second_client(app)
    _generate(client, letters_url)
    url = f"{case_url}/letters/{_draft_to(app, proposal_id, 'barclaycard')}/edit"
    mine = hidden(client.get(url).get_data(as_text=True), "version")
    theirs = hidden(other.get(url).get_data(as_text=True), "version")
    assert mine == theirs != ""
    assert client.post(url, data={"version": mine, "body_text": "Mine."}).status_code == 302
    stale = other.post(url, data={"version": theirs, "body_text": "Theirs, typed."})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "changed while you were editing" in page and "Theirs, typed." in page
    assert "Mine." in _letter(app, url.split("/")[-2]).html
    again = other.post(url, data={"version": hidden(page, "version"),
                                  "body_text": "Theirs, typed."})
    assert again.status_code == 302
    assert "Theirs, typed." in _letter(app, url.split("/")[-2]).html


def _statements(app, call):
    """The SQL statements ``call`` sends, in order, each on one line."""
    with statements_sent(app) as seen:
        response = call()
    return response, [" ".join(statement.split()) for statement in seen]


def _first(statements, start):
    return next(n for n, s in enumerate(statements) if s.startswith(start))


@pytest.mark.parametrize("how", ["mark-sent", "send"])
def test_freezing_or_claiming_a_letter_locks_its_proposal_before_any_letter(
        make_app, smtp, how):
    """The lock order that rules out the deadlock CI once met on PostgreSQL:
    writing the letters again claims the proposal's row, then deletes drafts;
    marking a letter sent (or claiming it for e-mail) writes the letter and its
    budget statement. Both must take the proposal first."""
    controller, _inbox = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                   MAIL_FROM="letters@parley.example")
    client = app.test_client()
    case_url, letters_url, proposal_id = _setup(app, client, "collections@barclaycard.example")
    response, generated = _statements(app, lambda: client.post(
        letters_url, data={"letter_type": "proposal", "language": "en"}))
    assert response.status_code == 302
    assert _first(generated, "UPDATE proposals") < _first(generated, "DELETE FROM letters")
    url = f"{case_url}/letters/{_draft_to(app, proposal_id, 'barclaycard')}/{how}"
    data = {"sent_on": now_utc().date().isoformat(), "channel": "post"} \
        if how == "mark-sent" else {}
    response, sent = _statements(app, lambda: client.post(url, data=data))
    assert response.status_code == 302, response.get_data(as_text=True)
    lock = _first(sent, "SELECT proposals.id FROM proposals WHERE proposals.id")
    assert lock < _first(sent, "UPDATE letters")
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert sent[lock].endswith("FOR NO KEY UPDATE")
