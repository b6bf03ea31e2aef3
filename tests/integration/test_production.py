"""Production hardening (issue 7 item 11): HTTPS-only cookies and HSTS under
PARLEY_ENV=production, a private SQLite file, no Server header from gunicorn."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from webapp import config, create_app

ROOT = Path(__file__).resolve().parents[2]


#: What production needs from the environment (config.production_problems).
PRODUCTION_ENV = {"PARLEY_ENV": "production", "SECRET_KEY": "s" * 32,
                  "DATABASE_URL": "postgresql://db.internal/parley",
                  "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
                  "PARLEY_ENCRYPTION_KEYS": "mBX5epyDeVngyC3NRKra1obOzlVoV7MBxdd3bq0YQNU="}


def test_production_mode_sets_secure_cookies_and_hsts(make_app, monkeypatch, tmp_path):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    cfg = config.load(str(tmp_path))
    assert cfg["SESSION_COOKIE_SECURE"] is True
    app = make_app(SESSION_COOKIE_SECURE=cfg["SESSION_COOKIE_SECURE"],
                   HSTS_SECONDS=cfg["HSTS_SECONDS"])
    client = app.test_client()
    response = client.post("/auth/register", data={
        "email": "x@example.com", "password": "correct horse battery",
        "confirm": "correct horse battery", "role": "borrower"}, base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    hsts = client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"


def test_development_mode_sends_no_hsts_and_allows_plain_http(client, monkeypatch, tmp_path):
    monkeypatch.delenv("PARLEY_ENV", raising=False)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    cfg = config.load(str(tmp_path))
    assert cfg["SESSION_COOKIE_SECURE"] is False and cfg["HSTS_SECONDS"] == 0
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_the_sqlite_file_is_created_private(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    old = os.umask(0o022)  # the usual umask: files 0644 unless told otherwise
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/parley.sqlite"})
        from flask_migrate import upgrade

        with app.app_context():
            upgrade()
    finally:
        os.umask(old)
    path = tmp_path / "parley.sqlite"
    assert path.stat().st_size > 0  # a real database, not just an empty file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_parley_serve_does_not_announce_the_server_software(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite",
           "SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": "memory://"}
    server = subprocess.Popen([sys.executable, "-c", "from webapp.cli import main; main()",
                               "serve", "--port", str(port),
                               "--threads", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    headers = r.headers
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert "Server" not in headers
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=30)
