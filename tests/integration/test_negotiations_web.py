"""The negotiation record on the web: the creditors on the case page, a
creditor's page, recording replies, agreements and payments, and the record in
the case file."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import today_gb
from tests.unit.record_builders import accepted, case_file, debt, event, payment, sent
from webapp.extensions import db
from webapp.models import NegotiationEvent


def ago(days: int) -> str:
    return (today_gb() - timedelta(days=days)).isoformat()


@pytest.fixture
def case_url(client, auth):
    """A GB case (1000 a month available) with three creditors at different stages."""
    auth.register()
    data = case_file(
        [debt("a", "1000"), debt("b", "3000"), debt("c", "6000")],
        negotiations=[
            {"debt_id": "a", "events": [sent(ago(60))]},                       # no reply
            {"debt_id": "b", "events": [sent(ago(20)), accepted(ago(15), "300.00", ago(10))]},
        ])
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def test_the_case_page_shows_every_creditor_overdue_first(client, case_url):
    page = client.get(case_url).get_data(as_text=True)
    section = page[page.index('id="creditors"'):]
    assert "1 agreed payment is overdue: pay it or tell the creditor now." in section
    # a (no reply, overdue) and b (a missed payment, overdue) before c (not contacted)
    assert section.index("Creditor a") < section.index("Creditor c")
    assert section.index("Creditor b") < section.index("Creditor c")
    assert "Agreed: payment missed" in section and "No reply" in section
    assert "Not written to yet" in section


def test_a_creditor_page_shows_the_agreement_and_its_arrears(client, case_url):
    page = client.get(f"{case_url}/creditors/b").get_data(as_text=True)
    assert "Agreed: payment missed" in page
    assert 'data-figure="arrears"><span class="amount ">£300.00' in page
    assert 'data-figure="remaining"><span class="amount ">£3,000.00' in page


def record(client, case_url, ref, **data):
    return client.post(f"{case_url}/creditors/{ref}", data={"on": today_gb().isoformat(), **data})


def test_counter_offer_then_accept_then_pay(app, client, case_url):
    response = record(client, case_url, "a", type="counter_offer", monthly="150", channel="phone",
                      notes="asked for 150")
    assert response.status_code == 303
    page = client.get(f"{case_url}/creditors/a").get_data(as_text=True)
    assert "They made a counter-offer" in page
    assert "Your budget still holds" in page
    # the re-plan: a locked at 150, b at its agreed 300, c gets the remaining 550
    assert "£550.00" in page

    assert record(client, case_url, "a", type="accepted", monthly="150",
                  first_payment=today_gb().isoformat()).status_code == 303
    assert record(client, case_url, "a", type="payment", amount="150").status_code == 303
    page = client.get(f"{case_url}/creditors/a").get_data(as_text=True)
    assert "Agreed: paying" in page
    assert 'data-figure="paid"><span class="amount ">£150.00' in page

    exported = json.loads(client.get(f"{case_url}/export").data)
    events = next(n for n in exported["negotiations"] if n["debt_id"] == "a")["events"]
    assert [e["type"] for e in events] == ["sent", "counter_offer", "accepted", "payment"]
    assert events[1] == {"on": today_gb().isoformat(), "type": "counter_offer", "monthly": "150.00",
                         "channel": "phone", "notes": "asked for 150"}


def test_the_status_on_the_page_is_the_apis(client, case_url):
    exported = client.get(f"{case_url}/export").data
    api = client.post(f"/api/v1/status?today={today_gb().isoformat()}", data=exported).json
    by = {c["debt_id"]: c for c in api["creditors"]}
    assert (by["a"]["status"], by["b"]["status"], by["c"]["status"]) == (
        "no_reply", "in_arrears", "not_contacted")


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"type": "payment", "amount": "10"}, "type", "Choose one of the options."),
    ({"type": "counter_offer", "monthly": ""}, "monthly", "Fill this in"),
    ({"type": "counter_offer", "monthly": "0"}, "monthly", "Must be more than 0."),
    ({"type": "rejected", "on": "2099-01-01"}, "on", "after today"),
])
def test_a_bad_record_names_the_field_and_saves_nothing(app, client, case_url, data, field,
                                                        message):
    with app.app_context():
        before = db.session.scalar(select(func.count(NegotiationEvent.id)))
    response = record(client, case_url, "a", **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    with app.app_context():
        assert db.session.scalar(select(func.count(NegotiationEvent.id))) == before


def test_no_payment_once_paid_in_full(client, case_url):
    assert record(client, case_url, "b", type="payment", amount="3000").status_code == 303
    page = client.get(f"{case_url}/creditors/b").get_data(as_text=True)
    assert "Paid off" in page and "the agreement is paid in full" in page
    assert record(client, case_url, "b", type="payment", amount="1").status_code == 422


def test_a_debt_with_a_history_is_not_deleted(app, client, case_url):
    from webapp.models import Debt

    with app.app_context():
        debt_id = db.session.scalar(select(Debt.id).where(Debt.ref == "b"))
    response = client.post(f"{case_url}/debts/{debt_id}/delete")
    assert response.status_code == 303
    assert "kept with its history" in client.get(case_url).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Debt, debt_id) is not None


def test_another_user_gets_404(client, case_url, auth):
    auth.logout()
    auth.register(email="other@example.com")
    assert client.get(f"{case_url}/creditors/a").status_code == 404
    assert record(client, case_url, "a", type="rejected").status_code == 404


def test_an_unknown_creditor_is_404(client, case_url):
    assert client.get(f"{case_url}/creditors/nobody").status_code == 404


def test_the_pages_are_in_chinese(client, case_url):
    client.post("/language", data={"lang": "zh_CN"})
    page = client.get(f"{case_url}/creditors/b").get_data(as_text=True)
    assert "已达成协议：有逾期" in page and "记录进展" in page


def test_marking_a_letter_sent_records_the_letter_in_the_negotiation(app, client, auth):
    auth.register(email="writer@example.com")
    data = case_file([debt("a", "1000", account_ref="A-1"), debt("b", "3000", account_ref="B-2")])
    data["borrower"] = {"name": "Sam Example", "address": "1 High Street, Leeds"}
    case_url = client.post("/cases/import", data={"text": json.dumps(data)}).location
    saved = client.post(f"{case_url}/plan", data={"strategy": "pro_rata"})
    assert saved.status_code in (302, 303), saved.get_data(as_text=True)
    from webapp.models import Proposal

    with app.app_context():
        proposal_id = db.session.scalar(select(Proposal.public_id))
    letters_url = f"{case_url}/proposals/{proposal_id}/letters"
    assert client.post(letters_url, data={"letter_type": "proposal", "language": "en"}
                       ).status_code in (302, 303)
    from webapp.models import Letter

    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.debt_ref == "a"))
        letter_id = letter.public_id
    response = client.post(f"{case_url}/letters/{letter_id}/mark-sent",
                           data={"channel": "post", "sent_on": today_gb().isoformat()})
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    with app.app_context():
        events = db.session.scalars(select(NegotiationEvent)).all()
        assert [(e.debt_ref, e.type, e.letter, e.channel) for e in events] == [
            ("a", "sent", "proposal", "post")]
        # 1000 a month shared 1000 : 3000 → a is offered 250
        assert events[0].offer_monthly == Decimal("250.00")
    page = client.get(f"{case_url}/creditors/a").get_data(as_text=True)
    assert "Waiting for their reply" in page


def test_a_reply_before_any_letter_is_refused_with_a_message(client, case_url):
    response = record(client, case_url, "c", type="rejected")
    assert response.status_code == 422


_ = (event, payment, date)
