"""Login throttling across gunicorn workers, and a login that does not tell
whether an address has an account (issue 10).

``tests/integration/test_throttling.py`` shows two processes sharing one count
through Redis; here the real thing: ``parley serve --workers 2`` (gunicorn)
with ``RATELIMIT_STORAGE_URI`` on Redis, hit over HTTP from one client, lets
exactly the limit through. Then a wrong password for a registered address and
any password for an unknown one get the same response, in about the same time.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.factories import make_user
from tests.smtp_support import free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL_AUTHSEC", "redis://127.0.0.1:6379/6")
PASSWORD = "correct horse battery"


def _redis():
    import redis

    conn = redis.Redis.from_url(REDIS_URL)
    try:
        conn.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    return conn


@pytest.fixture
def two_workers(tmp_path):
    """``parley serve --workers 2`` on a free port, counting in Redis db 6."""
    conn = _redis()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/w.sqlite",
           "SECRET_KEY": "two-workers-test", "RATELIMIT_STORAGE_URI": REDIS_URL,
           "PROXY_COUNT": "1", "LOGIN_RATE_LIMIT": "6 per minute",
           "ACCOUNT_RATE_LIMIT": "100 per minute"}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", "from webapp.cli import main; main()", "serve", "--port",
             str(port), "--workers", "2", "--threads", "2"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=out)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            assert server.poll() is None, log.read_text()
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "parley serve did not start"
                time.sleep(0.3)
        yield base, port
    finally:
        server.terminate()
        server.wait(timeout=30)
        for key in conn.scan_iter(f"*198.19.{port % 250}.*"):
            conn.delete(key)


def _wrong_login(base, client, email) -> int:
    # Each login is a new connection, so gunicorn hands them to either worker.
    with urllib.request.urlopen(base + "/auth/login", timeout=10) as page:
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                          page.read().decode()).group(1)
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    request = urllib.request.Request(
        base + "/auth/login", urllib.parse.urlencode(
            {"csrf_token": token, "email": email, "password": "not the password"}).encode(),
        headers={"X-Forwarded-For": client, "Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_two_gunicorn_workers_share_one_login_count_through_redis(two_workers):
    base, port = two_workers
    client = f"198.19.{port % 250}.7"
    codes = [_wrong_login(base, client, f"u{i}-{port}@example.com") for i in range(12)]
    assert codes.count(200) == 6, codes  # the limit, not twice it
    assert codes[6:] == [429] * 6
    # Another client behind the same proxy has its own count.
    assert _wrong_login(base, f"198.19.{port % 250}.8", f"x-{port}@example.com") == 200


def _normalised(body: str, email: str) -> str:
    body = body.replace(email, "EMAIL")
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "", body)


def test_a_wrong_login_says_the_same_for_a_registered_and_an_unknown_address(app):
    make_user(app, "known@example.com")
    answers = []
    for email in ["known@example.com", "unknown@example.com"]:
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": "wrong guess!"})
        answers.append((response.status_code,
                        sorted((k, v) for k, v in response.headers.items()
                               if k not in ("Set-Cookie", "Content-Length", "X-Request-Id")),
                        _normalised(response.get_data(as_text=True), email)))
    assert answers[0] == answers[1]
    assert "E-mail address or password is not right." in answers[0][2]


def test_a_wrong_login_takes_as_long_for_a_registered_as_for_an_unknown_address(make_app):
    """With the real argon2 cost: an unknown address is checked against a dummy
    hash, so both take one hash's time (median of 9 each, within 25 %)."""
    app = make_app(PASSWORD_HASH_FAST=False)
    make_user(app, "known@example.com")
    client = app.test_client()

    def timed(email):
        start = time.perf_counter()
        assert client.post("/auth/login", data={"email": email, "password": "wrong guess!"}
                           ).status_code == 200
        return time.perf_counter() - start  # float ok: seconds

    timed("unknown@example.com")  # the dummy hash is made once, on first use
    # Taken in turns, so a busy machine slows both alike.
    pairs = [(timed("known@example.com"), timed("unknown@example.com")) for _ in range(9)]
    known = statistics.median(k for k, _ in pairs)
    unknown = statistics.median(u for _, u in pairs)
    assert abs(known - unknown) < 0.25 * max(known, unknown), (known, unknown)
