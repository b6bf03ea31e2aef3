"""``parley remind``: one e-mail per person, each item once, in their language."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select, update

from tests.factories import verify_account
from tests.smtp_support import smtp_server
from tests.unit.record_builders import accepted, case_file, debt, sent
from webapp.commands.remind import remind_command
from webapp.extensions import db
from webapp.models import ReminderSent, User

PASSWORD = "correct horse battery"


@pytest.fixture
def smtp():
    with smtp_server() as server:
        yield server


@pytest.fixture
def mail_app(make_app, smtp):
    port, _inbox = smtp
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="parley@parley.example")


def account(app, email: str, *, verified=True, locale=None, title="Our household"):
    """An account with a GB case: a (reply by 2026-10-31), b (100 a month from
    2026-10-31), c (not written to)."""
    client = app.test_client()
    client.post("/auth/register", data={"email": email, "password": PASSWORD,
                                        "confirm": PASSWORD, "role": "borrower"})
    assert client.post("/auth/login", data={"email": email,
                                            "password": PASSWORD}).status_code == 302
    if verified:
        verify_account(client, app, email)
    data = case_file([debt("a", "1000"), debt("b", "3000"), debt("c", "6000")], negotiations=[
        {"debt_id": "a", "events": [sent("2026-10-01")]},
        {"debt_id": "b", "events": [sent("2026-09-01"),
                                    accepted("2026-09-10", "100.00", "2026-10-31")]},
    ])
    data["title"] = title
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(User).where(User.email == email).values(locale=locale))
        db.session.commit()
    return client


def reminders(inbox) -> list:
    """The reminder e-mails (registering also mails a verification link)."""
    return [m for m in inbox.messages() if not m["Subject"].startswith("Verify")]


def remind(app, *args):
    return app.test_cli_runner().invoke(remind_command, list(args))


def test_one_mail_lists_the_follow_up_and_the_payment_due(mail_app, smtp):
    account(mail_app, "sam@example.com")
    result = remind(mail_app, "--today", "2026-10-29", "--days", "3")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 2 reminders to 1 person"
    [message] = reminders(smtp[1])
    assert message["To"] == "sam@example.com"
    assert message["Subject"] == "Parley: what is due with your creditors"
    body = message.get_content().replace("\r\n", "\n")
    assert "Case: Our household" in body
    assert "Coming up:" in body and "Overdue:" not in body
    assert "- 31 Oct 2026: send Creditor a a follow-up if they have not replied" in body
    assert "- 31 Oct 2026: pay £100.00 to Creditor b" in body
    assert "Creditor c" not in body


def test_a_second_run_sends_nothing_again(mail_app, smtp):
    account(mail_app, "sam@example.com")
    assert remind(mail_app, "--today", "2026-10-29").exit_code == 0
    again = remind(mail_app, "--today", "2026-10-29")
    assert again.exit_code == 0
    assert again.output.strip() == "sent 0 reminders to 0 people"
    # Two days later both are overdue: the same items, already reminded of.
    later = remind(mail_app, "--today", "2026-11-02")
    assert later.output.strip() == "sent 0 reminders to 0 people"
    assert len(reminders(smtp[1])) == 1
    with mail_app.app_context():
        assert db.session.scalar(select(func.count(ReminderSent.id))) == 2


def test_what_is_beyond_the_days_waits_for_a_later_run(mail_app, smtp):
    account(mail_app, "sam@example.com")
    assert remind(mail_app, "--today", "2026-10-20", "--days", "3").output.strip() == \
        "sent 0 reminders to 0 people"
    result = remind(mail_app, "--today", "2026-11-02", "--days", "0")
    assert result.output.strip() == "sent 2 reminders to 1 person"
    body = reminders(smtp[1])[0].get_content().replace("\r\n", "\n")
    assert "Overdue:" in body and "Coming up:" not in body


def test_each_person_gets_their_own_language(mail_app, smtp):
    account(mail_app, "sam@example.com")
    account(mail_app, "li@example.com", locale="zh_CN", title="我家")
    result = remind(mail_app, "--today", "2026-10-29")
    assert result.output.strip() == "sent 4 reminders to 2 people"
    mails = {m["To"]: m for m in reminders(smtp[1])}
    zh = mails["li@example.com"]
    assert zh["Subject"] == "Parley 提醒：与债权人协商的近期事项"
    body = zh.get_content().replace("\r\n", "\n")
    assert "案例：我家" in body and "即将到期：" in body
    assert "2026年10月31日：向Creditor b还款 £100.00" in body
    assert "Case:" not in body and "Case:" in mails["sam@example.com"].get_content()


def test_unverified_accounts_get_no_mail(mail_app, smtp):
    account(mail_app, "sam@example.com", verified=False)
    result = remind(mail_app, "--today", "2026-10-29")
    assert result.output.strip() == "sent 0 reminders to 0 people"
    assert reminders(smtp[1]) == []


def test_a_refused_mail_is_tried_again_next_run(make_app):
    with smtp_server(refuse={"sam@example.com"}) as (port, inbox):
        app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="p@parley.example")
        account(app, "sam@example.com")
        result = remind(app, "--today", "2026-10-29")
        assert result.exit_code == 1
        assert "1 e-mail failed" in result.output
        with app.app_context():
            assert db.session.scalar(select(func.count(ReminderSent.id))) == 0
        inbox.refuse.clear()
        assert remind(app, "--today", "2026-10-29").output.strip() == \
            "sent 2 reminders to 1 person"


def test_no_personal_value_reaches_the_log(mail_app, smtp, caplog):
    account(mail_app, "sam@example.com")
    with caplog.at_level(logging.INFO):
        assert remind(mail_app, "--today", "2026-10-29").exit_code == 0
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "reminders: 2 item(s) mailed to user" in logged
    assert "sam@example.com" not in logged and "Creditor" not in logged


@pytest.mark.parametrize("args, message", [
    (["--today", "31/10/2026"], "--today: '31/10/2026' is not a date"),
    (["--days", "-1"], "--days"),
    (["--days", "many"], "--days"),
])
def test_bad_arguments_exit_2(mail_app, args, message):
    result = remind(mail_app, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_without_mail_set_up_it_says_so(app):
    result = remind(app, "--today", "2026-10-29")
    assert result.exit_code == 1
    assert "MAIL_SERVER" in result.output


def test_a_day_before_the_record_skips_the_case_and_says_so(mail_app, smtp):
    account(mail_app, "sam@example.com")
    result = remind(mail_app, "--today", "2026-09-05")
    assert result.exit_code == 0
    assert result.output.strip() == (
        "sent 0 reminders to 0 people; 1 case(s) skipped (events after the day given)")
