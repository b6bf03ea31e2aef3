"""POST /api/v1/plan keeps its answers per process (webapp/answer_cache.py): the
same body and schedule form give the same bytes without the plan being computed
again; anything else is computed; errors are never kept; memory stays bounded."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from webapp.answer_cache import AnswerCache
from webapp.blueprints.api import routes

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "gb-family.json"


@pytest.fixture
def computed(monkeypatch):
    """Counts the plans actually computed."""
    counts = {"plans": 0}
    real = routes.make_plan

    def counting(*args, **kwargs):
        counts["plans"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(routes, "make_plan", counting)
    return counts


def post(client, body: bytes, query: str = ""):
    return client.post(f"/api/v1/plan{query}", data=body, content_type="application/json")


def test_the_same_case_file_is_answered_once_computed(make_app, computed):
    app = make_app()
    client = app.test_client()
    body = EXAMPLE.read_bytes()
    first = post(client, body)
    second = post(client, body)
    assert first.status_code == second.status_code == 200
    assert second.get_data() == first.get_data()
    assert second.headers["Content-Type"] == first.headers["Content-Type"] == "application/json"
    assert computed["plans"] == 1
    assert app.extensions["plan_answers"].hits == 1


def test_another_body_or_schedule_form_is_computed(make_app, computed):
    client = make_app().test_client()
    body = EXAMPLE.read_bytes()
    monthly = post(client, body).json
    yearly = post(client, body, "?schedule=yearly").json
    assert yearly["schedule"] == "yearly" and "schedule" not in monthly
    changed = json.loads(body)
    changed["debts"][0]["balance"] = str(Decimal(changed["debts"][0]["balance"]) + 100)
    other = post(client, json.dumps(changed).encode()).json
    assert other != monthly
    assert computed["plans"] == 3
    # the same bytes again, in either form: kept
    assert post(client, body, "?schedule=yearly").json == yearly
    assert computed["plans"] == 3


def test_errors_are_never_kept(make_app):
    app = make_app()
    client = app.test_client()
    bad = json.loads(EXAMPLE.read_text())
    bad["currency"] = "pounds"
    data = json.dumps(bad).encode()
    assert post(client, data).status_code == 422
    assert post(client, b"{").status_code == 400
    assert post(client, data).status_code == 422
    assert len(app.extensions["plan_answers"]) == 0
    assert post(client, EXAMPLE.read_bytes()).status_code == 200
    assert len(app.extensions["plan_answers"]) == 1


def test_switched_off_it_computes_every_time(make_app, computed):
    app = make_app(PLAN_CACHE_BYTES=0)
    assert "plan_answers" not in app.extensions
    client = app.test_client()
    for _ in range(2):
        assert post(client, EXAMPLE.read_bytes()).status_code == 200
    assert computed["plans"] == 2


def test_memory_is_bounded_by_the_answers_size():
    cache = AnswerCache(100)
    cache.put(("a",), b"x" * 20)
    cache.put(("b",), b"y" * 20)
    assert cache.get(("a",)) == b"x" * 20  # a is now the most recent
    cache.put(("c",), b"z" * 25)
    cache.put(("d",), b"w" * 25)
    cache.put(("e",), b"v" * 25)  # 115 bytes: b, the least recent, goes
    assert cache.get(("b",)) is None
    assert all(cache.get((k,)) is not None for k in "acde")
    cache.put(("huge",), b"h" * 26)  # over a quarter of the cache: never kept
    assert cache.get(("huge",)) is None
