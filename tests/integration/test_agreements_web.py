"""Agreements on the web (issue 8): each agreement's progress (paid, remaining,
payments left, missed and short payments) and annual review on the creditor's
page and the case page, with a chart and its table; the review in the
calendar and in ``parley remind``, once."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from tests.factories import today_gb, verify_account
from tests.smtp_support import smtp_server
from tests.unit.record_builders import accepted, case_file, debt, payment, sent
from webapp.commands.remind import remind_command
from webapp.formatting import format_day

PASSWORD = "correct horse battery"


def ago(days: int) -> str:
    return (today_gb() - timedelta(days=days)).isoformat()


def gb(day: date) -> str:
    return format_day(day, "en_GB")


#: b: 150 a month from 35 days ago on 1000: paid the first, missed the second.
#: c: 100 a month on 6000, first paid a year ago less 2 days: reviewed in 2 days.
def c_first() -> date:
    return today_gb() - relativedelta(years=1) + timedelta(days=2)


def c_review() -> date:
    return c_first() + relativedelta(months=12)


def data() -> dict:
    return case_file(
        [debt("a", "1000"), debt("b", "1000"), debt("c", "6000")],
        negotiations=[
            {"debt_id": "a", "events": [sent(ago(5))]},
            {"debt_id": "b", "events": [sent(ago(50)), accepted(ago(40), "150.00", ago(35)),
                                        payment(ago(35), "150.00")]},
            {"debt_id": "c", "events": [sent(ago(400)),
                                        accepted(ago(380), "100.00", c_first().isoformat()),
                                        payment(ago(1), "1200.00")]},
        ])


@pytest.fixture
def case_url(client, auth):
    auth.register()
    response = client.post("/cases/import", data={"text": json.dumps(data())})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def test_the_creditor_page_flags_a_missed_payment_and_counts_what_is_left(client, case_url):
    page = client.get(f"{case_url}/creditors/b").get_data(as_text=True)
    assert 'data-figure="missed"><strong class="late">1 missed, 0 short' in page
    # 1000 at 150: seven payments, one paid; the last six months after the first
    last = today_gb() - timedelta(days=35) + relativedelta(months=6)
    assert f'data-figure="months-left">6 · the last on {gb(last)}' in page
    table = page[page.index('id="instalments"'):]
    rows = re.findall(r'<tr data-paid="(\w+)"', table)
    assert rows == ["missed", "on_time"]  # newest first
    assert '<strong class="late">Missed</strong>' in table
    # it ends before a year is out: no review
    assert 'data-figure="review"' not in page


def test_paying_up_marks_the_missed_payment_late(client, case_url):
    client.post(f"{case_url}/creditors/b", data={"type": "payment", "on": today_gb().isoformat(),
                                                 "amount": "150"})
    page = client.get(f"{case_url}/creditors/b").get_data(as_text=True)
    assert re.findall(r'<tr data-paid="(\w+)"', page) == ["late", "on_time"]
    assert 'data-figure="missed">none' in page


def test_the_creditor_page_shows_the_annual_review(client, case_url):
    page = client.get(f"{case_url}/creditors/c").get_data(as_text=True)
    assert f'data-figure="review">{gb(c_review())}' in page
    assert "at least once a year" in page
    # within 30 days of the review its letter is the next one
    assert client.post(f"{case_url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    page = client.get(f"{case_url}/creditors/c").get_data(as_text=True)
    href = re.search(r'<p id="next-letter"><a role="button" href="([^"]+)"', page).group(1)
    assert "type=annual_review" in href and "debt=c" in href


def test_the_case_page_totals_the_agreements_with_a_chart_and_a_table(client, case_url):
    page = client.get(case_url).get_data(as_text=True)
    section = page[page.index('id="agreements"'):page.index("</section>",
                                                            page.index('id="agreements"'))]
    # b: 1000, 150 paid, 150 overdue; c: 6000, 1200 paid, up to date
    assert 'data-figure="agreements-paid"><span class="amount ">£1,350.00' in section
    assert 'data-figure="agreements-remaining"><span class="amount ">£5,650.00' in section
    assert '<strong class="late"><span class="amount ">£150.00' in section
    assert f'data-figure="next-review">{gb(c_review())}' in section
    # one bar per agreement and one for all; the words beside each say what it shows
    assert section.count('<svg class="bar"') == 3
    assert all('aria-hidden="true"' in svg for svg in re.findall(r"<svg class=\"bar\"[^>]*>",
                                                                   section))
    assert "£150.00 of £1,000.00 paid (15%)" in section and "£150.00 overdue" in section
    assert "£1,200.00 of £6,000.00 paid (20%)" in section
    assert "£1,350.00 of £7,000.00 paid (19%)" in section
    assert re.search(r'<rect x="0" y="0" width="15\.0" height="6"', section)
    # the table: payments left, missed or short, review
    assert "ends before a review" in section and gb(c_review()) in section
    # and the review date in the creditors' list
    creditors = page[page.index('id="creditors"'):page.index('id="agreements"')]
    assert "Annual review" in creditors and gb(c_review()) in creditors


def test_the_chinese_case_page_words_the_agreements(client, case_url):
    client.post("/language", data={"lang": "zh_CN"})
    page = client.get(case_url).get_data(as_text=True)
    assert "你的还款协议" in page and "年度复核" in page


def test_the_calendar_has_the_review_once(client, case_url):
    body = client.get(f"{case_url}/calendar.ics").get_data(as_text=True).replace("\r\n ", "")
    reviews = [line for line in body.split("\r\n") if line.startswith("SUMMARY:Parley: review")]
    assert reviews == ["SUMMARY:Parley: review your arrangement with Creditor c (at least once "
                       "a year): check that it still fits your budget"]
    assert f"DTSTART;VALUE=DATE:{c_review():%Y%m%d}" in body


@pytest.fixture
def smtp():
    with smtp_server() as server:
        yield server


def test_parley_remind_sends_the_review_once(make_app, smtp):
    port, inbox = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="parley@parley.example")
    client = app.test_client()
    client.post("/auth/register", data={"email": "sam@example.com", "password": PASSWORD,
                                        "confirm": PASSWORD, "role": "borrower"})
    client.post("/auth/login", data={"email": "sam@example.com", "password": PASSWORD})
    verify_account(client, app, "sam@example.com")
    assert client.post("/cases/import", data={"text": json.dumps(data())}).status_code == 302
    runner = app.test_cli_runner()
    for _ in range(2):  # a second run by mistake sends nothing again
        result = runner.invoke(remind_command, ["--today", today_gb().isoformat(), "--days", "3"])
        assert result.exit_code == 0, result.output
    mails = [m for m in inbox.messages() if not m["Subject"].startswith("Verify")]
    assert len(mails) == 1
    body = mails[0].get_content().replace("\r\n", "\n")
    assert (f"- {gb(c_review())}: review your arrangement with Creditor c (at least once a "
            "year)") in body
    assert body.count("review your arrangement") == 1
    # a year on, the next review is a new item: sent once more
    next_year = (c_review() + timedelta(days=1) + relativedelta(months=11)).isoformat()
    runner.invoke(remind_command, ["--today", next_year, "--days", "60"])
    mails = [m for m in inbox.messages() if not m["Subject"].startswith("Verify")]
    assert len(mails) == 2
    second = c_review() + relativedelta(months=12)
    assert f"- {gb(second)}: review your arrangement with Creditor c" in mails[1].get_content(
    ).replace("\r\n", "\n")
