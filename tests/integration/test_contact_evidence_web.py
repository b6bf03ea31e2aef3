"""Editing a contact keeps the original; the log as evidence (PDF, CSV, JSON)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from tests.unit.record_builders import case_file, debt
from webapp.models.types import local_date, now_utc


@pytest.fixture
def cn_case(client, auth):
    auth.register()
    data = case_file([debt("cmb", "38000")], jurisdiction="CN")
    data["currency"] = "CNY"
    data["borrower"] = {"name": "王小明"}
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302
    return response.location


def day(n=2):
    return (local_date(now_utc(), "CN") - timedelta(days=n)).isoformat()


def log(client, url, **data):
    form = {"on": day(), "at": "22:30", "channel": "call", "party": "borrower",
            "debt_ref": "cmb", "collector": "", "notes": ""}
    return client.post(f"{url}/contacts", data={**form, **data})


def edit_url(client, url):
    page = client.get(f"{url}/contacts").get_data(as_text=True)
    return re.search(r'href="([^"]+/edit)"', page).group(1)


def test_editing_keeps_the_original_and_shows_it(client, cn_case):
    log(client, cn_case, at="22:30", party="family", notes="打给我母亲")
    url = edit_url(client, cn_case)
    assert client.get(url).status_code == 200
    response = client.post(url, data={"on": day(), "at": "21:30", "channel": "call",
                                       "party": "borrower", "debt_ref": "cmb",
                                       "collector": "外包催收公司", "notes": "打给我"})
    assert response.status_code == 303
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    history = page[page.index('<details class="contact-history">'):page.index("</details>")]
    assert "Edited" in history and "Original" in history
    assert "22:30" in history and "打给我母亲" in history and "My family" in history
    # the current values count: no night call, no third party any more
    assert "Contact between 10 p.m. and 8 a.m." not in page
    # the case file keeps the current values only (the contract has no history field)
    [entry] = json.loads(client.get(f"{cn_case}/export").data)["contacts"]
    assert entry["at"].endswith("T21:30:00+08:00") and entry["notes"] == "打给我"


def test_a_second_edit_keeps_every_earlier_version(client, cn_case):
    log(client, cn_case, at="22:30")
    url = edit_url(client, cn_case)
    form = {"on": day(), "channel": "call", "party": "borrower", "debt_ref": "cmb"}
    client.post(url, data={**form, "at": "21:00"})
    client.post(url, data={**form, "at": "20:00"})
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    assert "2 earlier versions" in page
    history = page[page.index('<details class="contact-history">'):page.index("</details>")]
    assert history.index("22:30") < history.index("21:00")


def test_an_edit_that_changes_nothing_is_not_a_version(client, cn_case):
    log(client, cn_case, at="22:30")
    url = edit_url(client, cn_case)
    client.post(url, data={"on": day(), "at": "22:30", "channel": "call", "party": "borrower",
                           "debt_ref": "cmb"})
    assert "contact-history" not in client.get(f"{cn_case}/contacts").get_data(as_text=True)


def test_a_bad_edit_names_the_field_and_changes_nothing(client, cn_case):
    log(client, cn_case, at="22:30")
    url = edit_url(client, cn_case)
    response = client.post(url, data={"on": "2099-01-01", "at": "10:00", "channel": "call",
                                      "party": "borrower", "debt_ref": "cmb"})
    assert response.status_code == 422 and 'id="on-error"' in response.get_data(as_text=True)
    [entry] = json.loads(client.get(f"{cn_case}/export").data)["contacts"]
    assert entry["at"].endswith("T22:30:00+08:00")


def test_no_delete_is_offered(client, cn_case):
    log(client, cn_case)
    url = edit_url(client, cn_case)
    assert client.delete(url).status_code == 405
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True).lower()
    assert "delete" not in page


def test_the_summary_is_a_sentence(client, cn_case):
    for at in ("20:00", "21:00", "22:10", "23:00"):
        log(client, cn_case, at=at, collector="外包催收公司")
    log(client, cn_case, at="22:40", party="family", collector="外包催收公司")
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    assert "5 calls in 1 day, 3 after 10:00\u202fPM, 1 to my family." in page
    log(client, cn_case, on=day(3), at="07:00", channel="sms", collector="外包催收公司")
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    assert ("6 contacts in 2 days, 5 of them calls, up to 5 calls in one day, "
            "3 after 10:00\u202fPM, 1 before 8:00\u202fAM, 1 to my family.") in page
    client.post("/language", data={"lang": "zh_CN"})
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    assert ("2 天内 6 次联系，其中 5 通是电话，一天最多 5 通电话，3 次在 22:00 之后，"
            "1 次在 08:00 之前，1 次联系了我的家人。") in page


def test_the_json_is_the_case_files_contacts_plus_breaches(client, cn_case):
    log(client, cn_case, at="22:30", party="family", connected="y", notes="打给我母亲")
    log(client, cn_case, at="10:00")
    response = client.get(f"{cn_case}/contacts/evidence.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.data)
    case_file_ = json.loads(client.get(f"{cn_case}/export").data)
    assert data["contacts"] == case_file_["contacts"]
    status = client.post("/api/v1/status", data=json.dumps(case_file_)).json
    assert data["breaches"] == status["breaches"] == [
        {"contact": 0, "rule": "cn.night"}, {"contact": 0, "rule": "cn.third_party"}]
    assert data["rules"]["cn.night"]["statutory"] is False
    assert "第六十八条" in data["rules"]["cn.third_party"]["source"]


def test_the_csv_cannot_run_formulas(client, cn_case):
    log(client, cn_case, collector="=HYPERLINK(\"http://evil\")", notes="+1 555 0100")
    log(client, cn_case, at="10:00", collector="@SUM(A1)", notes="-2 calls")
    response = client.get(f"{cn_case}/contacts/evidence.csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r["collector"] for r in rows] == ["'=HYPERLINK(\"http://evil\")", "'@SUM(A1)"]
    assert [r["notes"] for r in rows] == ["'+1 555 0100", "'-2 calls"]
    assert rows[0]["rules"] == "cn.night" and "GB/T 45251-2025" in rows[0]["sources"]
    assert rows[0]["at"].endswith("T22:30:00+08:00")


def pdf_text(data: bytes) -> str:
    """The PDF's text with runs of white space as one space (table cells wrap)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_the_pdf_has_the_rows_the_sources_and_the_digest(client, cn_case):
    log(client, cn_case, at="22:30", party="family", notes="called my mother")
    log(client, cn_case, at="10:00", notes="asked for payment")
    response = client.get(f"{cn_case}/contacts/evidence.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.data)
    assert "王小明" in text and "Collection contacts: evidence" in text
    assert f"{day()} 22:30 +08:00" in text and f"{day()} 10:00 +08:00" in text
    assert "called my mother" in text and "asked for payment" in text
    assert "GB/T 45251-2025" in text and "[guideline]" in text
    assert "《商业银行信用卡业务监督管理办法》第六十八条" in text.replace(" ", "")
    # time order: the morning call first
    assert text.index("asked for payment") < text.index("called my mother")
    raw = client.get(f"{cn_case}/contacts/evidence.json").data
    assert f"SHA-256 of the JSON export of this log: {hashlib.sha256(raw).hexdigest()}" in text


def test_the_pdf_in_chinese(client, cn_case):
    client.post("/language", data={"lang": "zh_CN"})
    log(client, cn_case, at="22:30", party="family")
    text = pdf_text(client.get(f"{cn_case}/contacts/evidence.pdf").data)
    assert "催收联系记录" in text and "晚上10点至早上8点之间联系" in text and "[指引]" in text


@pytest.mark.parametrize("path", ["/contacts/evidence.pdf", "/contacts/evidence.csv",
                                  "/contacts/evidence.json"])
def test_another_user_gets_404_and_a_stranger_logs_in(client, cn_case, auth, path):
    log(client, cn_case)
    url = edit_url(client, cn_case)
    auth.logout()
    assert client.get(cn_case + path).status_code in (302, 401)
    auth.register(email="other@example.com")
    assert client.get(cn_case + path).status_code == 404
    assert client.get(url).status_code == 404
    assert client.post(url, data={"on": day(), "at": "10:00", "channel": "call",
                                  "party": "borrower"}).status_code == 404
