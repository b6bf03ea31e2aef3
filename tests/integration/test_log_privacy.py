"""No personal value reaches a log: database errors, mail failures and view
exceptions are forced with known values, and every captured log line is searched."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import make_case, make_debt, verify_account
from tests.smtp_support import smtp_server
from webapp import logs
from webapp.extensions import db
from webapp.models import Case, Debt, Letter, Proposal

ACCOUNT_NUMBER = "4929111122223333"
CREDITOR_EMAIL = "collections@barclaycard.example"
BORROWER_EMAIL = "sam.private@example.com"
ADDRESS = "1 Secret Lane, Leeds"
PERSONAL = [ACCOUNT_NUMBER, "4929 1111 2222 3333", CREDITOR_EMAIL, BORROWER_EMAIL, ADDRESS,
            "Secret Lane"]


def everything_logged(caplog) -> str:
    """Every captured record, formatted the way a log file would hold it."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(r) for r in caplog.records)


def assert_nothing_personal(text: str) -> None:
    leaked = [value for value in PERSONAL if value in text]
    assert not leaked, f"{leaked} in the log:\n{text}"


@pytest.fixture
def capture(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("webapp", "werkzeug", "gunicorn.error", "gunicorn.access"):
        caplog.set_level(logging.DEBUG, logger=name)
    # What echo=True logs: every statement and its parameters (hidden, now).
    # (DEBUG would add result rows: a debugging aid no deployment turns on.)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    return caplog


def test_a_database_error_logs_neither_the_parameters_nor_the_message(make_app, capture):
    app = make_app()

    def duplicate_debt():
        # Violates uq_debts_case_ref with a row full of personal values.
        case = db.session.scalar(select(Case))
        db.session.add(Debt(case=case, ref=case.debts[0].ref, creditor="Barclaycard",
                            kind="credit_card", balance=Decimal("1"), account_ref=ACCOUNT_NUMBER,
                            creditor_email=CREDITOR_EMAIL, creditor_address=ADDRESS))
        db.session.commit()
        return "not reached"

    app.add_url_rule("/_test/duplicate-debt", view_func=duplicate_debt)
    client = app.test_client()
    client.post("/auth/register", data={"email": BORROWER_EMAIL, "password": "correct horse x1",
                                        "confirm": "correct horse x1", "role": "borrower"})
    client.post("/auth/login", data={"email": BORROWER_EMAIL, "password": "correct horse x1"})
    make_debt(client, make_case(client), creditor="Barclaycard")
    response = client.get("/_test/duplicate-debt")
    assert response.status_code == 500
    text = everything_logged(capture)
    assert_nothing_personal(text)
    # What *is* logged: the type, the endpoint, the error id the user was shown.
    assert "unhandled IntegrityError in duplicate_debt, error id" in text
    error_id = text.split("error id ")[1].split()[0]
    assert f"Error reference: {error_id}" in response.get_data(as_text=True)
    assert "db.session.commit()" in text  # the traceback's code lines are kept


def test_an_exception_message_with_personal_data_is_not_logged(make_app, capture):
    app = make_app()

    def fails():
        raise ValueError(f"cannot parse {ADDRESS} for {BORROWER_EMAIL}, "
                         f"account {ACCOUNT_NUMBER}") from KeyError(ACCOUNT_NUMBER)

    app.add_url_rule("/_test/fails", view_func=fails)
    app.add_url_rule("/api/v1/_test/fails", endpoint="api_fails", view_func=fails)
    client = app.test_client()
    assert client.get("/_test/fails").status_code == 500
    response = client.get("/api/v1/_test/fails")
    assert response.status_code == 500 and response.get_json()["error_id"]
    text = everything_logged(capture)
    assert_nothing_personal(text)
    assert text.count("unhandled ValueError") == 2 and "KeyError" in text


def test_a_failed_send_does_not_log_the_addresses(make_app, capture):
    with smtp_server(refuse={CREDITOR_EMAIL}) as (port, _inbox):
        app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                       MAIL_FROM="letters@parley.example")
        client = app.test_client()
        client.post("/auth/register", data={"email": BORROWER_EMAIL,
                                            "password": "correct horse x1",
                                            "confirm": "correct horse x1", "role": "borrower"})
        client.post("/auth/login", data={"email": BORROWER_EMAIL,
                                         "password": "correct horse x1"})
        verify_account(client, app, BORROWER_EMAIL)
        case_url = make_case(client, borrower_name="Sam Example", borrower_address=ADDRESS,
                             borrower_email=BORROWER_EMAIL)
        make_debt(client, case_url, creditor="Barclaycard", balance="3000",
                  contractual_payment="2500",  # beyond the budget: pro rata applies
                  creditor_email=CREDITOR_EMAIL, account_ref=ACCOUNT_NUMBER)
        make_debt(client, case_url, creditor="Vanquis", balance="1200", account_ref="VQ-2222")
        from tests.factories import make_item

        make_item(client, case_url, "income", amount="2000", frequency="monthly")
        client.post(f"{case_url}/plan", data={"strategy": "pro_rata"})
        with app.app_context():
            proposal = db.session.scalar(select(Proposal))
            client.post(f"{case_url}/proposals/{proposal.public_id}/letters",
                        data={"letter_type": "proposal", "language": "en"})
            letter = db.session.scalars(select(Letter).order_by(Letter.id)).first()
            url = f"{case_url}/letters/{letter.public_id}/send"
        response = client.post(url)
    assert response.status_code == 503
    text = everything_logged(capture)
    assert_nothing_personal(text)
    assert "sending letter" in text and "failed" in text


def test_any_logger_has_addresses_and_long_numbers_redacted(app, capture):
    logging.getLogger("some.library").warning("user %s paid from %s", BORROWER_EMAIL,
                                              "4929 1111 2222 3333")
    try:
        raise RuntimeError(f"{ACCOUNT_NUMBER} {BORROWER_EMAIL}")
    except RuntimeError:
        logging.getLogger("another.library").exception("while handling %s", CREDITOR_EMAIL)
    text = everything_logged(capture)
    assert_nothing_personal(text)
    assert "user [email] paid from [number]" in text and "RuntimeError" in text


@pytest.mark.parametrize(("text", "expected"), [
    ("mail a.b+c@example.co.uk now", "mail [email] now"),
    ("acct 12345678 and +44 7700 900123", "acct [number] and [number]"),
    ("IBAN GB29NWBK60161331926819", "IBAN GB29NWBK[number]"),
    ("line 123 took 45 ms", "line 123 took 45 ms"),
    ('127.0.0.1 - - [30/Nov/2026 17:06:26] "GET / HTTP/1.1" 200 -',
     '127.0.0.1 - - [30/Nov/2026 17:06:26] "GET / HTTP/1.1" 200 -'),
    ("paid 1234.56 of 20000.00", "paid 1234.56 of 20000.00"),
    ("ID 11010519491231002X", "ID [number]X"),
])
def test_redact(text, expected):
    assert logs.redact(text) == expected


def test_the_engine_hides_parameters(app):
    with app.app_context():
        assert db.engine.hide_parameters is True
