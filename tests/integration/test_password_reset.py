"""“Forgot your password?” (issue 10): a link mailed through a real SMTP
conversation (aiosmtpd) sets a new password once, within its time; the request
answers alike for an address with and without an account; the reset ends every
session and is in the audit log; requests are limited per address and account."""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import AuthActions
from tests.factories import make_case, make_user
from tests.smtp_support import reset_link, smtp_server
from webapp.auth import verify_password
from webapp.extensions import db
from webapp.models import AuditEvent, PasswordReset, User, UserSession
from webapp.models.types import now_utc
from webapp.services import resets

EMAIL = "borrower@example.com"
OLD, NEW = "correct horse battery", "a whole new secret"


@pytest.fixture
def inbox():
    with smtp_server() as server:
        yield server


@pytest.fixture
def mail_app(make_app, inbox):
    port, _ = inbox
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="parley@example.org")


def _ask(client, email=EMAIL):
    return client.post("/auth/forgot", data={"email": email})


def _set(client, password=NEW, confirm=None):
    return client.post("/auth/reset", data={"new_password": password,
                                           "confirm": confirm or password})


def _mailed_link(inbox, email=EMAIL) -> str:
    messages = [m for m in inbox[1].messages() if m["To"] == email]
    assert messages, "no mail"
    return reset_link(messages[-1])


def test_the_mailed_link_sets_a_new_password_once_and_ends_every_session(app, mail_app,
                                                                         inbox):
    make_user(mail_app, EMAIL)
    elsewhere = mail_app.test_client()  # logged in on another device
    assert AuthActions(elsewhere).login(EMAIL, OLD).status_code == 302
    url = make_case(elsewhere)
    client = mail_app.test_client()
    assert "Forgot your password?" in client.get("/auth/login").get_data(as_text=True)
    response = _ask(client)
    assert (response.status_code, response.location) == (303, "/auth/login")
    message = inbox[1].messages()[-1]
    assert message["Subject"] == "Set a new password for Parley"
    link = _mailed_link(inbox)
    # The link puts its token in the session and leaves the address bar at once.
    opened = client.get(link)
    assert (opened.status_code, opened.location) == (302, "/auth/reset")
    assert "Set a new password" in client.get("/auth/reset").get_data(as_text=True)
    done = _set(client)
    assert (done.status_code, done.location) == (303, "/auth/login")
    with mail_app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAIL))
        assert verify_password(user.password_hash, NEW)
        assert db.session.scalar(select(UserSession).where(UserSession.user_id == user.id)) \
            is None
        row = db.session.scalar(select(PasswordReset))
        assert row.used_at is not None and len(row.token_hash) == 64
        assert link.rsplit("/", 1)[1] not in row.token_hash  # only its hash is kept
        assert [e.action for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "password-reset"))] == ["password-reset"]
    # The other device's session is over; the old password opens nothing.
    assert elsewhere.get(url).status_code == 302
    assert AuthActions(client).login(EMAIL, OLD).status_code == 200
    assert AuthActions(client).login(EMAIL, NEW).status_code == 302
    # A second use of the same link is refused, whoever tries it.
    again = mail_app.test_client()
    refused = again.get(link)
    assert (refused.status_code, refused.location) == (302, "/auth/forgot")
    assert "not valid any more" in again.get("/auth/forgot").get_data(as_text=True)
    assert _set(again, "yet another secret").location == "/auth/forgot"
    with mail_app.app_context():
        assert verify_password(db.session.scalar(select(User)).password_hash, NEW)


def test_the_second_submission_with_one_link_is_refused(mail_app, inbox):
    """Two tabs opened with the same link: the first sets the password, the second cannot."""
    make_user(mail_app, EMAIL)
    _ask(mail_app.test_client())
    link = _mailed_link(inbox)
    first, second = mail_app.test_client(), mail_app.test_client()
    first.get(link)
    second.get(link)
    assert _set(first).location == "/auth/login"
    assert _set(second, "yet another secret").location == "/auth/forgot"
    with mail_app.app_context():
        assert verify_password(db.session.scalar(select(User)).password_hash, NEW)


def test_an_expired_link_is_refused(mail_app, inbox):
    make_user(mail_app, EMAIL)
    _ask(mail_app.test_client())
    link = _mailed_link(inbox)
    client = mail_app.test_client()
    client.get(link)  # opened in time...
    with mail_app.app_context():
        db.session.execute(update(PasswordReset).values(
            expires_at=now_utc() - timedelta(seconds=1)))
        db.session.commit()
    assert _set(client).location == "/auth/forgot"  # ...submitted too late
    assert mail_app.test_client().get(link).location == "/auth/forgot"
    with mail_app.app_context():
        assert verify_password(db.session.scalar(select(User)).password_hash, OLD)


@pytest.mark.parametrize("token", ["x", "A" * 43, "A" * 500])
def test_a_wrong_token_is_refused(mail_app, inbox, token):
    make_user(mail_app, EMAIL)
    _ask(mail_app.test_client())
    client = mail_app.test_client()
    assert client.get(f"/auth/reset/{token}").location == "/auth/forgot"
    assert client.get("/auth/reset").location == "/auth/forgot"
    assert _set(client).location == "/auth/forgot"
    with mail_app.app_context():
        assert verify_password(db.session.scalar(select(User)).password_hash, OLD)


def test_asking_again_gives_a_new_link_and_setting_the_password_kills_every_open_one(
        mail_app, inbox):
    make_user(mail_app, EMAIL)
    client = mail_app.test_client()
    _ask(client)
    _ask(client)
    links = [reset_link(m) for m in inbox[1].messages()]
    assert len(set(links)) == 2
    client.get(links[1])
    _set(client)
    assert mail_app.test_client().get(links[0]).location == "/auth/forgot"


def _normalised(page: str, email: str) -> str:
    page = page.replace(email, "EMAIL")
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "", page)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mail_app, inbox):
    make_user(mail_app, EMAIL)
    answers = []
    for email in [EMAIL, "nobody@example.com"]:
        client = mail_app.test_client()
        form = client.get("/auth/forgot")
        response = _ask(client, email)
        follow = client.get(response.location)
        answers.append((form.status_code, response.status_code, response.location,
                        sorted(k for k in response.headers.keys() if k != "Set-Cookie"),
                        follow.status_code, _normalised(follow.get_data(as_text=True), email)))
    assert answers[0] == answers[1]
    assert "If an account has this address" in answers[0][-1]
    assert [m["To"] for m in inbox[1].messages()] == [EMAIL]


def test_asking_takes_the_same_time_for_a_known_and_an_unknown_address(make_app, inbox):
    """Over HTTP (a real server, as a client would time it): the lookup and the
    SMTP conversation start only once the answer is sent, in a thread, so the
    answer's time does not depend on the address. Median of 15 each."""
    import http.client
    import threading
    import urllib.parse

    from werkzeug.serving import make_server

    port, box = inbox
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="parley@example.org",
                   JOBS_BACKEND="thread")
    make_user(app, EMAIL)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def timed(email):
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        start = time.perf_counter()
        connection.request("POST", "/auth/forgot", urllib.parse.urlencode({"email": email}),
                           {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        took = time.perf_counter() - start  # float ok: seconds
        connection.close()
        assert response.status == 303
        return took

    try:
        known, unknown = [], []
        for _ in range(15):
            known.append(timed(EMAIL))
            unknown.append(timed("nobody@example.com"))
        deadline = time.monotonic() + 15
        while len(box.envelopes) < 15 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(max(resets.DELAY) + 0.2)  # the unknown addresses' lookups end too
    finally:
        server.shutdown()
        server.server_close()
    assert len(box.envelopes) == 15  # every known request was mailed, after its answer
    difference = abs(statistics.median(known) - statistics.median(unknown))
    assert difference < 0.010, (statistics.median(known), statistics.median(unknown))


def test_the_new_password_follows_the_registration_policy(mail_app, inbox):
    make_user(mail_app, EMAIL)
    _ask(mail_app.test_client())
    client = mail_app.test_client()
    client.get(_mailed_link(inbox))
    for password, message in [("short", "at least 10"), ("1234567890", "simple sequence"),
                              (EMAIL, "e-mail address"), ("password123", "common")]:
        response = _set(client, password)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True), password
    assert _set(client, NEW, "something else").status_code == 422
    with mail_app.app_context():
        assert verify_password(db.session.scalar(select(User)).password_hash, OLD)
        assert db.session.scalar(select(PasswordReset)).used_at is None  # still usable
    assert _set(client).location == "/auth/login"


def test_without_a_mail_server_the_page_says_resets_need_one(app, client):
    make_user(app, EMAIL)
    page = client.get("/auth/forgot").get_data(as_text=True)
    assert "resetting a password needs the mail server" in page
    assert 'name="email"' not in page
    assert client.post("/auth/forgot", data={"email": EMAIL}).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(PasswordReset)) is None


def test_requests_are_limited_per_address_typed_and_per_client(make_app, inbox):
    port, box = inbox
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="parley@example.org",
                   RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute",
                   PASSWORD_RESET_RATE_LIMIT="2 per hour")
    make_user(app, EMAIL)
    client = app.test_client()
    codes = [client.post("/auth/forgot", data={"email": EMAIL},
                         environ_base={"REMOTE_ADDR": f"10.9.0.{i}"}).status_code
             for i in range(1, 4)]
    assert codes == [303, 303, 429]  # from any client: one mailbox gets two links an hour
    assert len(box.envelopes) == 2
    # An address with no account is limited the same way (no difference to see).
    codes = [client.post("/auth/forgot", data={"email": "nobody@example.com"}).status_code
             for _ in range(3)]
    assert codes == [303, 303, 429]
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="parley@example.org",
                   RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    codes = [client.post("/auth/forgot", data={"email": f"n{i}@example.com"}).status_code
             for i in range(3)]
    assert codes == [303, 303, 429]  # one client, many addresses


def test_the_reset_mail_speaks_the_accounts_language(mail_app, inbox):
    make_user(mail_app, EMAIL)
    with mail_app.app_context():
        db.session.execute(update(User).values(locale="zh_CN"))
        db.session.commit()
    _ask(mail_app.test_client())
    message = inbox[1].messages()[-1]
    assert "Parley" in message["Subject"] and "password" not in message["Subject"]
