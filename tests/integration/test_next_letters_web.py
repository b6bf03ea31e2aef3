"""The next step from a creditor's page (issue 8): the letter each status calls
for, preselected on the proposal's letters page, and the answers to a
counter-offer (accept their figure, counter with another, refuse)."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import today_gb
from tests.unit.record_builders import accepted, case_file, debt, event, sent
from webapp.extensions import db
from webapp.formatting import format_day
from webapp.models import Letter, NegotiationEvent, Proposal


def ago(days: int) -> str:
    return (today_gb() - timedelta(days=days)).isoformat()


@pytest.fixture
def case_url(app, client, auth):
    """A GB case with a saved pro-rata proposal and a creditor at each status."""
    auth.register()
    refs = ("quiet", "refused", "twice", "asked", "phoned", "counter")
    data = case_file(
        [debt(ref, "1000", account_ref=f"{ref.upper()}-1") for ref in refs],
        income="1200",
        negotiations=[
            {"debt_id": "quiet", "events": [sent(ago(60))]},
            {"debt_id": "refused", "events": [sent(ago(20)), event(ago(10), "rejected")]},
            {"debt_id": "twice", "events": [
                sent(ago(50)), event(ago(40), "rejected"), sent(ago(30), "reconsider"),
                event(ago(12), "rejected")]},
            {"debt_id": "asked", "events": [sent(ago(20)), event(ago(10), "info_requested")]},
            {"debt_id": "phoned", "events": [
                sent(ago(20)), accepted(ago(9), "150", ago(-5), channel="phone")]},
            {"debt_id": "counter", "events": [
                sent(ago(20)), event(ago(5), "counter_offer", monthly="300")]},
        ])
    data["borrower"] = {"name": "Sam Example", "address": "1 High Street, Leeds"}
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302, response.get_data(as_text=True)
    url = response.location
    saved = client.post(f"{url}/plan", data={"strategy": "pro_rata"})
    assert saved.status_code in (302, 303), saved.get_data(as_text=True)
    return url


def next_letter_href(client, case_url, ref) -> str | None:
    page = client.get(f"{case_url}/creditors/{ref}").get_data(as_text=True)
    found = re.search(r'<p id="next-letter"><a role="button" href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize(("ref", "letter_type"), [
    ("quiet", "follow_up"),         # no reply
    ("refused", "reconsider"),      # refused
    ("twice", "complaint"),         # refused twice
    ("asked", "information"),       # information requested
    ("phoned", "confirmation"),     # agreed by phone
])
def test_each_status_has_its_next_letter_preselected(client, case_url, ref, letter_type):
    href = next_letter_href(client, case_url, ref)
    assert href is not None and f"debt={ref}" in href and f"type={letter_type}" in href
    page = client.get(href).get_data(as_text=True)
    assert f'<option selected value="{letter_type}">' in page
    assert f'name="debt" type="hidden" value="{ref}"' in page
    assert f"This letter goes to Creditor {ref} only." in page
    hint = "List the documents you enclose in the box for what happened."
    assert (hint in page) == (letter_type == "information")


def test_a_counter_offer_calls_for_an_answer_not_a_letter(client, case_url):
    assert next_letter_href(client, case_url, "counter") is None


def test_the_next_letter_goes_to_that_creditor_only_dated_from_the_record(app, client,
                                                                          case_url):
    href = next_letter_href(client, case_url, "quiet")
    letters_url = href.split("?")[0]
    response = client.post(letters_url, data={"letter_type": "follow_up", "language": "en",
                                              "debt": "quiet"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    with app.app_context():
        letters = db.session.scalars(select(Letter)).all()
        assert [(x.debt_ref, x.letter_type) for x in letters] == [("quiet", "follow_up")]
        assert letters[0].extras == {"sent_on": ago(60)}
        sent_on = format_day(today_gb() - timedelta(days=60), "en_GB")
        assert f"On {sent_on} I wrote to you" in letters[0].html


def test_the_complaint_takes_the_last_refusal_date_from_the_record(app, client, case_url):
    letters_url = next_letter_href(client, case_url, "twice").split("?")[0]
    response = client.post(letters_url, data={"letter_type": "complaint", "language": "en",
                                              "debt": "twice"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.debt_ref == "twice"))
        assert letter.extras == {"refused_on": ago(12)}
        assert "the Financial Ombudsman Service" in letter.html


def test_accepting_their_figure_records_the_agreement(app, client, case_url):
    page = client.get(f"{case_url}/creditors/counter").get_data(as_text=True)
    assert "Accept their figure of £300.00 a month" in page
    first = (today_gb() + timedelta(days=7)).isoformat()
    response = client.post(f"{case_url}/creditors/counter/accept",
                           data={"accept-first_payment": first})
    assert response.status_code == 303
    with app.app_context():
        last = db.session.scalars(select(NegotiationEvent).where(
            NegotiationEvent.debt_ref == "counter").order_by(NegotiationEvent.position)).all()[-1]
        assert (last.type, last.monthly, last.first_payment.isoformat(), last.on) == (
            "accepted", Decimal("300.00"), first, today_gb())
    status = json.loads(client.get(f"{case_url}/export").data)
    record = next(r for r in status["negotiations"] if r["debt_id"] == "counter")
    assert record["events"][-1]["type"] == "accepted"
    assert "Agreed: paying" in client.get(f"{case_url}/creditors/counter").get_data(as_text=True)


def test_accepting_needs_a_first_payment_date_and_a_counter_offer(app, client, case_url):
    assert client.post(f"{case_url}/creditors/counter/accept",
                       data={"accept-first_payment": ""}).status_code == 422
    assert client.post(f"{case_url}/creditors/quiet/accept",
                       data={"accept-first_payment": today_gb().isoformat()}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(NegotiationEvent).where(
            NegotiationEvent.type == "accepted", NegotiationEvent.debt_ref != "phoned")) is None


def test_countering_with_another_figure_shows_its_replan_and_the_letter(client, case_url):
    page = client.get(f"{case_url}/creditors/counter?counter=200").get_data(as_text=True)
    replan = page[page.index('id="counter-replan"'):]
    assert "At £200.00 a month your budget still holds" in replan
    assert "Creditor counter: <span class=\"amount \">£200.00" in replan
    # the button writes the letter carrying the figure (tests/integration/test_counter_letter.py)
    assert "/creditors/counter/counter-letter" in replan
    assert '<input type="hidden" name="counter" value="200">' in replan


def test_a_bad_counter_figure_is_refused_beside_the_field(client, case_url):
    response = client.get(f"{case_url}/creditors/counter?counter=abc")
    assert response.status_code == 422
    assert "Enter a number" in response.get_data(as_text=True)


def test_refusing_records_nothing_and_offers_the_reconsider_letter(app, client, case_url):
    page = client.get(f"{case_url}/creditors/counter").get_data(as_text=True)
    refuse = re.search(r'<a href="([^"]+)">Refuse their figure</a>', page)
    assert refuse is not None
    href = html.unescape(refuse.group(1))
    assert "type=reconsider" in href and "debt=counter" in href
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.public_id in href


def test_the_answers_and_the_next_letter_are_in_chinese(client, case_url):
    client.post("/language", data={"lang": "zh_CN"})
    page = client.get(f"{case_url}/creditors/counter").get_data(as_text=True)
    assert "接受对方提出的每月£300.00" in page and "提出另一个金额" in page
    assert "拒绝对方提出的金额" in page
    assert "写下一封信" in client.get(f"{case_url}/creditors/quiet").get_data(as_text=True)


def test_letters_answering_one_reply_are_not_written_to_everybody(client, case_url, app):
    with app.app_context():
        proposal_id = db.session.scalar(select(Proposal.public_id))
    page = client.get(f"{case_url}/proposals/{proposal_id}/letters").get_data(as_text=True)
    for absent in ("follow_up", "information", "complaint"):
        assert f'value="{absent}"' not in page
    assert 'value="write_off"' in page  # lasting circumstances: every creditor may get it
    response = client.post(f"{case_url}/proposals/{proposal_id}/letters",
                           data={"letter_type": "follow_up", "language": "en"})
    assert response.status_code == 422


def test_writing_one_creditors_next_letter_keeps_the_other_drafts(app, client, case_url):
    with app.app_context():
        proposal_id = db.session.scalar(select(Proposal.public_id))
    letters_url = f"{case_url}/proposals/{proposal_id}/letters"
    assert client.post(letters_url, data={"letter_type": "proposal", "language": "en"}
                       ).status_code in (302, 303)
    response = client.post(letters_url, data={"letter_type": "follow_up", "language": "en",
                                              "debt": "quiet"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    with app.app_context():
        rows = {(x.debt_ref, x.letter_type) for x in db.session.scalars(select(Letter))}
    assert ("quiet", "follow_up") in rows and ("quiet", "proposal") not in rows
    assert {("refused", "proposal"), ("counter", "proposal"), (None, "budget_statement")} <= rows


def test_the_page_keeps_its_ids_unique(client, case_url):
    page = client.get(f"{case_url}/creditors/counter?counter=200").get_data(as_text=True)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_a_priority_creditor_gets_no_link_to_a_letter_it_cannot_receive(client, auth):
    auth.register(email="priority@example.com")
    data = case_file([debt("a", "1000", account_ref="A-1"),
                      debt("rent", "900", kind="rent_arrears", account_ref="R-1")],
                     negotiations=[{"debt_id": "rent", "events": [sent(ago(60))]}])
    data["borrower"] = {"name": "Sam Example", "address": "1 High Street, Leeds"}
    url = client.post("/cases/import", data={"text": json.dumps(data)}).location
    assert client.post(f"{url}/plan", data={"strategy": "pro_rata"}).status_code in (302, 303)
    page = client.get(f"{url}/creditors/rent").get_data(as_text=True)
    assert "No reply" in page or "没有回复" in page
    assert 'id="next-letter"' not in page
