"""Parley cannot be used to send phishing: verified sender, one creditor
recipient, the borrower in From, no header injection, a daily limit, a record."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from tests.factories import make_case, make_debt, make_item, verify_account
from tests.smtp_support import free_port, smtp_server, verification_link
from webapp.extensions import db
from webapp.models import Case, Debt, Letter, Proposal, SentMail, User
from webapp.services import accounts, mailer

CREDITOR = "collections@barclaycard.example"
ACCOUNT = "u@example.com"
PASSWORD = "correct horse battery"


@pytest.fixture
def smtp():
    with smtp_server() as server:
        yield server


@pytest.fixture
def mail_app(make_app, smtp):
    port, _inbox = smtp
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="letters@parley.example")


def register(client, display_name=""):
    response = client.post("/auth/register", data={
        "email": ACCOUNT, "password": PASSWORD, "confirm": PASSWORD, "role": "borrower",
        "display_name": display_name})
    assert response.status_code == 302
    # registering never logs in (it must not tell who has an account): log in
    response = client.post("/auth/login", data={"email": ACCOUNT, "password": PASSWORD})
    assert response.status_code == 302


def make_world(client, app, *, verify=True, display_name="") -> dict:
    """A verified (or not) account with a case, a proposal and its drafts."""
    register(client, display_name)
    if verify:
        verify_account(client, app, ACCOUNT)
    case_url = make_case(client, borrower_name="Sam Example", borrower_email="sam@example.com",
                         borrower_address="1 High Street, Leeds LS1 1AA")
    make_item(client, case_url, "income", label="Wages", amount="2000", frequency="monthly")
    # a contractual payment beyond the budget: pro rata applies (issue 13.1)
    make_debt(client, case_url, creditor="Barclaycard", balance="3000", contractual_payment="2000",
              creditor_email=CREDITOR, account_ref="4929-1111")
    make_debt(client, case_url, creditor="Vanquis", balance="1200", contractual_payment="40",
              account_ref="VQ-2222")
    assert client.post(f"{case_url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        letters_url = f"{case_url}/proposals/{proposal.public_id}/letters"
    assert client.post(letters_url, data={"letter_type": "proposal",
                                          "language": "en"}).status_code == 302
    return {"case": case_url, "letters": letters_url}


def card_url(app, world) -> str:
    """The newest draft to Barclaycard."""
    with app.app_context():
        letter = db.session.scalars(select(Letter).where(
            Letter.debt_ref.is_not(None), Letter.status == "draft").order_by(Letter.id)).first()
        return world["case"] + f"/letters/{letter.public_id}"


def statuses(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Letter.status).order_by(Letter.id)))


def sent_mail(app) -> list[tuple]:
    with app.app_context():
        return [(r.recipient, r.cc, r.outcome, r.user_id is not None, r.letter_id is not None)
                for r in db.session.scalars(select(SentMail).order_by(SentMail.id))]


# --- a verified account e-mail ----------------------------------------------------------


def test_an_unverified_account_cannot_send_and_the_page_says_how_to_verify(smtp, mail_app):
    _port, inbox = smtp
    client = mail_app.test_client()
    world = make_world(client, mail_app, verify=False)
    inbox.envelopes.clear()
    url = card_url(mail_app, world)
    page = client.get(url).get_data(as_text=True)
    assert "only for accounts whose e-mail address is verified" in page
    assert 'href="/auth/account"' in page and "Send by e-mail" not in page
    response = client.post(url + "/send")
    assert response.status_code == 409
    assert inbox.envelopes == [] and "draft" == statuses(mail_app)[0]
    assert sent_mail(mail_app) == []


def test_registration_mails_a_link_that_verifies_the_address(smtp, mail_app):
    _port, inbox = smtp
    client = mail_app.test_client()
    register(client)
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == [ACCOUNT]
    [message] = inbox.messages()
    link = verification_link(message)
    assert ACCOUNT not in link  # the token names the address by a digest only
    assert "not verified yet" in client.get("/auth/account").get_data(as_text=True)
    response = client.get(link)
    assert response.status_code == 302 and response.location.endswith("/auth/account")
    page = client.get("/auth/account").get_data(as_text=True)
    assert "Your address was verified on" in page
    with mail_app.app_context():
        assert db.session.scalar(select(User.email_verified_at)) is not None


def test_the_account_page_sends_a_new_link_on_request(smtp, mail_app):
    _port, inbox = smtp
    client = mail_app.test_client()
    register(client)
    inbox.envelopes.clear()
    assert client.post("/auth/account/verify").status_code == 302
    [message] = inbox.messages()
    assert message["To"] == ACCOUNT
    assert client.get(verification_link(message)).status_code == 302
    with mail_app.app_context():
        assert db.session.scalar(select(User)).email_verified


def test_the_link_works_without_logging_in(smtp, mail_app):
    client = mail_app.test_client()
    register(client)
    link = verification_link(smtp[1].messages()[0])
    other = mail_app.test_client()
    response = other.get(link)
    assert response.status_code == 302 and response.location.endswith("/auth/login")
    with mail_app.app_context():
        assert db.session.scalar(select(User)).email_verified


@pytest.mark.parametrize("how", ["expired", "forged", "address_changed", "garbage"])
def test_a_bad_link_verifies_nothing(make_app, smtp, how):
    port, inbox = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="letters@parley.example",
                   EMAIL_VERIFY_MAX_AGE=-1 if how == "expired" else 3600)
    client = app.test_client()
    register(client)
    link = verification_link(inbox.messages()[0])
    if how == "forged":
        link = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    elif how == "garbage":
        link = "/auth/verify/not-a-token"
    elif how == "address_changed":
        with app.app_context():
            db.session.execute(update(User).values(email="new@example.com"))
            db.session.commit()
    response = client.get(link, follow_redirects=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert ("has expired" if how == "expired" else "is not valid") in text
    with app.app_context():
        assert db.session.scalar(select(User.email_verified_at)) is None


def test_a_token_for_one_account_does_not_verify_another(app, client):
    register(client)
    with app.app_context():
        user = accounts.find_by_email(ACCOUNT)
        other = User(email="other@example.com", password_hash="x")
        db.session.add(other)
        db.session.commit()
        token = accounts.verification_token(user, app.config)
        assert accounts.verify_email(token, app.config).id == user.id
        assert db.session.get(User, other.id).email_verified_at is None


def test_without_a_mail_server_verification_is_not_possible_and_mark_sent_remains(app, client):
    world = make_world(client, app, verify=False)
    page = client.get("/auth/account").get_data(as_text=True)
    assert "addresses cannot be verified" in page
    assert "Send me a verification link" not in page
    letter = client.get(card_url(app, world)).get_data(as_text=True)
    assert "Sending e-mail is not set up" in letter and "Mark as sent" in letter


# --- one recipient: the creditor address on the debt -----------------------------------------


@pytest.mark.parametrize("address", [
    f"{CREDITOR}, victim@else.example",
    f"{CREDITOR};victim@else.example",
    f"{CREDITOR} victim@else.example",
    f"{CREDITOR}\r\nBcc: victim@else.example",
    f"{CREDITOR}\nvictim@else.example",
    f"Barclays <{CREDITOR}>",
    "not-an-address",
])
def test_a_creditor_address_that_is_not_exactly_one_address_is_refused(smtp, mail_app, address):
    _port, inbox = smtp
    client = mail_app.test_client()
    world = make_world(client, mail_app)
    inbox.envelopes.clear()
    with mail_app.app_context():  # as an imported case or an old row may carry it
        db.session.execute(update(Debt).where(Debt.creditor == "Barclaycard")
                           .values(creditor_email=address))
        db.session.commit()
    url = card_url(mail_app, world)
    assert "not one valid address" in client.get(url).get_data(as_text=True)
    assert client.post(url + "/send").status_code == 409
    assert inbox.envelopes == [] and sent_mail(mail_app) == []


def test_the_copy_goes_to_the_verified_account_not_the_case_email(smtp, mail_app):
    _port, inbox = smtp
    client = mail_app.test_client()
    world = make_world(client, mail_app)
    inbox.envelopes.clear()
    with mail_app.app_context():
        db.session.execute(update(Case).values(
            borrower_email="victim1@else.example, victim2@else.example"))
        db.session.commit()
    assert client.post(card_url(mail_app, world) + "/send").status_code == 302
    [envelope] = inbox.envelopes
    assert sorted(envelope.rcpt_tos) == [CREDITOR, ACCOUNT]
    [message] = inbox.messages()
    assert (message["To"], message["Cc"], message["Reply-To"]) == (CREDITOR, ACCOUNT, ACCOUNT)
    assert "victim" not in envelope.content.decode("utf-8", "replace")
    assert sent_mail(mail_app) == [(CREDITOR, ACCOUNT, "sent", True, True)]


def test_the_sender_is_the_case_borrower_via_parley_not_the_display_name(smtp, mail_app):
    _port, inbox = smtp
    client = mail_app.test_client()
    world = make_world(client, mail_app, display_name="Barclays Fraud Team")
    inbox.envelopes.clear()
    assert client.post(card_url(mail_app, world) + "/send").status_code == 302
    [message] = inbox.messages()
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Sam Example via Parley",
                                                       "letters@parley.example")
    assert "Fraud" not in str(message)


def test_headers_cannot_be_injected_through_the_name_or_account_number(smtp, mail_app):
    _port, inbox = smtp
    client = mail_app.test_client()
    world = make_world(client, mail_app)
    inbox.envelopes.clear()
    with mail_app.app_context():
        db.session.execute(update(Case).values(
            borrower_name="Sam\r\nBcc: victim@else.example\r\nX-Evil: 1"))
        db.session.execute(update(Debt).values(account_ref="4929\nBcc: victim2@else.example"))
        db.session.commit()
    assert client.post(card_url(mail_app, world) + "/send").status_code == 302
    [envelope] = inbox.envelopes
    assert sorted(envelope.rcpt_tos) == [CREDITOR, ACCOUNT]
    [message] = inbox.messages()
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert "\n" not in message["Subject"] and "\n" not in str(message["From"])


# --- a limit per account, and a record ---------------------------------------------------------


def test_an_account_sends_at_most_mail_per_day(make_app, smtp):
    port, inbox = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="letters@parley.example",
                   MAIL_PER_DAY=2)
    client = app.test_client()
    world = make_world(client, app)
    inbox.envelopes.clear()
    for _ in range(2):
        assert client.post(card_url(app, world) + "/send").status_code == 302
        assert client.post(world["letters"], data={"letter_type": "proposal",
                                                    "language": "en"}).status_code == 302
    url = card_url(app, world)
    assert "the most allowed" in client.get(url).get_data(as_text=True)
    response = client.post(url + "/send")
    assert response.status_code == 429
    assert len(inbox.envelopes) == 2
    assert [r[2] for r in sent_mail(app)] == ["sent", "sent"]


def test_a_failed_attempt_is_recorded_and_counts(make_app):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(),
                   MAIL_FROM="letters@parley.example", MAIL_PER_DAY=1)
    client = app.test_client()
    world = make_world(client, app)
    url = card_url(app, world)
    assert client.post(url + "/send").status_code == 503
    assert sent_mail(app) == [(CREDITOR, ACCOUNT, "failed", True, True)]
    assert client.post(url + "/send").status_code == 429


# --- the mailer itself -----------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    "", "a@b.example,c@d.example", "a@b.example;c@d.example", "a@b.example\n",
    "a@b.example\r\nBcc: c@d.example", "A <a@b.example>", "a@@b.example", "a@b", "a b@c.example",
])
def test_single_address_refuses_anything_but_one_address(value):
    with pytest.raises(mailer.BadAddress):
        mailer.single_address(value)


def test_single_address_accepts_one_address():
    assert mailer.single_address(" Collections@Barclaycard.Example ") == (
        "Collections@barclaycard.example")


def test_the_envelope_names_only_the_to_and_the_cc():
    mail = mailer.Mail(to=CREDITOR, subject="s", text="t", cc=ACCOUNT)
    assert mailer.recipients(mail) == [CREDITOR, ACCOUNT]
    with pytest.raises(mailer.BadAddress):
        mailer.recipients(mailer.Mail(to=f"{CREDITOR},x@y.example", subject="s", text="t"))


def test_asking_for_links_is_limited_per_account(make_app, smtp):
    port, inbox = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="letters@parley.example",
                   RATELIMIT_ENABLED=True)
    client = app.test_client()
    register(client)
    inbox.envelopes.clear()
    codes = [client.post("/auth/account/verify").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert len(inbox.envelopes) == 3
