"""One click from the contact log's flagged lines to a letter (issue 9): the
contact restrictions, the complaint to the creditor and the regulator
complaint, each with the table of the caller's flagged contacts; all or
nothing, other users 404, drafts like every letter, frozen once sent."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from docx import Document
from sqlalchemy import func, select

from tests.factories import verify_account
from tests.letters.support import pdf_text
from tests.unit.record_builders import case_file, contact, debt
from webapp.extensions import db
from webapp.models import Letter, SentMail
from webapp.models.types import local_date, now_utc

OFFSETS = {"CN": "+08:00", "US": "-05:00", "GB": "+00:00"}
#: four answered calls in one evening and one to the borrower's mother
EVENING = (("19:10", "borrower"), ("20:05", "borrower"), ("21:15", "borrower"),
           ("22:20", "borrower"), ("22:40", "family"))


def day(jurisdiction: str, n: int = 3) -> str:
    return (local_date(now_utc(), jurisdiction) - timedelta(days=n)).isoformat()


def case_data(jurisdiction="CN", *, sender=True, ref="6225-8800", kind="credit_card",
              contacts=None, **debt_extra) -> dict:
    data = case_file([debt("cmb", "38000", kind=kind, creditor_email="c@bank.example",
                           **({"account_ref": ref} if ref else {}), **debt_extra),
                      debt("icbc", "9000")], jurisdiction=jurisdiction)
    data["currency"] = {"CN": "CNY", "US": "USD", "GB": "GBP"}[jurisdiction]
    if sender:
        data["borrower"] = {"name": "王小明", "address": "上海市浦东新区某路1号"}
    offset = OFFSETS[jurisdiction]
    data["contacts"] = contacts if contacts is not None else [
        contact(f"{day(jurisdiction)}T{t}:00{offset}", connected=True, collector="外包催收公司",
                party=party, debt_id="cmb") for t, party in EVENING]
    return data


def import_case(client, data: dict) -> str:
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


@pytest.fixture
def cn_case(client, auth):
    auth.register()
    return import_case(client, case_data())


def write(client, url, letter_type="contact_complaint", caller="cmb", prefix="letter1",
          **fields):
    form = {"form": prefix, f"{prefix}-caller": caller, f"{prefix}-letter_type": letter_type,
            f"{prefix}-language": "zh_CN"}
    form.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return client.post(f"{url}/contacts/letters", data=form)


def letter_path(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.location


def letters(app) -> list[Letter]:
    with app.app_context():
        rows = db.session.scalars(select(Letter).order_by(Letter.id)).all()
        db.session.expunge_all()
        return rows


def pdf_of(client, path: str) -> str:
    response = client.get(f"{path}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    return pdf_text(response.data)


def stamps(jurisdiction: str, clocks) -> list[str]:
    return [f"{day(jurisdiction)} {c} {OFFSETS[jurisdiction]}" for c in clocks]


def test_the_log_offers_the_three_letters_for_a_flagged_caller(client, cn_case):
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    form = page[page.index('<div class="contact-letters">'):]
    form = form[:form.index("</form>")]
    for value in ("contact_restrictions", "contact_complaint", "regulator_complaint"):
        assert f'name="letter1-letter_type" value="{value}"' in form
    assert 'name="letter1-caller" type="hidden" value="cmb"' in form
    # China: who supervises the lender (a credit card: the NFRA)
    assert re.search(r'<option selected value="nfra">', form)
    # nothing is asked that the case already has
    assert "letter1-sender_name" not in form and "letter1-account_ref" not in form


def test_the_complaint_is_written_in_one_click_with_the_table_in_chinese(client, cn_case, app):
    path = letter_path(write(client, cn_case))
    assert "关于违规催收行为的投诉函" in client.get(path).get_data(as_text=True)
    text = pdf_of(client, path)
    assert "违规催收记录表" in text
    # the flagged contacts of the evening, date-time with offset, and nothing else
    for stamp in stamps("CN", ["22:20", "22:40"]):
        assert stamp in text
    for stamp in stamps("CN", ["19:10", "20:05", "21:15"]):
        assert stamp not in text
    assert "电话" in text and "本人家人" in text
    compact = text.replace(" ", "")
    assert "在晚22:00至次日早8:00之间催收" in compact
    assert "同一天接通的催收电话超过3次" in compact and "第六十八条" in compact
    # the standard is named for what it is
    assert "推荐性国家标准" in compact and "不是法律" in compact
    [letter] = letters(app)
    assert (letter.proposal_id, letter.status, letter.debt_ref) == (None, "draft", "cmb")


def test_the_english_complaint_pdf_and_docx_carry_the_table(client, cn_case):
    path = letter_path(write(client, cn_case, language="en"))
    text = pdf_of(client, path)
    assert "Schedule: contacts that break the rules" in text
    for stamp in stamps("CN", ["22:20", "22:40"]):
        assert stamp in text
    assert "Contact between 10 p.m. and 8 a.m." in text
    assert "recommended national standard, not a law" in text
    document = Document(io.BytesIO(client.get(f"{path}.docx").data))
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Date and time", "How", "Who was contacted", "Rule broken"]
    assert [r[0] for r in rows[1:]] == stamps("CN", ["22:20", "22:40"])
    assert rows[2][1:3] == ["Phone call, answered", "My family"]
    assert "Contact with someone other than me" in rows[2][3]


def test_the_restrictions_letter_is_filled_from_the_night_and_family_contacts(client, cn_case):
    path = letter_path(write(client, cn_case, "contact_restrictions", language="en"))
    text = pdf_of(client, path)
    assert "How you may contact me" in text
    assert "Do not contact my family" in text
    for stamp in stamps("CN", ["22:20", "22:40"]):
        assert stamp in text
    # the restrictions answer the night and the third-party contacts; the
    # calls-a-day rule is the complaint's business
    schedule = text[text.index("Schedule"):]
    assert "More than three answered" not in schedule


def test_the_chinese_regulator_complaint_goes_to_the_regulator_the_lender_answers_to(
        client, cn_case):
    text = pdf_of(client, letter_path(write(client, cn_case, "regulator_complaint")))
    compact = text.replace(" ", "")
    assert "致国家金融监督管理总局" in compact and "被投诉机构：Creditorcmb" in compact
    assert "违规催收记录表" in compact
    local = pdf_of(client, letter_path(write(client, cn_case, "regulator_complaint",
                                             route="local"))).replace(" ", "")
    assert "致贷款机构注册地的地方金融管理局" in local


def test_an_online_lender_defaults_to_the_local_regulator(client, auth):
    auth.register()
    url = import_case(client, case_data(kind="online_loan"))
    page = client.get(f"{url}/contacts").get_data(as_text=True)
    assert '<option selected value="local">' in page


def test_the_page_says_how_to_send_a_regulator_complaint_and_never_emails_it(make_app):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_FROM="letters@parley.example")
    client = app.test_client()
    client.post("/auth/register", data={"email": "m@example.com", "role": "borrower",
                                        "password": "correct horse battery",
                                        "confirm": "correct horse battery"})
    client.post("/auth/login", data={"email": "m@example.com",
                                     "password": "correct horse battery"})
    verify_account(client, app, "m@example.com")
    url = import_case(client, case_data("US", holder="collection_agency"))
    complaint = letter_path(write(client, url, language="en"))
    # a complaint to the creditor may be e-mailed to it...
    assert "Send by e-mail" in client.get(complaint).get_data(as_text=True)
    regulator = letter_path(write(client, url, "regulator_complaint", language="en"))
    page = client.get(regulator).get_data(as_text=True)
    assert "How to send this complaint" in page and "consumerfinance.gov/complaint" in page
    # ...a complaint about it never goes to its address
    assert "Send by e-mail" not in page
    assert client.post(f"{regulator}/send").status_code == 409
    with app.app_context():
        assert db.session.scalar(select(func.count(SentMail.id))) == 0
    text = pdf_of(client, regulator)
    assert "Consumer Financial Protection Bureau" in text and "Iowa City, IA 52244" in text
    assert "Complaint about: Creditor cmb" in text
    assert "15 U.S.C. § 1692c(a)(1)" in text


def test_the_ombudsman_waits_for_the_final_response_or_eight_weeks(client, auth, app):
    auth.register()
    url = import_case(client, case_data("GB"))
    missing = write(client, url, "regulator_complaint", language="en")
    assert missing.status_code == 422
    page = missing.get_data(as_text=True)
    assert 'id="letter1-complained_on-error"' in page and "complained" in page
    early = (local_date(now_utc(), "GB") - timedelta(weeks=3)).isoformat()
    response = write(client, url, "regulator_complaint", language="en", complained_on=early)
    assert response.status_code == 422
    ready = (local_date(now_utc(), "GB") + timedelta(weeks=5)).isoformat()
    assert ready in response.get_data(as_text=True)
    assert letters(app) == []  # nothing written
    final = (local_date(now_utc(), "GB") - timedelta(days=2)).isoformat()
    text = pdf_of(client, letter_path(write(client, url, "regulator_complaint", language="en",
                                            complained_on=early, final_response_on=final)))
    assert "Financial Ombudsman Service" in text and "E14 9SR" in text
    assert "Its final response of" in text
    long_ago = (local_date(now_utc(), "GB") - timedelta(weeks=9)).isoformat()
    text = pdf_of(client, letter_path(write(client, url, "regulator_complaint", language="en",
                                            complained_on=long_ago)))
    assert "More than eight weeks have passed" in text
    # the UK's hours are a reading of the rule, and the letter says so
    assert "names no hours" in text


def test_a_complaint_sent_from_parley_dates_the_ombudsman_letter(client, auth, app):
    auth.register()
    url = import_case(client, case_data("GB"))
    complaint = letter_path(write(client, url, language="en"))
    sent_at = now_utc() - timedelta(weeks=9)
    # The sending day is the local day of the moment it was sent (British Summer
    # Time nine weeks ago can make it the day after the UTC date).
    sent_on = local_date(sent_at, "GB")
    with app.app_context():
        letter = db.session.scalar(select(Letter))
        letter.status, letter.sent_at = "sent", sent_at
        letter.sha256, letter.channel = "0" * 64, "post"
        db.session.commit()
    assert complaint
    page = client.get(f"{url}/contacts").get_data(as_text=True)
    assert f'value="{sent_on.isoformat()}"' in page
    text = pdf_of(client, letter_path(write(client, url, "regulator_complaint", language="en",
                                            complained_on=sent_on.isoformat())))
    assert "More than eight weeks have passed" in text


def test_a_missing_sender_is_asked_for_and_nothing_is_half_saved(client, auth, app):
    auth.register()
    url = import_case(client, case_data(sender=False, ref=None))
    form = client.get(f"{url}/contacts").get_data(as_text=True)
    assert 'name="letter1-sender_name"' in form and 'name="letter1-account_ref"' in form
    response = write(client, url, sender_name="王小明")  # no address, no reference
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="letter1-sender_address-error"' in page
    assert 'id="letter1-account_ref-error"' in page
    assert letters(app) == []
    exported = json.loads(client.get(f"{url}/export").data)
    assert not (exported.get("borrower") or {}).get("name")  # the name typed was not kept
    path = letter_path(write(client, url, sender_name="王小明", sender_address="上海市某路1号",
                             account_ref_unknown="y"))
    exported = json.loads(client.get(f"{url}/export").data)
    assert exported["borrower"]["name"] == "王小明"
    assert exported["debts"][0]["account_ref_unknown"] is True
    assert "王小明" in pdf_of(client, path)


def test_a_collector_logged_by_name_needs_the_debt_it_collects(client, auth, app):
    auth.register()
    offset = OFFSETS["CN"]
    url = import_case(client, case_data(contacts=[
        contact(f"{day('CN')}T23:10:00{offset}", collector="某某资产管理", party="employer")]))
    page = client.get(f"{url}/contacts").get_data(as_text=True)
    assert 'name="letter1-debt_ref"' in page
    response = write(client, url, caller="某某资产管理")
    assert response.status_code == 422
    assert 'id="letter1-debt_ref-error"' in response.get_data(as_text=True)
    text = pdf_of(client, letter_path(write(client, url, caller="某某资产管理", debt_ref="icbc",
                                          account_ref="ICBC-77")))
    assert "某某资产管理" in text and "本人工作单位" in text.replace(" ", "")
    assert [x.debt_ref for x in letters(app)] == ["icbc"]


@pytest.mark.parametrize("fields", [
    {"letter_type": "proposal"},
    {"caller": "nobody"},
    {"language": "fr"},
    {"route": "police"},
])
def test_bad_input_is_refused_beside_the_form_and_writes_nothing(client, cn_case, app, fields):
    response = write(client, cn_case, **{"letter_type": "contact_complaint", **fields})
    assert response.status_code == 422
    assert letters(app) == []


def test_a_caller_with_nothing_flagged_gets_no_letter(client, auth, app):
    auth.register()
    offset = OFFSETS["CN"]
    url = import_case(client, case_data(contacts=[
        contact(f"{day('CN')}T10:00:00{offset}", debt_id="cmb")]))
    assert 'class="contact-letters"' not in client.get(f"{url}/contacts").get_data(as_text=True)
    assert write(client, url).status_code == 422
    assert letters(app) == []


def test_other_users_get_404(client, cn_case, auth):
    path = letter_path(write(client, cn_case))
    auth.logout()
    auth.register(email="other@example.com")
    assert write(client, cn_case).status_code == 404
    for suffix in ("", ".pdf", ".docx", "/edit"):
        assert client.get(path + suffix).status_code == 404


def test_a_second_click_replaces_the_draft_and_a_sent_letter_stays(client, cn_case, app):
    first = letter_path(write(client, cn_case))
    second = letter_path(write(client, cn_case))
    assert first != second and client.get(first).status_code == 404
    assert len(letters(app)) == 1
    response = client.post(f"{second}/mark-sent", data={
        "sent_on": local_date(now_utc(), "CN").isoformat(), "channel": "post"})
    assert response.status_code == 302
    third = letter_path(write(client, cn_case))
    assert [x.status for x in letters(app)] == ["sent", "draft"]
    assert client.get(f"{second}/edit").status_code == 409
    assert client.get(third).status_code == 200
    # a letter about the contacts is no step of the offer negotiation
    assert "negotiations" not in json.loads(client.get(f"{cn_case}/export").data)
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    listed = page[page.index('id="log-letters"'):]
    assert listed.count("关于违规催收行为的投诉函") == 2


def test_an_edited_draft_keeps_the_contacts_it_was_written_with(client, cn_case):
    path = letter_path(write(client, cn_case, language="en"))
    # a new flagged contact logged afterwards is not slipped into this draft
    client.post(f"{cn_case}/contacts", data={
        "on": day("CN", 1), "at": "23:30", "channel": "call", "party": "friend",
        "debt_ref": "cmb", "collector": "", "notes": ""})
    response = client.post(f"{path}/edit", data={
        "body_text": "I complain about the contacts listed below.", "version": "1"})
    assert response.status_code == 302
    text = pdf_of(client, path)
    assert "I complain about the contacts listed below." in text
    for stamp in stamps("CN", ["22:20", "22:40"]):
        assert stamp in text
    assert f"{day('CN', 1)} 23:30" not in text


def test_the_log_lines_show_the_rule_and_its_source_in_plain_words(client, cn_case):
    page = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    log = page[page.index('id="contact-log"'):]
    assert "Contact between 10 p.m. and 8 a.m." in log
    assert "a recommended standard, not a law" in log
    client.post("/language", data={"lang": "zh_CN"})
    log = client.get(f"{cn_case}/contacts").get_data(as_text=True)
    log = log[log.index('id="contact-log"'):]
    assert "推荐性标准" in log and "不是法律" in log


def test_a_double_click_leaves_one_draft(app, client, cn_case):
    from tests.concurrency import race, second_client

    other = second_client(app)
    for _ in range(3):
        a, b = race(lambda: write(client, cn_case), lambda: write(other, cn_case))
        assert {a.status_code, b.status_code} == {303}
        drafts = [x for x in letters(app) if x.status == "draft"]
        assert [(x.debt_ref, x.letter_type) for x in drafts] == [("cmb", "contact_complaint")]
