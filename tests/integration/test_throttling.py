"""Login throttling (issue 7 item 8): per client address on every credential
form, per account against guessing from many addresses, real client addresses
behind a proxy, and one shared count across workers with Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import AuthActions

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
WRONG = {"email": "borrower@example.com", "password": "not the password"}
RIGHT = {"email": "borrower@example.com", "password": "correct horse battery"}


def _limited_app(make_app, **overrides):
    # Each app gets a new memory store, so counts do not leak between tests.
    config = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "100 per minute",
              "ACCOUNT_RATE_LIMIT": "100 per minute", **overrides}
    return make_app(**config)


def _from(address: str) -> dict:
    return {"REMOTE_ADDR": address}


def test_password_change_is_limited_per_address(make_app):
    app = _limited_app(make_app, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    AuthActions(client).register()  # counted on their own endpoints' limits
    codes = [client.post("/auth/password", data={
        "current_password": f"guess number {i}", "new_password": "a brand new secret",
        "confirm": "a brand new secret"}).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_wrong_passwords_for_one_account_are_limited_from_any_address(make_app):
    app = _limited_app(make_app, ACCOUNT_RATE_LIMIT="3 per minute")
    AuthActions(app.test_client()).register()
    client = app.test_client()
    codes = [client.post("/auth/login", data=WRONG, environ_base=_from(f"10.0.0.{i}")
                         ).status_code for i in range(1, 5)]
    assert codes == [200, 200, 200, 429]
    # The same account with other spelling of its address is the same account...
    assert client.post("/auth/login", data={**RIGHT, "email": " Borrower@Example.com "},
                       environ_base=_from("10.0.0.9")).status_code == 429
    # ...while another account, from the same addresses, is not affected.
    assert client.post("/auth/login", data={**WRONG, "email": "someone@example.com"},
                       environ_base=_from("10.0.0.1")).status_code == 200


def test_right_passwords_do_not_use_up_the_account_limit(make_app):
    app = _limited_app(make_app, ACCOUNT_RATE_LIMIT="2 per minute")
    AuthActions(app.test_client()).register()
    for _ in range(4):
        client = app.test_client()
        assert client.post("/auth/login", data=RIGHT).status_code == 302


def test_wrong_current_passwords_are_limited_per_user(make_app):
    app = _limited_app(make_app, ACCOUNT_RATE_LIMIT="2 per minute")
    client = app.test_client()
    AuthActions(client).register()
    guess = {"new_password": "a brand new secret", "confirm": "a brand new secret"}
    codes = [client.post("/auth/password", data={**guess, "current_password": f"guess {i}"},
                         environ_base=_from(f"10.0.1.{i}")).status_code for i in range(1, 4)]
    assert codes == [200, 200, 429]
    # A refused new password checks no current password, so it does not count.
    app = _limited_app(make_app, ACCOUNT_RATE_LIMIT="1 per minute")
    client = app.test_client()
    AuthActions(client).register(email="other@example.com")
    for _ in range(3):
        assert client.post("/auth/password", data={
            "current_password": "correct horse battery", "new_password": "1234567890",
            "confirm": "1234567890"}).status_code == 200


def test_without_a_proxy_a_forged_forwarded_for_changes_nothing(make_app):
    app = _limited_app(make_app, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    codes = [client.post("/auth/login", data=WRONG, headers={
        "X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_behind_one_proxy_each_client_has_its_own_limit(make_app):
    app = _limited_app(make_app, LOGIN_RATE_LIMIT="2 per minute", PROXY_COUNT=1)
    client = app.test_client()

    def post(forwarded):
        # The proxy connects from 127.0.0.1 and appends the address it saw.
        return client.post("/auth/login", data={**WRONG, "email": f"{forwarded}@example.com"},
                           headers={"X-Forwarded-For": forwarded},
                           environ_base=_from("127.0.0.1")).status_code

    assert [post("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert post("203.0.113.2") == 200  # another client behind the same proxy
    # A client cannot pick its address: only the entry the proxy added counts.
    assert post("192.0.2.77, 203.0.113.1") == 429


def test_parley_serve_refuses_several_workers_with_the_memory_store(monkeypatch, tmp_path):
    from webapp.commands.serve import serve_command

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")

    def serve(_self):
        raise AssertionError("started serving")

    monkeypatch.setattr("gunicorn.app.base.BaseApplication.run", serve)
    result = CliRunner().invoke(serve_command, ["--workers", "2"])
    assert result.exit_code == 2
    assert "RATELIMIT_STORAGE_URI=redis://" in result.output
    assert not (tmp_path / "x.sqlite").stat().st_size  # refused before migrating


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")


@pytest.fixture
def client_address():
    """A client address (and e-mail) of its own, so this run's keys in Redis are its own."""
    _redis_or_skip()
    import random

    import redis

    address = ".".join(["10", *(str(random.randrange(1, 255)) for _ in range(3))])
    yield address
    conn = redis.Redis.from_url(REDIS_URL)
    for key in conn.scan_iter(f"*{address}*"):
        conn.delete(key)


HIT_FROM_ANOTHER_PROCESS = """
import sys
from webapp import create_app
app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": sys.argv[1],
                  "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_FAST": True,
                  "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": sys.argv[2],
                  "LOGIN_RATE_LIMIT": "4 per minute", "ACCOUNT_RATE_LIMIT": "100 per minute"})
client = app.test_client()
print(" ".join(str(client.post("/auth/login", data={"email": sys.argv[3] + "@example.com",
      "password": "not the password"}, environ_base={"REMOTE_ADDR": sys.argv[3]}).status_code)
      for _ in range(int(sys.argv[4]))))
"""


def test_redis_storage_is_one_count_for_every_worker(make_app, database_url, client_address):
    """Two processes (as two gunicorn workers) share the limit through Redis."""
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL,
                   LOGIN_RATE_LIMIT="4 per minute", ACCOUNT_RATE_LIMIT="100 per minute")
    client = app.test_client()
    wrong = {"email": f"{client_address}@example.com", "password": "not the password"}
    me = _from(client_address)
    assert [client.post("/auth/login", data=wrong, environ_base=me).status_code
            for _ in range(2)] == [200, 200]
    other = subprocess.run([sys.executable, "-c", HIT_FROM_ANOTHER_PROCESS, database_url,
                            REDIS_URL, client_address, "3"],
                           cwd=ROOT, capture_output=True, text=True, check=True)
    assert other.stdout.split() == ["200", "200", "429"]
    assert client.post("/auth/login", data=wrong, environ_base=me).status_code == 429


def test_when_redis_is_down_logins_are_still_limited_not_failed(make_app):
    # Nothing listens on port 1: every Redis call fails.
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/2",
                   LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    codes = [client.post("/auth/login", data=WRONG).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
