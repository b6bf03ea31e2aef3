"""Letters on the web: generate a proposal's set, preview, edit, download, send, freeze."""

from __future__ import annotations

import io
import re
import socket
import zipfile
from datetime import timedelta

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from tests.factories import make_case, make_debt, make_item, verify_account
from webapp.extensions import db
from webapp.letters import letter_text_digest
from webapp.models import Letter, Negotiation, Proposal
from webapp.models.types import local_date, now_utc

BORROWER = {"borrower_name": "Sam Example", "borrower_email": "sam@example.com",
            "borrower_address": "1 High Street, Leeds"}


def _letters(app) -> list[Letter]:
    with app.app_context():
        rows = db.session.scalars(select(Letter).order_by(Letter.id)).all()
        db.session.expunge_all()
        return list(rows)


@pytest.fixture
def world(app, client, auth):
    """A GB case with two creditors and a priority debt, and a saved pro-rata proposal."""
    auth.register()
    case_url = make_case(client, **BORROWER)
    make_item(client, case_url, "income", label="Wages", amount="2000", frequency="monthly")
    make_item(client, case_url, "expense", label="Rent", amount="900", category="housing",
              frequency="monthly")
    # a contractual payment beyond the budget: pro rata applies (issue 13.1)
    make_debt(client, case_url, creditor="Barclaycard", balance="3000", contractual_payment="1000",
              creditor_email="collections@barclaycard.example", account_ref="4929-1111")
    make_debt(client, case_url, creditor="Vanquis", balance="1200", contractual_payment="40",
              account_ref="VQ-2222")
    make_debt(client, case_url, creditor="Council", kind="council_tax", balance="300",
              apr="0", contractual_payment="100")
    response = client.post(f"{case_url}/plan", data={"strategy": "pro_rata"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        letters_url = f"{case_url}/proposals/{proposal.public_id}/letters"
    return {"case": case_url, "letters": letters_url}


def generate(client, world, letter_type="proposal", language="en"):
    return client.post(world["letters"], data={"letter_type": letter_type,
                                               "language": language})


def letter_url(world, letter: Letter) -> str:
    return world["case"] + f"/letters/{letter.public_id}"


@pytest.fixture
def drafts(app, client, world):
    assert generate(client, world).status_code == 302
    return _letters(app)


def test_the_page_offers_the_letters_that_fit_the_proposal(client, world):
    html = client.get(world["letters"]).get_data(as_text=True)
    assert '<option selected value="proposal">Offer of payment</option>' in html
    assert 'value="reconsider"' in html and 'value="hold"' in html
    # a settlement letter cannot carry a pro-rata offer; cn_instalment is for China only;
    # a confirmation needs the date of a call, so it is not written to everybody at once
    for absent in ("settlement", "cn_instalment", "confirmation"):
        assert f'value="{absent}"' not in html


def test_one_draft_per_non_priority_creditor_plus_the_budget_statement(app, client, world):
    response = generate(client, world)
    assert response.status_code == 302
    letters = _letters(app)
    assert [(x.debt_ref, x.letter_type, x.status) for x in letters] == [
        ("barclaycard", "proposal", "draft"),
        ("vanquis", "proposal", "draft"),
        (None, "budget_statement", "draft"),
    ]
    assert "Barclaycard" in letters[0].html and "Vanquis" in letters[1].html
    page = client.get(world["letters"]).get_data(as_text=True)
    assert page.count("data-letter=") == 3


def test_letters_can_be_written_in_chinese(app, client, world):
    assert generate(client, world, language="zh_CN").status_code == 302
    letters = _letters(app)
    assert {x.language for x in letters} == {"zh_CN"}
    assert "还款方案申请" in letters[0].html


def test_generating_again_replaces_the_drafts_but_keeps_sent_letters(app, client, world, drafts):
    client.post(letter_url(world, drafts[0]) + "/mark-sent",
                data={"sent_on": now_utc().date().isoformat(), "channel": "post"})
    assert generate(client, world, "hold").status_code == 302
    letters = _letters(app)
    assert [(x.debt_ref, x.letter_type, x.status) for x in letters] == [
        ("barclaycard", "proposal", "sent"),
        (None, "budget_statement", "sent"),  # it went with the sent offer
        ("barclaycard", "hold", "draft"),
        ("vanquis", "hold", "draft"),
    ]


@pytest.mark.parametrize(("data", "field"), [
    ({"letter_type": "settlement", "language": "en"}, "letter_type"),
    ({"letter_type": "nonsense", "language": "en"}, "letter_type"),
    ({"letter_type": "proposal", "language": "fr"}, "language"),
    ({"language": "en"}, "letter_type"),
])
def test_a_bad_choice_is_refused_beside_the_field_and_nothing_is_saved(
        app, client, world, data, field):
    response = client.post(world["letters"], data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert _letters(app) == []


def test_the_preview_is_its_own_document_with_a_narrow_policy(client, world, drafts):
    url = letter_url(world, drafts[0])
    page = client.get(url)
    assert page.status_code == 200
    # Sandboxed with no script, form, popup or navigation allowed; only its own
    # origin is kept, so the page's static script can size the frame to the letter.
    assert re.search(r'<iframe sandbox="allow-same-origin" class="letter-preview" '
                     r'src="[^"]+/preview"', page.get_data(as_text=True))
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    preview = client.get(url + "/preview")
    assert preview.status_code == 200
    assert preview.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert preview.get_data(as_text=True) == drafts[0].html


def test_editing_a_draft_rerenders_the_letter_with_the_text_escaped(app, client, world, drafts):
    url = letter_url(world, drafts[0]) + "/edit"
    form = client.get(url).get_data(as_text=True)
    # The generated body: the contractual payments (1,040.00) do not fit in 1,000.00
    # and Barclaycard's share is below its 1,000.00, so the letter asks for less.
    assert "I cannot afford the contractual payments of £1,000.00 a month" in form
    text = ("I can pay £50 a month.\n\n<script>alert('x')</script> & <b>bold</b>\n"
            "second line")
    response = client.post(url, data={"body_text": text})
    assert response.status_code == 302
    letter = _letters(app)[0]
    assert letter.body_text == text
    assert "<script>" not in letter.html and "<b>bold</b>" not in letter.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" \
        "<br>second line" in letter.html
    assert "<p>I can pay £50 a month.</p>" in letter.html
    # the layout stays: creditor, subject, closing
    assert "Barclaycard" in letter.html and "Offer of payment" in letter.html
    assert "Yours faithfully," in letter.html
    assert "propose an arrangement" not in letter.html
    # editing again starts from the user's own text
    assert "I can pay £50 a month." in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "x" * 20_001, "a\x00b"])
def test_an_empty_or_oversized_text_is_refused_and_the_draft_kept(app, client, world, drafts,
                                                                   text):
    response = client.post(letter_url(world, drafts[0]) + "/edit", data={"body_text": text})
    assert response.status_code == 422
    assert 'id="body_text-error"' in response.get_data(as_text=True)
    assert _letters(app)[0].html == drafts[0].html


def test_the_budget_statement_is_not_edited_by_hand(client, world, drafts):
    assert client.get(letter_url(world, drafts[2]) + "/edit").status_code == 404


def test_the_pdf_names_the_creditor(client, world, drafts):
    response = client.get(letter_url(world, drafts[0]) + ".pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Barclaycard" in text and "4929-1111" in text
    day = local_date(drafts[0].created_at, "GB").isoformat()
    # Named by creditor and the letter's date (issue 14): ASCII, so no filename*.
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="Barclaycard-{day}.pdf"')


def test_a_chinese_pdf_has_the_chinese_text(client, app, world):
    generate(client, world, language="zh_CN")
    response = client.get(letter_url(world, _letters(app)[0]) + ".pdf")
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "还款方案申请" in text.replace(" ", "")


def test_the_docx_opens_in_word(client, world, drafts):
    response = client.get(letter_url(world, drafts[1]) + ".docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    assert any("Vanquis" in p.text for p in doc.paragraphs)


def test_an_unknown_format_is_not_found(client, world, drafts):
    assert client.get(letter_url(world, drafts[0]) + ".exe").status_code == 404


def test_the_zip_holds_every_letter_and_the_budget_statement(client, world, drafts):
    # Made in the background (a job, run at once in the tests), then downloaded.
    response = client.post(world["letters"] + ".zip")
    assert response.status_code == 302 and response.location.endswith("#zip")
    assert "Download all (ZIP of PDFs)" in client.get(world["letters"]).get_data(as_text=True)
    response = client.get(world["letters"] + ".zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    day = local_date(drafts[0].created_at, "GB").isoformat()
    assert sorted(archive.namelist()) == [
        f"Barclaycard-{day}.pdf", f"Budget-statement-{day}.pdf", f"Vanquis-{day}.pdf"]
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def test_the_zip_before_any_letter_says_to_write_them_first(client, world):
    for response in (client.get(world["letters"] + ".zip"),
                     client.post(world["letters"] + ".zip")):
        assert response.status_code == 409
        assert "Write the letters first." in response.get_data(as_text=True)


# --- sending ---------------------------------------------------------------------------


def test_marking_sent_freezes_the_letter_and_opens_the_negotiation(app, client, world, drafts):
    url = letter_url(world, drafts[0])
    sent_on = now_utc().date()
    response = client.post(url + "/mark-sent",
                           data={"sent_on": sent_on.isoformat(), "channel": "post"})
    assert response.status_code == 302
    letter, _vanquis, statement = _letters(app)
    assert letter.status == "sent" and letter.channel == "post"
    assert letter.sent_at.date() == sent_on
    assert letter.sha256 == letter_text_digest(letter.html) == letter_text_digest(drafts[0].html)
    assert statement.status == "sent"  # the enclosure is frozen with it
    with app.app_context():
        [negotiation] = db.session.scalars(select(Negotiation)).all()
        assert (negotiation.debt_ref, negotiation.status) == ("barclaycard", "awaiting_reply")
        assert negotiation.opened_by_letter_id == letter.id
    page = client.get(url).get_data(as_text=True)
    assert letter.sha256[:16] in page and "cannot be changed" in page
    assert "/edit" not in page and "Mark as sent" not in page


def test_a_sent_letter_can_never_be_changed(app, client, world, drafts):
    url = letter_url(world, drafts[0])
    client.post(url + "/mark-sent", data={"sent_on": now_utc().date().isoformat(),
                                          "channel": "app"})
    frozen = _letters(app)[0]
    assert client.get(url + "/edit").status_code == 409
    response = client.post(url + "/edit", data={"body_text": "changed"})
    assert response.status_code == 409
    assert "cannot be changed" in response.get_data(as_text=True)
    assert client.post(url + "/mark-sent", data={"sent_on": now_utc().date().isoformat(),
                                                 "channel": "post"}).status_code == 409
    assert client.post(url + "/send").status_code == 409
    after = _letters(app)[0]
    assert (after.html, after.sha256, after.channel) == (frozen.html, frozen.sha256, "app")


@pytest.mark.parametrize(("data", "field"), [
    ({"sent_on": "", "channel": "post"}, "sent_on"),
    ({"sent_on": "2027-02-30", "channel": "post"}, "sent_on"),
    ({"sent_on": "tomorrow+2", "channel": "post"}, "sent_on"),
    ({"sent_on": "2001-01-01", "channel": "post"}, "sent_on"),
    ({"channel": "carrier pigeon"}, "channel"),
])
def test_a_bad_sent_date_or_channel_is_refused_and_the_letter_stays_a_draft(
        app, client, world, drafts, data, field):
    data = dict(data)
    if data.get("sent_on") == "tomorrow+2":
        data["sent_on"] = (now_utc().date() + timedelta(days=2)).isoformat()
    data.setdefault("sent_on", now_utc().date().isoformat())
    response = client.post(letter_url(world, drafts[0]) + "/mark-sent", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert [x.status for x in _letters(app)] == ["draft"] * 3
    with app.app_context():
        assert db.session.scalars(select(Negotiation)).all() == []


class Inbox:
    """An aiosmtpd handler keeping every envelope it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def mail_app(make_app, smtp):
    controller, _inbox = smtp
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                    MAIL_FROM="letters@parley.example")


def test_sending_by_email_delivers_the_pdf_and_copies_the_borrower(smtp, mail_app):
    _controller, inbox = smtp
    client = mail_app.test_client()
    auth_world = _world_for(client, mail_app)
    inbox.envelopes.clear()  # the verification mail sent at registration
    [card, _vanquis, _statement] = _letters(mail_app)
    page = client.get(letter_url(auth_world, card)).get_data(as_text=True)
    assert "collections@barclaycard.example" in page and "Send by e-mail" in page
    response = client.post(letter_url(auth_world, card) + "/send")
    assert response.status_code == 302
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "letters@parley.example"
    # The copy goes to the account's verified address (m@), not the case's
    # free-text borrower e-mail (sam@): see services/letter_delivery.py.
    assert sorted(envelope.rcpt_tos) == ["collections@barclaycard.example", "m@example.com"]
    from email import message_from_bytes, policy

    message = message_from_bytes(envelope.content, policy=policy.default)
    assert message["Cc"] == "m@example.com" and message["Reply-To"] == "m@example.com"
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Sam Example via Parley",
                                                       "letters@parley.example")
    assert "Offer of payment" in message["Subject"]
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    day = local_date(card.created_at, "GB").isoformat()
    assert sorted(attachments) == [f"Barclaycard-{day}.pdf", f"Budget-statement-{day}.pdf"]
    assert attachments[f"Barclaycard-{day}.pdf"].startswith(b"%PDF")
    letter = _letters(mail_app)[0]
    assert (letter.status, letter.channel, letter.sent_to) == (
        "sent", "email", "collections@barclaycard.example")
    assert letter.sha256 == letter_text_digest(letter.html)
    with mail_app.app_context():
        assert db.session.scalar(select(Negotiation.status)) == "awaiting_reply"


def _world_for(client, app):
    """The ``world`` fixture's case, for an app built by the test itself."""
    client.post("/auth/register", data={"email": "m@example.com",
                                        "password": "correct horse battery",
                                        "confirm": "correct horse battery", "role": "borrower"})
    client.post("/auth/login", data={"email": "m@example.com", "password": "correct horse battery"})
    verify_account(client, app, "m@example.com")
    case_url = make_case(client, **BORROWER)
    make_item(client, case_url, "income", label="Wages", amount="2000", frequency="monthly")
    # a contractual payment beyond the budget: pro rata applies (issue 13.1)
    make_debt(client, case_url, creditor="Barclaycard", balance="3000", contractual_payment="2000",
              creditor_email="collections@barclaycard.example", account_ref="4929-1111")
    make_debt(client, case_url, creditor="Vanquis", balance="1200", contractual_payment="40",
              account_ref="VQ-2222")
    client.post(f"{case_url}/plan", data={"strategy": "pro_rata"})
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        world = {"case": case_url,
                 "letters": f"{case_url}/proposals/{proposal.public_id}/letters"}
    assert generate(client, world).status_code == 302
    return world


def test_when_the_mail_server_is_down_the_letter_stays_a_draft(make_app):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(),
                   MAIL_FROM="letters@parley.example")
    client = app.test_client()
    world = _world_for(client, app)
    card = _letters(app)[0]
    response = client.post(letter_url(world, card) + "/send")
    assert response.status_code == 503
    assert "could not be sent" in response.get_data(as_text=True)
    assert [x.status for x in _letters(app)] == ["draft"] * 3
    with app.app_context():
        assert db.session.scalars(select(Negotiation)).all() == []


def test_without_a_mail_server_the_page_offers_mark_as_sent(client, world, drafts):
    page = client.get(letter_url(world, drafts[0])).get_data(as_text=True)
    assert "Sending e-mail is not set up" in page and "Mark as sent" in page
    assert client.post(letter_url(world, drafts[0]) + "/send").status_code == 409


def test_a_creditor_without_an_email_cannot_be_emailed(smtp, mail_app):
    client = mail_app.test_client()
    world = _world_for(client, mail_app)
    smtp[1].envelopes.clear()  # the verification mail sent at registration
    vanquis = _letters(mail_app)[1]
    page = client.get(letter_url(world, vanquis)).get_data(as_text=True)
    assert "no e-mail address for this creditor" in page
    assert client.post(letter_url(world, vanquis) + "/send").status_code == 409
    assert smtp[1].envelopes == []


# --- who may see letters ----------------------------------------------------------------


def test_another_user_gets_404_everywhere(app, client, auth, world, drafts):
    url = letter_url(world, drafts[0])
    auth.logout()
    auth.register(email="other@example.com")
    for path in (world["letters"], world["letters"] + ".zip", url, url + "/preview",
                 url + "/edit", url + ".pdf", url + ".docx", url + ".html"):
        assert client.get(path).status_code == 404, path
    for path, data in ((world["letters"], {"letter_type": "proposal", "language": "en"}),
                       (url + "/edit", {"body_text": "mine now"}),
                       (url + "/send", {}),
                       (url + "/mark-sent", {"sent_on": now_utc().date().isoformat(),
                                             "channel": "post"})):
        assert client.post(path, data=data).status_code == 404, path
    assert [x.status for x in _letters(app)] == ["draft"] * 3
    assert _letters(app)[0].html == drafts[0].html


def test_a_letter_of_another_case_of_the_same_user_is_not_found(client, world, drafts):
    other_case = make_case(client, title="Second")
    assert client.get(f"{other_case}/letters/{drafts[0].public_id}").status_code == 404


def test_deleting_the_case_deletes_its_letters(app, client, world, drafts):
    client.post(letter_url(world, drafts[0]) + "/mark-sent",
                data={"sent_on": now_utc().date().isoformat(), "channel": "post"})
    assert client.post(world["case"] + "/delete", data={"word": "erase"}).status_code == 302
    assert _letters(app) == []
    with app.app_context():
        assert db.session.scalars(select(Negotiation)).all() == []


# --- fuzz -----------------------------------------------------------------------------

_values = st.one_of(st.text(max_size=200),
                    st.sampled_from(["", "2027-02-30", "9999-12-31", "proposal", "zh_CN",
                                     "post", "email", "\x00", "1" * 400]))


@pytest.mark.parametrize("action", ["generate", "edit", "mark-sent"])
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_posted_value_causes_a_server_error(client, world, drafts, action, data):
    url, fields = {
        "generate": (world["letters"], ["letter_type", "language"]),
        "edit": (letter_url(world, drafts[1]) + "/edit", ["body_text"]),
        "mark-sent": (letter_url(world, drafts[1]) + "/mark-sent", ["sent_on", "channel"]),
    }[action]
    payload = {name: data.draw(_values, label=name) for name in fields}
    response = client.post(url, data=payload)
    assert response.status_code < 500, (payload, response.get_data(as_text=True)[-400:])


def test_circumstances_and_a_date_go_into_every_letter(app, client, world):
    response = client.post(world["letters"], data={
        "letter_type": "reconsider", "language": "en",
        "circumstances": "I lost my job in March.\r\nI now work part time.",
        "letter_date": "2027-01-05"})
    assert response.status_code == 302
    letters = [x for x in _letters(app) if x.debt_ref]
    assert len(letters) == 2
    for letter in letters:
        assert letter.extras == {"refused_on": "2027-01-05",
                                 "circumstances": "I lost my job in March.\nI now work part time."}
        assert "I lost my job in March." in letter.html
        assert "5 Jan 2027" in letter.html or "5 January 2027" in letter.html
    # Editing re-renders from the stored details: the circumstances stay.
    edit = client.get(letter_url(world, letters[0]) + "/edit").get_data(as_text=True)
    assert "I lost my job in March." in edit


def test_a_bad_letter_date_comes_back_beside_the_field(app, client, world):
    response = client.post(world["letters"], data={
        "letter_type": "proposal", "language": "en", "letter_date": "2027-02-30"})
    assert response.status_code == 422
    assert 'id="letter_date-error"' in response.get_data(as_text=True)
    assert _letters(app) == []


def test_empty_optional_details_are_fine_as_a_browser_posts_them(app, client, world):
    response = client.post(world["letters"], data={
        "letter_type": "proposal", "language": "en", "circumstances": "", "letter_date": ""})
    assert response.status_code == 302
    assert all(x.extras == {} for x in _letters(app))


def test_one_set_of_us_letters_cites_the_fdcpa_only_to_the_debt_buyer(app, client, auth):
    auth.register(email="us@example.com")
    case_url = make_case(client, currency="USD", jurisdiction="US",
                         borrower_name="Dana Reyes", borrower_address="12 Elm Street, Toledo")
    make_item(client, case_url, "income", label="Pay", amount="3000", frequency="monthly")
    make_debt(client, case_url, creditor="Chase", balance="4000", contractual_payment="3500",
              account_ref="CH-1")  # beyond the budget: pro rata applies (issue 13.1)
    make_debt(client, case_url, creditor="Midland Credit", balance="2000", holder="debt_buyer",
              account_ref="MC-2")
    response = client.post(f"{case_url}/plan", data={"strategy": "pro_rata"})
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        letters_url = f"{case_url}/proposals/{proposal.public_id}/letters"
    assert generate(client, {"letters": letters_url}, "prove_debt").status_code == 302
    texts = {x.debt_ref: x.html for x in _letters(app)}
    assert "15 U.S.C. § 1692g" in texts["midland-credit"]
    assert "Request for information about my account" in texts["chase"]
    assert "1692" not in texts["chase"] and "Fair Debt Collection" not in texts["chase"]
# --- issue 14.1: no letter without a sender ------------------------------------------


@pytest.fixture
def bare(app, client, auth):
    """A case with no sender and no account references, and a saved proposal."""
    auth.register()
    case_url = make_case(client)
    make_item(client, case_url, "income", label="Wages", amount="2000", frequency="monthly")
    # a contractual payment beyond the budget: pro rata applies (issue 13.1)
    make_debt(client, case_url, creditor="Barclaycard", balance="3000", contractual_payment="2000")
    make_debt(client, case_url, creditor="Vanquis", balance="1200", contractual_payment="40")
    assert client.post(f"{case_url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        revision = proposal.case.revision
        letters_url = f"{case_url}/proposals/{proposal.public_id}/letters"
    return {"case": case_url, "letters": letters_url, "revision": revision}


SENDER_FORM = {"letter_type": "proposal", "language": "en", "sender_name": "Sam Example",
               "sender_address": "1 High Street\r\nLeeds LS1 1AA",
               "account_ref-0": "4929-1111", "account_ref_unknown-1": "y"}


def _interface(client, lang: str) -> None:
    client.post("/language", data={"lang": lang.replace("-", "_"), "next": "/"})


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_letters_page_asks_for_the_missing_sender_details(client, bare, lang):
    _interface(client, lang)
    html = client.get(bare["letters"]).get_data(as_text=True)
    assert 'name="sender_name"' in html and 'name="sender_address"' in html
    assert 'name="account_ref-0"' in html and 'name="account_ref_unknown-1"' in html
    if lang == "zh-CN":
        assert "信函由谁寄出" in html and "我没有账号" in html
    else:
        assert "Who the letters are from" in html and "I don't have it" in html


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_letters_without_a_sender_are_refused_and_nothing_is_saved(app, client, bare, lang):
    _interface(client, lang)
    response = client.post(bare["letters"], data={"letter_type": "proposal", "language": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    expected = {"en": ("Give your name", "Give your postal address", "give the account reference"),
                "zh-CN": ("请填写你的姓名", "请填写你的通信地址", "请填写每位债权人的账号")}[lang]
    for message in expected:
        assert message in html
    # a name alone is not enough, and is not half-saved either
    response = client.post(bare["letters"], data={**SENDER_FORM, "sender_address": ""})
    assert response.status_code == 422
    assert _letters(app) == []
    with app.app_context():
        case = db.session.scalar(select(Proposal)).case
        assert case.borrower_name == "" and case.debts[0].account_ref == ""


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_sender_given_on_the_letters_page_is_saved_and_printed(app, client, bare, language):
    response = client.post(bare["letters"], data={**SENDER_FORM, "language": language})
    assert response.status_code == 302, response.get_data(as_text=True)
    letters = _letters(app)
    assert [x.debt_ref for x in letters] == ["barclaycard", "vanquis", None]
    first, second = (" ".join(x.html.split()) for x in letters[:2])
    for html in (first, second):
        assert "Sam Example" in html and "1 High Street" in html and "Leeds LS1 1AA" in html
    assert "4929-1111" in first
    assert {"en": "I do not have the account reference",
            "zh_CN": "本人暂无法提供，请根据本人姓名及联系地址查询该账户"}[language] in second
    pdf = PdfReader(io.BytesIO(client.get(world_letter(bare, letters[1]) + ".pdf").data))
    printed = "".join(p.extract_text() for p in pdf.pages).replace(" ", "").replace("\n", "")
    assert "SamExample" in printed and "1HighStreet" in printed
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.case.borrower_name == "Sam Example"
        assert [d.account_ref_unknown for d in proposal.case.debts] == [False, True]
        # contact details do not change the plan: the proposal is still current
        assert proposal.case.revision == bare["revision"]
    page = client.get(bare["letters"]).get_data(as_text=True)
    assert 'name="sender_name"' not in page and "Sam Example" in page


def world_letter(world, letter: Letter) -> str:
    return world["case"] + f"/letters/{letter.public_id}"


def test_a_chinese_id_number_is_checked_printed_in_full_and_masked_on_pages(app, client, auth):
    auth.register()
    case_url = make_case(client, currency="CNY", jurisdiction="CN", **BORROWER)
    make_item(client, case_url, "income", label="工资", amount="9000", frequency="monthly")
    make_debt(client, case_url, creditor="招商银行信用卡中心", balance="30000",
              contractual_payment="9000",  # beyond the budget: a longer term applies (13.1)
              account_ref="6225 8800 1234 5678")
    make_debt(client, case_url, creditor="微粒贷", kind="online_loan", balance="15000",
              contractual_payment="1400", account_ref="WLD-1")
    assert client.post(f"{case_url}/plan", data={"strategy": "term_extension"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        url = f"{case_url}/proposals/{proposal.public_id}/letters"
    page = client.get(url).get_data(as_text=True)
    assert 'name="sender_id_number"' in page  # optional, asked while it is missing
    form = {"letter_type": "cn_instalment", "language": "zh_CN",
            "sender_id_number": "110105199001011233"}
    response = client.post(url, data=form)
    assert response.status_code == 422
    assert "check digit" in response.get_data(as_text=True)
    response = client.post(url, data={**form, "sender_id_number": "110105199001011232",
                                      "proofs": ["unemployment", "bank_statements"],
                                      "waive_charges": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    letters = _letters(app)
    # 13.7: the 个性化分期 letter to the card, an ordinary proposal to the online loan
    assert [x.letter_type for x in letters] == ["cn_instalment", "proposal", "budget_statement"]
    assert "个性化分期" not in letters[1].html and "微粒贷" in letters[1].html
    card = letters[0]
    assert "110105199001011232" in card.html  # stored in full: it is what is sent
    assert "附件：1. 家庭收支情况说明；2. 失业证明；3. 银行流水" in card.html
    assert "减免本人逾期以来已计收的罚息、违约金及利息" in card.html
    preview = client.get(world_letter({"case": case_url}, card) + "/preview")
    assert "110105199001011232" not in preview.get_data(as_text=True)
    assert "1101**********1232" in preview.get_data(as_text=True)
    download = client.get(world_letter({"case": case_url}, card) + ".pdf").data
    printed = "".join(p.extract_text() for p in PdfReader(io.BytesIO(download)).pages)
    assert "110105199001011232" in printed.replace(" ", "")
    page = client.get(url).get_data(as_text=True)
    assert "1101**********1232" in page and "110105199001011232" not in page
    shown = client.get(world_letter({"case": case_url}, card)).get_data(as_text=True)
    assert "Your ID number is masked on this page" in shown
    assert "110105199001011232" not in shown


# --- issue 14.2: priority creditors get a letter -----------------------------------------


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_council_gets_an_arrangement_letter_for_its_arrears(app, client, world, language):
    page = client.get(world["letters"]).get_data(as_text=True)
    assert '<option value="priority_arrears">Arrangement to pay the arrears</option>' in page
    response = client.post(world["letters"], data={"letter_type": "priority_arrears",
                                                   "language": language})
    assert response.status_code == 422  # the council's account reference is not known yet
    response = client.post(world["letters"], data={"letter_type": "priority_arrears",
                                                   "language": language,
                                                   "account_ref_unknown-2": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    letters = _letters(app)
    assert [(x.debt_ref, x.letter_type) for x in letters] == [
        ("council", "priority_arrears"), (None, "budget_statement")]
    text = " ".join(letters[0].html.split())
    expected = {"en": ["arrears of £300.00 in council tax", "enforcement agents"],
                "zh_CN": ["拖欠市政税共计£300.00", "暂不采取强制执行等追缴措施"]}[language]
    for phrase in expected:
        assert phrase in text


def test_a_draft_whose_sender_was_removed_asks_for_it_again_instead_of_failing(
        app, client, world, drafts):
    from tests.factories import CASE_FORM

    response = client.post(world["case"] + "/edit", data={**CASE_FORM, "borrower_name": ""})
    assert response.status_code == 302
    response = client.get(letter_url(world, drafts[0]) + "/edit")
    assert response.status_code == 302
    assert response.location.endswith("/letters#sender")
    page = client.get(world["letters"]).get_data(as_text=True)
    assert "are needed before a letter can be changed" in page
    assert 'name="sender_name"' in page
    response = client.post(letter_url(world, drafts[0]) + "/edit", data={"body_text": "Hello"})
    assert response.status_code == 302  # the same answer, never a 500
