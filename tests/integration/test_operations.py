"""Running Parley on several machines (issue 11): production settings checked at
start, /readyz, request ids, JSON log lines."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import config
from webapp.logs import JsonFormatter, request_id_from

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"PARLEY_ENV": "production", "SECRET_KEY": "k" * 32,
        "DATABASE_URL": "postgresql://db.internal/parley",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "PARLEY_ENCRYPTION_KEYS": "mBX5epyDeVngyC3NRKra1obOzlVoV7MBxdd3bq0YQNU="}


@pytest.mark.parametrize(("change", "named"), [
    ({"SECRET_KEY": None}, "SECRET_KEY"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"DATABASE_URL": None}, "DATABASE_URL"),
    ({"DATABASE_URL": "sqlite:////srv/parley.sqlite"}, "DATABASE_URL"),
    ({"RATELIMIT_STORAGE_URI": None}, "RATELIMIT_STORAGE_URI"),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI"),
    ({"PARLEY_ENCRYPTION_KEYS": None}, "PARLEY_ENCRYPTION_KEYS"),
])
def test_production_refuses_to_start_without_what_it_needs(monkeypatch, tmp_path, change, named):
    for name, value in {**GOOD, **change}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigError) as refused:
        config.load(str(tmp_path))
    assert named in str(refused.value)
    assert "production" in str(refused.value)


def test_production_starts_with_everything_set(monkeypatch, tmp_path):
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    cfg = config.load(str(tmp_path))
    assert cfg["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()  # the shared secret, not a local one


def test_development_still_starts_on_sqlite_with_nothing_set(monkeypatch, tmp_path):
    for name in GOOD:
        monkeypatch.delenv(name, raising=False)
    assert config.load(str(tmp_path))["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


def test_parley_serve_in_production_on_sqlite_stops_with_the_reason(tmp_path):
    env = {**os.environ, **GOOD, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"}
    done = subprocess.run([sys.executable, "-c", "from webapp.cli import main; main()",
                           "serve", "--port", "5999"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "DATABASE_URL" in done.stderr and "Traceback" not in done.stderr


def test_readyz_checks_the_database_and_the_configured_redis(make_app):
    app = make_app()
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ready", "checks": {"database": "ok"}}


def test_readyz_is_503_naming_a_redis_that_does_not_answer(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_ENABLED=True,
                   RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"]["queue"] == "failed"
    assert answer.json["checks"]["database"] == "ok"
    assert "127.0.0.1:1" not in answer.get_data(as_text=True)  # no URL in the answer


def test_every_answer_carries_a_request_id_and_a_proxys_sane_one_is_kept(client):
    mine = client.get("/healthz")
    assert len(mine.headers["X-Request-Id"]) == 16
    kept = client.get("/healthz", headers={"X-Request-Id": "proxy-1234abcd"})
    assert kept.headers["X-Request-Id"] == "proxy-1234abcd"
    forged = client.get("/healthz", headers={"X-Request-Id": "x\\n{\"level\": \"error\"}"})
    assert forged.headers["X-Request-Id"] != "x\\n{\"level\": \"error\"}"
    assert request_id_from("short") != "short"


def test_each_request_is_one_json_line_with_its_id_and_no_query_values(client, caplog):
    formatter = JsonFormatter()
    with caplog.at_level(logging.INFO, logger="parley.request"):
        answer = client.get("/healthz?email=someone@example.com",
                            headers={"X-Request-Id": "req-abcdef12"})
    [record] = [r for r in caplog.records if r.name == "parley.request"]
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "req-abcdef12" == answer.headers["X-Request-Id"]
    assert line["path"] == "/healthz" and line["status"] == 200 and line["method"] == "GET"
    assert line["level"] == "info" and isinstance(line["ms"], float)
    assert "example.com" not in formatter.format(record)


def test_a_log_line_made_during_a_request_carries_its_id(client, app, caplog):
    @app.get("/_test_logs")
    def _logs():
        logging.getLogger("parley.test").warning("paid %s", "+44 7700 900123")
        return "ok"

    with caplog.at_level(logging.INFO):
        client.get("/_test_logs", headers={"X-Request-Id": "req-12345678"})
    [record] = [r for r in caplog.records if r.name == "parley.test"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-12345678"
    assert "7700" not in line["message"]  # still redacted
