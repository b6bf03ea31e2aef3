""""Counter with another figure" writes the letter that carries it (issue 8): the
user's figure, the creditor's, and why the budget cannot reach theirs (the
re-plan), in English and in Chinese, checked in the PDF a creditor receives."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.factories import today_gb
from tests.unit.record_builders import case_file, debt, event, sent
from webapp.extensions import db
from webapp.formatting import format_day
from webapp.models import Letter, NegotiationEvent
from webapp.models.types import now_utc


def ago(days: int) -> str:
    return (today_gb() - timedelta(days=days)).isoformat()


def pdf_text(data: bytes, *, spaces: bool = True) -> str:
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " " if spaces else "", text)


def make_case(client, auth, their: str, *, email="borrower@example.com",
              jurisdiction="GB") -> str:
    """1000 a month for a (1000), b (3000) and c (6000); a was offered 100 and
    countered with ``their``; the pro-rata proposal saved."""
    auth.register(email=email)
    data = case_file(
        [debt(ref, bal, account_ref=f"{ref.upper()}-1") for ref, bal in
         (("a", "1000"), ("b", "3000"), ("c", "6000"))],
        jurisdiction=jurisdiction,
        negotiations=[{"debt_id": "a", "events": [
            sent(ago(20), offer_monthly="100.00"),
            event(ago(6), "counter_offer", monthly=their)]}])
    data["borrower"] = {"name": "Sam Example", "address": "1 High Street, Leeds"}
    url = client.post("/cases/import", data={"text": json.dumps(data)}).location
    assert client.post(f"{url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    return url


def write(client, url, counter: str):
    return client.post(f"{url}/creditors/a/counter-letter", data={"counter": counter})


def the_letter(app) -> Letter:
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.letter_type ==
                                                        "counter_proposal"))
        _ = letter.extras, letter.html
        return letter


def test_the_letter_carries_both_figures_and_why_the_budget_cannot_reach_theirs(
        app, client, auth):
    url = make_case(client, auth, "300")
    page = client.get(f"{url}/creditors/a?counter=150").get_data(as_text=True)
    assert "Write the letter with £150.00 a month" in page
    response = write(client, url, "150")
    assert response.status_code == 303
    letter = the_letter(app)
    assert response.location.endswith(f"/letters/{letter.public_id}")
    assert (letter.debt_ref, letter.status, letter.language) == ("a", "draft", "en")
    assert letter.extras == {"their_monthly": "300.00", "counter_monthly": "150.00",
                             "available": "1000.00", "offered_monthly": "100.00",
                             "others_left": "700.00", "countered_on": ago(6)}
    pdf = client.get(f"{url}/letters/{letter.public_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    countered = format_day(today_gb() - timedelta(days=6), "en_GB")
    for words in (
        f"Thank you for your reply of {countered}.",
        "You asked me to pay £300.00 a month on the account above instead of the £100.00 "
        "a month I offered.",
        "I have £1,000.00 a month for all of my creditors.",
        "Paying you £300.00 a month would leave only £700.00 a month for my other creditors",
        "I can offer you £150.00 a month instead.",
        "would be repaid in seven monthly payments",
        "CONC 7.3.4R",
        "whether you accept £150.00 a month",
    ):
        assert words in text, words
    # only the one creditor gets it, and no budget statement is written with it
    with app.app_context():
        assert db.session.scalars(select(Letter.debt_ref)).all() == ["a"]


def test_when_their_figure_breaks_the_budget_the_letter_says_by_how_much(app, client, auth):
    url = make_case(client, auth, "999")
    assert write(client, url, "100").status_code == 303
    letter = the_letter(app)
    assert letter.extras["shortfall"] == "1.00" and "others_left" not in letter.extras
    text = pdf_text(client.get(f"{url}/letters/{letter.public_id}.pdf").data)
    assert "Paying you £999.00 a month, and the least I could offer my other creditors, " \
           "would need £1.00 a month more than I have." in text
    assert "I can offer you £100.00 a month instead." in text


def test_the_chinese_letter_carries_the_same_figures(app, client, auth):
    url = make_case(client, auth, "300")
    client.post("/language", data={"lang": "zh_CN"})
    assert write(client, url, "150").status_code == 303
    letter = the_letter(app)
    assert letter.language == "zh_CN"
    text = pdf_text(client.get(f"{url}/letters/{letter.public_id}.pdf").data, spaces=False)
    for words in ("要求本人就上述账户每月还款£300.00", "本人此前提出的方案为每月£100.00",
                  "本人每月可用于偿还全部债权人的金额为£1,000.00",
                  "本人每月仅剩£700.00可用于偿还其他债权人", "本人可改为每月还款£150.00",
                  "将分7期还清", "CONC7.3.4R"):
        assert words in text, words


def test_sending_it_records_the_counter_figure_as_the_offer(app, client, auth):
    url = make_case(client, auth, "300")
    write(client, url, "150")
    letter = the_letter(app)
    assert client.post(f"{url}/letters/{letter.public_id}/mark-sent", data={
        "sent_on": now_utc().date().isoformat(), "channel": "post"}).status_code == 302
    with app.app_context():
        last = db.session.scalars(select(NegotiationEvent).order_by(
            NegotiationEvent.position)).all()[-1]
        assert (last.type, last.letter, last.offer_monthly) == (
            "sent", "counter_proposal", Decimal("150.00"))
    page = client.get(f"{url}/creditors/a").get_data(as_text=True)
    assert "Waiting for their reply" in page
    exported = json.loads(client.get(f"{url}/export").data)
    assert exported["negotiations"][0]["events"][-1]["letter"] == "counter_proposal"


@pytest.mark.parametrize(("counter", "message"), [
    ("300", "Your figure is not below theirs: accept their figure instead."),
    ("990", "Your figure is not below theirs"),
    ("0", "Must be at least 0.01."),
    ("abc", "Enter a number, like 1234.50."),
])
def test_a_figure_the_letter_cannot_carry_is_refused_beside_the_field(
        app, client, auth, counter, message):
    url = make_case(client, auth, "300" if counter != "990" else "980")
    response = write(client, url, counter)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Letter.id)) is None


def test_a_figure_the_budget_cannot_hold_is_refused(app, client, auth):
    url = make_case(client, auth, "1500")
    response = write(client, url, "999.50")
    assert response.status_code == 422
    assert "At this figure your budget would be short by £1.50 a month" in response.get_data(
        as_text=True)


def test_the_refusals_are_in_chinese_on_a_chinese_page(app, client, auth):
    url = make_case(client, auth, "300")
    client.post("/language", data={"lang": "zh_CN"})
    text = write(client, url, "400").get_data(as_text=True)
    assert "Your figure is not below theirs" not in text
    assert "你提出的金额不低于对方的金额" in text


def test_a_chinese_creditor_is_never_offered_more_than_sixty_months(app, client, auth):
    url = make_case(client, auth, "300", jurisdiction="CN")
    response = write(client, url, "10")
    assert response.status_code == 422
    assert "would take 100 months to repay" in response.get_data(as_text=True)


def test_without_a_counter_offer_there_is_nothing_to_answer(app, client, auth):
    url = make_case(client, auth, "300")
    client.post(f"{url}/creditors/a/accept", data={"accept-first_payment": today_gb().isoformat()})
    response = write(client, url, "150")
    assert response.status_code == 422
    assert "There is no counter-offer from this creditor now." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Letter.id)) is None


def test_the_letters_page_does_not_offer_it(app, client, auth):
    url = make_case(client, auth, "300")
    page = client.get(f"{url}/plan").get_data(as_text=True)
    letters = re.search(r'href="([^"]*/letters)"', page).group(1)
    assert 'value="counter_proposal"' not in client.get(letters + "?debt=a").get_data(
        as_text=True)
