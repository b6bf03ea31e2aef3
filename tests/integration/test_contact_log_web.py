"""The collection-contact log on the web: logging, the offset kept, breaches shown."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.unit.record_builders import case_file, debt
from webapp.models.types import local_date, now_utc


@pytest.fixture
def cn_case(client, auth):
    auth.register()
    data = case_file([debt("cmb", "38000")], jurisdiction="CN")
    data["currency"] = "CNY"
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302
    return response.location


def log(client, url, **data):
    day = (local_date(now_utc(), "CN") - timedelta(days=2)).isoformat()
    form = {"on": day, "at": "22:30", "channel": "call", "party": "borrower", "debt_ref": "cmb",
            "collector": "", "notes": ""}
    return client.post(f"{url}/contacts", data={**form, **data})


def test_a_night_call_to_my_mother_is_flagged_twice(client, cn_case):
    assert log(client, cn_case, party="family", connected="y", collector="外包催收公司",
               notes="打给我母亲").status_code == 303
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    assert "Contact between 10 p.m. and 8 a.m." in page
    assert "Contacted someone other than you" in page
    assert "GB/T 45251-2025" in page and "第六十八条" in page
    assert "1 to my family" in page


def test_the_offset_where_the_borrower_lives_is_kept_in_the_export(client, cn_case):
    log(client, cn_case, at="07:59")
    exported = json.loads(client.get(f"{cn_case}/export").data)
    assert exported["contacts"][0]["at"].endswith("T07:59:00+08:00")
    status = client.post("/api/v1/status", data=json.dumps(exported)).json
    assert status["breaches"] == [{"contact": 0, "rule": "cn.night"}]


def test_a_daytime_call_to_me_breaks_nothing(client, cn_case):
    log(client, cn_case, at="10:00")
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    assert "No rule broken in what is logged." in page


def test_the_fourth_answered_call_of_a_day(client, cn_case):
    for hour in ("09:00", "10:00", "11:00", "12:00"):
        assert log(client, cn_case, at=hour, connected="y").status_code == 303
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    assert "More than 3 answered calls in one day" in page


@pytest.mark.parametrize(("data", "field"), [
    ({"channel": "pigeon"}, "channel"),
    ({"party": "neighbour"}, "party"),
    ({"at": ""}, "at"),
    ({"debt_ref": "nope"}, "debt_ref"),
    ({"on": "2099-01-01"}, "on"),
])
def test_bad_input_names_the_field_and_logs_nothing(client, cn_case, data, field):
    response = log(client, cn_case, **data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert "contacts" not in json.loads(client.get(f"{cn_case}/export").data)


def test_another_user_gets_404(client, cn_case, auth):
    auth.logout()
    auth.register(email="other@example.com")
    assert client.get(f"{cn_case}/contacts").status_code == 404
    assert log(client, cn_case).status_code == 404


def test_the_log_is_in_chinese(client, cn_case):
    client.post("/language", data={"lang": "zh_CN"})
    log(client, cn_case, party="family")
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    assert "催收联系记录" in page and "晚上10点至早上8点之间联系" in page
