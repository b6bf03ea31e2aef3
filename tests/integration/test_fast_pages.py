"""The one-statement path to a cached page (webapp/fast_pages.py) answers exactly
what the full path would, and only when it can prove everything the full path
checks; in every other case the full path runs and decides.

A request counts as served by it when ``fast_pages.serve`` returned the page:
the tests wrap it and count, and count the ORM's statements (none then)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import AuthActions
from tests.factories import make_case, make_user, seed_letters
from tests.sql_support import statements_sent
from webapp import fast_pages
from webapp.extensions import db
from webapp.models import AuditEvent, CaseGrant, Letter, SentMail, User, UserSession
from webapp.models.types import now_utc
from webapp.services import audit, sessions

OWNER, COUNSELOR = "owner@example.com", "counselor@example.com"
PASSWORD = "correct horse battery"
TOKENS = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"|(<meta name="csrf-token" '
                    r'content=")[^"]*"')


def same(page: str) -> str:
    """The page with its CSRF tokens set aside (signed per request)."""
    return TOKENS.sub(lambda m: (m.group(1) or m.group(2)) + 'TOKEN"', page)


@pytest.fixture
def served(monkeypatch):
    """Counts the answers the middleware gave itself (not None)."""
    counts = {"fast": 0}
    real = fast_pages.FastPages.answer

    def counting(self, environ):
        answer = real(self, environ)
        counts["fast"] += answer is not None
        return answer

    monkeypatch.setattr(fast_pages.FastPages, "answer", counting)
    return counts


@pytest.fixture
def ids(app):
    """The owner's gb-family case with a saved proposal and its letters; a counselor."""
    make_user(app, COUNSELOR, "counselor")
    seeded = seed_letters(app, OWNER, password=PASSWORD)
    return {**seeded, "case": f"/cases/{seeded['case']}"}


def browser(app, email, **headers):
    client = app.test_client()
    client.environ_base.update(headers)
    assert AuthActions(client).login(email, PASSWORD).status_code == 302
    return client


def pages(ids) -> list[str]:
    return [ids["case"], f"{ids['case']}/plan", f"{ids['case']}/letters/{ids['letter']}"]


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


@pytest.fixture
def orm_statements(app):
    """Statements SQLAlchemy executed (the one-statement path runs on the driver)."""
    with statements_sent(app) as seen:
        yield seen


def headers_of(response) -> list[tuple[str, str]]:
    return [(k, "ID" if k == "X-Request-Id" else v) for k, v in response.headers.items()]


def test_a_warm_page_is_served_in_one_statement_and_is_the_same_answer(
        app, ids, served, orm_statements, caplog, monkeypatch):
    owner = browser(app, OWNER)
    for url in pages(ids):
        get(owner, url)  # the first look renders (and may set the session cookie)
    # Flask's own answer of the cached pages: the middleware stood aside
    with monkeypatch.context() as aside:
        aside.setattr(fast_pages.FastPages, "answer", lambda self, environ: None)
        full = {url: get(owner, url) for url in pages(ids)}
    assert served["fast"] == 0
    orm_statements.clear()
    caplog.set_level("INFO", logger="parley.request")
    for url in pages(ids):
        response = get(owner, url)
        assert same(response.get_data(as_text=True)) == same(full[url].get_data(as_text=True))
        # the headers Flask's hooks add, in the same order (the request id differs)
        assert headers_of(response) == headers_of(full[url]), url
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Request-Id"] != full[url].headers["X-Request-Id"]
        # the same log line, with this answer's request id
        line = caplog.records[-1]
        assert (line.method, line.path, line.status) == ("GET", url, 200)
        assert line.request_id == response.headers["X-Request-Id"]
        assert line.endpoint == full_endpoint(url)
    assert served["fast"] == 3
    assert orm_statements == []
    # and the pages are real: the case's creditors are in them
    assert "Vanquis" in full[ids["case"]].get_data(as_text=True)


def full_endpoint(url: str) -> str:
    return ("letters.show" if "/letters/" in url else "plans.show" if url.endswith("/plan")
            else "cases.show")


@pytest.mark.parametrize("environ", [
    {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "Firefox"},
    {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.2",
     "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) 微信"},
    {"REMOTE_ADDR": "::1"},
])
def test_the_browser_identifier_is_flask_logins(app, environ):
    from flask_login.utils import _create_identifier

    with app.test_request_context("/", environ_base=environ):
        assert fast_pages._identifier(dict(environ)) == _create_identifier()


def test_its_csrf_token_is_this_browsers_and_valid(make_app, served):
    app = make_app(WTF_CSRF_ENABLED=True)
    make_user(app, OWNER)
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/auth/login").get_data(as_text=True)).group(1)
    client.post("/auth/login", data={"csrf_token": token, "email": OWNER,
                                     "password": PASSWORD})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/cases/new").get_data(as_text=True)).group(1)
    url = make_case(client, csrf_token=token)
    get(client, url)  # the flash of the case created
    get(client, url)  # stored
    page = get(client, url).get_data(as_text=True)
    assert served["fast"] == 1
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert "csrf-" not in token  # the placeholder was replaced
    assert client.post("/language", data={"csrf_token": token, "lang": "en",
                                          "next": url}).status_code == 302


def warm(app, ids, who=OWNER):
    client = browser(app, who)
    for url in pages(ids):
        get(client, url)
        get(client, url)
    return client


def test_a_revoked_grant_is_404_at_once(app, ids, served):
    owner = browser(app, OWNER)
    get(owner, ids["case"])
    assert owner.post(f"{ids['case']}/access", data={"email": COUNSELOR}).status_code in (
        302, 303)
    counselor = warm(app, ids, COUNSELOR)
    assert served["fast"] == 3  # the counselor's second looks
    with app.app_context():
        grant = db.session.scalar(select(CaseGrant.id))
    owner.post(f"{ids['case']}/access/{grant}/revoke")
    before = served["fast"]
    for url in pages(ids):
        get(counselor, url, 404)
    assert served["fast"] == before


def test_an_ended_session_is_sent_to_log_in(app, ids, served):
    owner = warm(app, ids)
    with app.app_context():
        db.session.execute(update(UserSession).values(
            created_at=now_utc() - sessions.lifetime() - timedelta(minutes=1)))
        db.session.commit()
    before = served["fast"]
    response = owner.get(ids["case"])
    assert response.status_code == 302 and "/auth/login" in response.location
    assert served["fast"] == before
    # logged out elsewhere: the row is gone
    other = warm(app, ids)
    with app.app_context():
        db.session.execute(UserSession.__table__.delete())
        db.session.commit()
    assert other.get(f"{ids['case']}/plan").status_code == 302


def test_a_session_seen_over_a_minute_ago_is_touched_by_the_full_path(app, ids, served):
    owner = warm(app, ids)
    long_ago = now_utc() - sessions.TOUCH_EVERY - timedelta(seconds=5)
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=long_ago))
        db.session.commit()
    before = served["fast"]
    get(owner, ids["case"])
    assert served["fast"] == before
    with app.app_context():
        assert db.session.scalar(select(UserSession.last_seen_at)) > long_ago
    get(owner, ids["case"])
    assert served["fast"] == before + 1


def test_another_browser_or_address_never_gets_it(app, ids, served):
    owner = warm(app, ids)
    before = served["fast"]
    # the same cookie from another browser: Flask-Login's session protection decides
    owner.environ_base["HTTP_USER_AGENT"] = "Another browser"
    owner.get(ids["case"])
    assert served["fast"] == before


def test_a_counselor_who_must_enrol_is_sent_to_enrolment(app, ids, served):
    owner = browser(app, OWNER)
    owner.post(f"{ids['case']}/access", data={"email": COUNSELOR})
    counselor = warm(app, ids, COUNSELOR)
    with app.app_context():
        db.session.execute(update(User).where(User.email == COUNSELOR)
                           .values(totp_enabled_at=None))
        db.session.commit()
    before = served["fast"]
    response = counselor.get(ids["case"])
    assert response.status_code == 303 and "two-factor" in response.location
    assert served["fast"] == before


def test_a_view_the_log_would_record_goes_the_full_path(app, ids, served):
    owner = warm(app, ids)
    counselor_id = None
    with app.app_context():
        counselor_id = db.session.scalar(select(User.id).where(User.email == COUNSELOR))
        count = db.session.query(AuditEvent).count()
    # someone else's event came last: this view is written again
    with app.app_context():
        db.session.add(AuditEvent(case_id=ids["case_id"], at=now_utc(), actor_id=counselor_id,
                                  actor_email=COUNSELOR, action="view", via="web"))
        db.session.commit()
    before = served["fast"]
    get(owner, ids["case"])
    assert served["fast"] == before
    with app.app_context():
        assert db.session.query(AuditEvent).count() == count + 2
    get(owner, ids["case"])
    assert served["fast"] == before + 1
    # the owner's own view, older than VIEW_EVERY: written again
    with app.app_context():
        db.session.execute(update(AuditEvent).values(
            at=now_utc() - audit.VIEW_EVERY - timedelta(seconds=1)))
        db.session.commit()
    get(owner, ids["case"])
    assert served["fast"] == before + 1
    with app.app_context():
        assert db.session.query(AuditEvent).count() == count + 3


def test_a_query_string_a_flash_or_another_language_goes_the_full_path(app, ids, served):
    owner = warm(app, ids)
    before = served["fast"]
    reveal = get(owner, f"{ids['case']}?reveal=1")
    assert served["fast"] == before and reveal.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())
                                 .limit(1)) == "reveal"
    owner.post("/language", data={"lang": "zh_CN", "next": ids["case"]})
    chinese = get(owner, ids["case"]).get_data(as_text=True)  # rendered, stored
    again = get(owner, ids["case"]).get_data(as_text=True)  # served
    assert same(again) == same(chinese) and 'lang="zh' in again


def test_a_letter_of_another_case_or_being_sent_goes_the_full_path(app, ids, served):
    owner = warm(app, ids)
    before = served["fast"]
    get(owner, f"{ids['case']}/letters/NOSUCHLETTER", 404)
    with app.app_context():
        db.session.execute(update(Letter).where(Letter.id == ids["letter_id"])
                           .values(sending_since=now_utc()))
        db.session.commit()
    url = f"{ids['case']}/letters/{ids['letter']}"
    get(owner, url)
    get(owner, url)
    assert served["fast"] == before


def test_the_daily_mail_limit_shows_on_a_warm_letter_page(make_app, served):
    app = make_app(MAIL_SERVER="localhost", MAIL_FROM="parley@example.com", MAIL_PER_DAY=2)
    make_user(app, COUNSELOR, "counselor")

    def verified_with_addresses(user, case):
        user.email_verified_at = now_utc()
        for n, debt in enumerate(case.debts):
            debt.creditor_email = f"collections{n}@example.com"

    seeded = seed_letters(app, OWNER, password=PASSWORD, prepare=verified_with_addresses)
    url, user_id = f"/cases/{seeded['case']}/letters/{seeded['letter']}", seeded["user_id"]
    owner = browser(app, OWNER)
    get(owner, url)
    first = get(owner, url).get_data(as_text=True)
    assert served["fast"] == 1
    with app.app_context():
        for _ in range(2):  # the day's mail used up elsewhere (another case, say)
            db.session.add(SentMail(user_id=user_id, recipient="a@example.com",
                                    outcome="sent", at=now_utc()))
        db.session.commit()
    later = get(owner, url).get_data(as_text=True)
    assert served["fast"] == 1  # a new key: rendered
    assert same(later) != same(first)
    assert "The letter goes as a PDF to collections" in first
    assert "the most allowed" not in first and "the most allowed" in later
    assert same(get(owner, url).get_data(as_text=True)) == same(later)
    assert served["fast"] == 2


def test_limits_on_every_page_leave_it_to_flask(make_app, served):
    app = make_app(RATELIMIT_DEFAULT="1000 per minute")
    make_user(app, OWNER)
    client = browser(app, OWNER)
    url = make_case(client)
    for _ in range(3):
        get(client, url)
    assert served["fast"] == 0


def test_an_error_in_it_lets_flask_answer(app, ids, monkeypatch, caplog):
    owner = warm(app, ids)

    def broken(self, params):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(fast_pages._Compiled, "fetch", broken)
    assert "Vanquis" in get(owner, ids["case"]).get_data(as_text=True)
    assert any("not served outside Flask" in r.getMessage() for r in caplog.records)


def _reader(app):
    return app.wsgi_app._reader


@pytest.fixture
def on_postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL: on SQLite the fast path reads through the app's engine")


def test_on_postgresql_it_reads_in_autocommit_without_a_ping(app, ids, served, on_postgresql):
    warm(app, ids)
    assert served["fast"] == 3
    reader = _reader(app)
    with app.app_context():
        assert reader is not db.engine
    connection = reader.raw_connection()
    try:
        # one statement, one round trip: no BEGIN before it, no ROLLBACK after
        assert connection.driver_connection.autocommit is True
    finally:
        connection.close()
    assert reader.pool._pre_ping is False


def test_a_connection_the_server_dropped_lets_flask_answer_once(app, ids, served, caplog,
                                                                on_postgresql):
    owner = warm(app, ids)
    reader = _reader(app)
    assert reader.pool.checkedin() == 1  # one reload at a time: one connection
    connection = reader.raw_connection()
    pid = connection.driver_connection.info.backend_pid
    connection.close()
    with app.app_context(), db.engine.connect() as conn:  # the server ends it
        assert conn.exec_driver_sql(f"SELECT pg_terminate_backend({pid})").scalar() is True
    before = served["fast"]
    page = get(owner, ids["case"]).get_data(as_text=True)  # Flask answers, whole
    assert "Vanquis" in page and served["fast"] == before
    assert any("not served outside Flask" in r.getMessage() for r in caplog.records)
    get(owner, ids["case"])  # the dropped connection was thrown away: fast again
    assert served["fast"] == before + 1


def test_disposing_the_apps_engine_closes_the_readers_connections(app, ids, on_postgresql):
    warm(app, ids)
    reader = _reader(app)
    assert reader.pool.checkedin() >= 1
    with app.app_context():
        db.engine.dispose()
    assert reader.pool.checkedin() == 0
