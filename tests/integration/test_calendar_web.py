"""A case's dates as an .ics download and as a private, revocable subscription."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import today_gb
from tests.unit.record_builders import accepted, case_file, debt, sent
from webapp.extensions import db
from webapp.models import CalendarLink


def ago(days: int) -> str:
    return (today_gb() - timedelta(days=days)).isoformat()


@pytest.fixture
def case_url(client, auth):
    """A GB case: a waits for a reply; b pays 100.00 a month from 10 days ago on
    (1000 in all: ten payments), c ("C; Bank, Ltd") was written to 3 days ago."""
    auth.register()
    data = case_file(
        [debt("a", "1000"), debt("b", "1000"), debt("c", "6000", creditor="C; Bank, Ltd")],
        negotiations=[
            {"debt_id": "a", "events": [sent(ago(5))]},
            {"debt_id": "b", "events": [sent(ago(20)), accepted(ago(15), "100.00", ago(10))]},
            {"debt_id": "c", "events": [sent(ago(3))]},
        ])
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def events(body: str) -> list[dict]:
    out, current = [], None
    for line in unfold(body):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            out.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return out


def test_the_download_lists_every_payment_and_the_reply_date(client, case_url):
    response = client.get(f"{case_url}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment")
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    found = events(body)
    payments = [e for e in found if "Creditor b" in e["SUMMARY"]]
    assert len(payments) == 10  # 1000 at 100 a month, the first one overdue
    assert payments[0]["SUMMARY"] == "Parley: pay £100.00 to Creditor b"
    first = today_gb() - timedelta(days=10)
    assert payments[0]["DTSTART;VALUE=DATE"] == first.strftime("%Y%m%d")
    reply = [e for e in found if "Creditor a" in e["SUMMARY"]]
    assert [e["DTSTART;VALUE=DATE"] for e in reply] == [
        (today_gb() + timedelta(days=25)).strftime("%Y%m%d")]
    assert all(re.fullmatch(r"\d{8}T\d{6}Z", e["DTSTAMP"]) for e in found)


def test_uids_stay_the_same_from_one_download_to_the_next(client, case_url):
    first = [e["UID"] for e in events(client.get(f"{case_url}/calendar.ics").get_data(True))]
    again = [e["UID"] for e in events(client.get(f"{case_url}/calendar.ics").get_data(True))]
    assert first == again and len(set(first)) == len(first) == 12


def test_the_case_page_links_the_download_and_offers_a_link(client, case_url):
    page = client.get(case_url).get_data(as_text=True)
    section = page[page.index('id="creditors"'):]
    assert f'href="{case_url.removeprefix("http://localhost")}/calendar.ics"' in section
    assert "Create a calendar link" in section and "Revoke the link" not in section


def feed_path(client, case_url) -> str:
    response = client.post(f"{case_url}/calendar/link")
    assert response.status_code == 200
    url = re.search(r'value="(http://localhost/calendar/[^"]+\.ics)"',
                    response.get_data(as_text=True)).group(1)
    return url.removeprefix("http://localhost")


def test_a_subscription_link_works_without_login_and_stores_only_a_hash(client, auth,
                                                                         case_url, app):
    path = feed_path(client, case_url)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    with app.app_context():
        stored = db.session.scalars(select(CalendarLink.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0]
    assert "Revoke the link" in client.get(case_url).get_data(as_text=True)
    auth.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Parley: pay £100.00 to Creditor b" in response.get_data(as_text=True)


def test_a_revoked_or_unknown_token_is_404(client, case_url):
    path = feed_path(client, case_url)
    assert client.post(f"{case_url}/calendar/revoke").status_code == 303
    assert client.get(path).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert "Create a calendar link" in client.get(case_url).get_data(as_text=True)


def test_a_new_link_replaces_the_old_one(client, case_url):
    old = feed_path(client, case_url)
    new = feed_path(client, case_url)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_another_users_case_is_404(client, auth, case_url):
    auth.logout()
    auth.register(email="other@example.com")
    assert client.get(f"{case_url}/calendar.ics").status_code == 404
    assert client.post(f"{case_url}/calendar/link").status_code == 404
    assert client.post(f"{case_url}/calendar/revoke").status_code == 404


def test_the_download_needs_a_login(client, case_url, auth):
    auth.logout()
    response = client.get(f"{case_url}/calendar.ics")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_text_is_escaped_in_the_file(client, case_url):
    body = client.get(f"{case_url}/calendar.ics").get_data(as_text=True)
    assert "C\\; Bank\\, Ltd" in "".join(unfold(body))


def test_the_feed_speaks_the_owners_language(client, case_url, app):
    from sqlalchemy import update

    from webapp.models import User

    path = feed_path(client, case_url)
    with app.app_context():
        db.session.execute(update(User).values(locale="zh_CN"))
        db.session.commit()
    body = "".join(unfold(client.get(path).get_data(as_text=True)))
    assert "SUMMARY:Parley：向Creditor b还款 £100.00" in body


def _feed_rows(app) -> list:
    from webapp.models import AuditEvent

    with app.app_context():
        return [(e.action, e.via, e.actor_id, e.actor_email) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.via == "calendar").order_by(AuditEvent.id))]


def test_a_feed_fetch_is_in_the_audit_log_once_a_day_whatever_the_polling(
        client, auth, case_url, app):
    from sqlalchemy import update

    path = feed_path(client, case_url)
    auth.logout()
    for _ in range(5):  # a calendar app polling every 15 minutes
        assert client.get(path).status_code == 200
    assert _feed_rows(app) == [("export", "calendar", None, "")]
    # the next day, one more row
    with app.app_context():
        db.session.execute(update(CalendarLink).values(
            audited_on=today_gb() - timedelta(days=1)))
        db.session.commit()
    client.get(path)
    client.get(path)
    assert len(_feed_rows(app)) == 2
    # a new link is a new feed: its first fetch today is noted too
    auth.login()
    path = feed_path(client, case_url)
    auth.logout()
    client.get(path)
    assert len(_feed_rows(app)) == 3
    # unknown and revoked tokens write nothing
    client.get("/calendar/not-a-token.ics")
    assert len(_feed_rows(app)) == 3


def test_the_owner_sees_the_feed_in_the_activity_log_and_the_api(client, auth, case_url, app):
    path = feed_path(client, case_url)
    client.get(path)
    page = client.get(f"{case_url}/activity").get_data(as_text=True)
    assert "your calendar link (first fetch of the day)" in page
    assert "calendar link</td>" in page
    from tests.factories import bearer, make_token

    token = make_token(app, "borrower@example.com")
    case_id = case_url.rsplit("/", 1)[1]
    events = client.get(f"/api/v1/cases/{case_id}/audit", headers=bearer(token)).get_json()
    assert {"actor": "calendar-link", "action": "export"} in [
        {k: e[k] for k in ("actor", "action")} for e in events["events"]]
    assert path.removeprefix("/calendar/").removesuffix(".ics") not in page
