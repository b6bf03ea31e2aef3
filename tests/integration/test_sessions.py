"""Server-side sessions (issue 7 item 3): logout, idle timeout and lifetime end a
session on the server, so a copy of the cookie opens nothing afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import AuthActions
from webapp.extensions import db
from webapp.models import UserSession
from webapp.services import sessions


class Clock:
    """A controllable ``now_utc`` for the session service."""

    def __init__(self):
        self.now = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(sessions, "now_utc", clock)
    return clock


def _copy_of(client, app):
    """A second browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _rows(app) -> list[UserSession]:
    with app.app_context():
        return list(db.session.scalars(select(UserSession)))


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, client, auth):
    auth.register()
    assert client.get("/cases/new").status_code == 200
    copy = _copy_of(client, app)
    assert copy.get("/cases/new").status_code == 200  # the copy works while logged in

    auth.logout()
    response = copy.get("/cases/new")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")
    assert _rows(app) == []


def test_the_cookie_holds_a_random_token_and_the_database_only_its_hash(app, client, auth):
    auth.register()
    [row] = _rows(app)
    cookie = client.get_cookie("session").value
    assert row.token_hash not in cookie
    assert len(row.token_hash) == 64
    with app.test_request_context():
        from flask import current_app

        data = current_app.session_interface.get_signing_serializer(current_app).loads(cookie)
    token = data["_user_id"]
    assert len(token) >= 40 and str(row.user_id) != token
    assert sessions.digest(token) == row.token_hash


def test_a_session_ends_after_the_idle_timeout(make_app, clock):
    app = make_app(SESSION_IDLE_MINUTES=30)
    client = app.test_client()
    AuthActions(client).register()
    for _ in range(4):  # active use keeps it alive well past 30 minutes in all
        clock.advance(minutes=29)
        assert client.get("/cases/new").status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = client.get("/cases/new")
    assert response.status_code == 302 and response.location.startswith("/auth/login")
    assert _rows(app) == []  # the expired row is gone


def test_a_session_ends_after_its_lifetime_however_active(make_app, clock):
    app = make_app(SESSION_MAX_HOURS=8)
    client = app.test_client()
    AuthActions(client).register()
    for _ in range(16 * 2 - 1):  # every 15 minutes for 7 h 45
        clock.advance(minutes=15)
        assert client.get("/").status_code == 200
        assert b"My cases" in client.get("/").data
    clock.advance(minutes=16)
    assert client.get("/cases/new").status_code == 302


def test_last_seen_is_written_at_most_once_a_minute(app, client, auth, clock):
    auth.register()
    [row] = _rows(app)
    start = row.last_seen_at
    clock.advance(seconds=59)
    for _ in range(5):
        client.get("/")
    assert _rows(app)[0].last_seen_at == start
    clock.advance(seconds=1)
    client.get("/")
    assert _rows(app)[0].last_seen_at == start + timedelta(seconds=60)


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, client, auth):
    auth.register()
    phone = app.test_client()
    phone.post("/auth/login", data={"email": "borrower@example.com",
                                    "password": "correct horse battery"})
    stolen = _copy_of(phone, app)
    assert len(_rows(app)) == 2
    client.post("/auth/password", data={
        "current_password": "correct horse battery", "new_password": "a brand new secret",
        "confirm": "a brand new secret"})
    assert client.get("/cases/new").status_code == 200
    assert phone.get("/cases/new").status_code == 302
    assert stolen.get("/cases/new").status_code == 302
    assert len(_rows(app)) == 1


def test_logging_in_sweeps_expired_sessions_and_records_a_short_device_name(app, clock):
    old = app.test_client()
    AuthActions(old).register()
    clock.advance(hours=1)
    new = app.test_client()
    new.post("/auth/login", data={"email": "borrower@example.com",
                                  "password": "correct horse battery"},
             headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) "
                                    "Gecko/20100101 Firefox/128.0"})
    [row] = _rows(app)
    assert row.user_agent == "Firefox on Linux"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1


def test_a_forged_or_old_style_cookie_is_not_a_session(app, client, auth):
    auth.register()
    with app.app_context():
        from webapp.models import User

        user_id = db.session.scalar(select(User.id))
    with client.session_transaction() as sess:
        sess["_user_id"] = f"{user_id}:1"  # what the cookie held before sessions were kept
    assert client.get("/cases/new").status_code == 302
