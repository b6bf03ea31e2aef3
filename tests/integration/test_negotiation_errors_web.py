"""A negotiation event the domain refuses is explained in the page's language
(issue 8): the domain's error codes are turned into translated text at the
web edge, while the API and the CLI keep the contract's English messages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.factories import today_gb
from tests.unit.record_builders import accepted, case_file, debt, sent
from webapp.domain.errors import FieldError


def ago(days: int) -> str:
    return (today_gb() - timedelta(days=days)).isoformat()


@pytest.fixture
def case_url(client, auth):
    auth.register()
    data = case_file([debt("a", "1000"), debt("b", "3000")], negotiations=[
        {"debt_id": "a", "events": [sent(ago(20)), accepted(ago(10), "100.00", ago(5))]}])
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/language", data={"lang": "zh_CN"})
    return response.location


@pytest.mark.parametrize(("data", "field", "chinese", "english"), [
    ({"type": "payment", "amount": "100", "on": ago(15)}, "on",
     f"这个日期早于上一条记录（{today_gb() - timedelta(days=10):%Y年%-m月%-d日}）",
     "is before the event above it"),
    ({"type": "payment", "amount": "100", "on": "2099-01-01"}, "on",
     "这个日期晚于今天：请只记录已经发生的事。", "after today"),
    ({"type": "payment", "amount": "100.123"}, "amount", None, "decimal places"),
])
def test_a_refused_event_is_explained_in_chinese(client, case_url, data, field, chinese,
                                                 english):
    response = client.post(f"{case_url}/creditors/a", data={"on": today_gb().isoformat(), **data})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page[page.index(f'id="{field}-error"'):][:300]
    assert english not in page
    if chinese is not None:
        assert chinese in error


def test_every_code_the_domain_gives_has_chinese_text(app):
    """Each refusal of the transition table, with the names filled in."""
    from webapp.blueprints.negotiations.errors import MESSAGES, error_text

    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        from flask import session

        session["lang"] = "zh_CN"
        text = error_text(FieldError("type", "payment cannot follow a negotiation that is "
                                             "rejected", "transition",
                                     {"event": "payment", "status": "rejected"}))
        assert text == "现在不能记录“已还款”：与该债权人的协商目前处于“对方拒绝”。"
        for code in MESSAGES:
            params = {"event": "payment", "status": "rejected", "before": "2027-01-05",
                      "max": 12000, "months": 100, "amount": "1.50"}
            rendered = error_text(FieldError("x", "english", code, params))
            assert rendered and not any(w in rendered for w in ("must", "cannot", "the "))
        assert "请检查日期和金额" in error_text(FieldError("x", "no code"))


def test_the_api_keeps_the_contract_english_whatever_the_page_language(client, case_url):
    data = case_file([debt("a", "1000")], negotiations=[
        {"debt_id": "a", "events": [sent("2027-01-05"),
                                    {"on": "2027-01-06", "type": "payment", "amount": "1"}]}])
    response = client.post("/api/v1/status?today=2027-02-01", json=data,
                           headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 422
    assert response.json == [{"path": "negotiations[0].events[1].type",
                              "message": "payment cannot follow a negotiation that is "
                                         "awaiting_reply"}]


def test_error_codes_do_not_change_what_an_error_equals():
    assert FieldError("on", "is after today", "after_today") == FieldError("on",
                                                                          "is after today")
