"""What a first-time user meets in the browser (issue 14, items 8 to 10), on the
server side: the country and currency a new case starts with, dates and money
in the case's conventions, the shortfall, the debt kinds per country, the next
step after saving a proposal, the chart's table, the fingerprint, file names."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from tests.factories import make_case, make_debt, make_item
from webapp.charts import BalanceChart, Series
from webapp.extensions import db
from webapp.models import Case, Letter, Proposal
from webapp.models.types import local_date, now_utc

ROOT = Path(__file__).resolve().parents[2]


def speak(client, lang: str) -> None:
    """Switch the interface language, as the header's button does."""
    client.post("/language", data={"lang": lang, "next": "/"})


def selected(html: str, field: str) -> str:
    """The selected option of a <select> as the page renders it."""
    select_html = re.search(rf'<select[^>]*id="{field}".*?</select>', html, re.S).group(0)
    return re.search(r'<option selected value="([^"]*)"', select_html).group(1)


def text_of(html: str, pattern: str) -> str:
    """The text of the first element matching ``pattern`` (its opening tag), tags removed."""
    start = re.search(pattern, html).end()
    inner = html[start:html.index("</dd>", start)]
    return re.sub(r"<[^>]+>", "", inner).strip()


# --- 8. the country, the currency, the formats ---------------------------------------


@pytest.mark.parametrize(("accept", "country", "currency"), [
    ("en-GB,en;q=0.9", "GB", "GBP"),
    ("en-US,en;q=0.9", "US", "USD"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "CN", "CNY"),
    # Plain English has no region: CLDR's likely one (en → en_Latn_US), as browsers do.
    ("en", "US", "USD"),
    ("en-AU,en;q=0.9", "other", "AUD"),
])
def test_a_new_case_starts_in_the_browsers_country(client, auth, accept, country, currency):
    auth.register()
    html = client.get("/cases/new", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert (selected(html, "jurisdiction"), selected(html, "currency")) == (country, currency)
    # The currency shown is Parley's suggestion, so it may follow the country.
    assert f'id="currency_shown" name="currency_shown" type="hidden" value="{currency}"' in html


def _saved(app) -> tuple[str, str]:
    with app.app_context():
        case = db.session.scalar(select(Case).order_by(Case.id.desc()))
        return case.jurisdiction, case.currency


def test_without_javascript_the_currency_follows_the_country(app, client, auth):
    auth.register()
    # The page suggested China and CNY; the user chose the United Kingdom only.
    make_case(client, jurisdiction="GB", currency="CNY", currency_shown="CNY")
    assert _saved(app) == ("GB", "GBP")


def test_a_currency_the_user_chose_stays(app, client, auth):
    auth.register()
    # Suggested GBP; the user chose euros and the United Kingdom.
    make_case(client, jurisdiction="GB", currency="EUR", currency_shown="GBP")
    assert _saved(app) == ("GB", "EUR")
    case_url = make_case(client, jurisdiction="GB", currency="EUR", currency_shown="")
    # Editing later: euros are the user's own choice, so they do not follow the country.
    html = client.get(case_url + "/edit").get_data(as_text=True)
    assert 'id="currency_shown" name="currency_shown" type="hidden" value=""' in html
    client.post(case_url + "/edit", data={
        "title": "x", "currency": "EUR", "jurisdiction": "US", "start_date": "2027-01-31",
        "adults": "1", "children": "0", "min_offer": "1", "term_apr": "0", "currency_shown": ""})
    assert _saved(app) == ("US", "EUR")


@pytest.mark.parametrize(("country", "currency", "lang", "day", "money"), [
    ("GB", "GBP", "en", "1 Dec 2026", "£1,234.50"),
    ("US", "USD", "en", "Dec 1, 2026", "$1,234.50"),
    ("GB", "GBP", "zh_CN", "2026年12月1日", "£1,234.50"),
    ("CN", "CNY", "zh_CN", "2026年12月1日", "¥1,234.50"),
])
def test_dates_and_money_follow_the_case_and_the_interface(client, auth, country, currency,
                                                          lang, day, money):
    auth.register()
    speak(client, lang)
    case_url = make_case(client, jurisdiction=country, currency=currency,
                         start_date="2026-12-01")
    make_item(client, case_url, "income", amount="1234.50", frequency="monthly")
    html = client.get(case_url).get_data(as_text=True)
    assert day in html
    assert money in text_of(html, r'data-figure="monthly_income">')


# --- 9. the shortfall ---------------------------------------------------------------


def test_a_shortfall_says_short_by_with_no_hyphen_to_wrap(client, auth):
    auth.register()
    case_url = make_case(client)
    make_item(client, case_url, "income", amount="100", frequency="monthly")
    make_item(client, case_url, "expense", label="Rent", amount="426.67", frequency="monthly")
    html = client.get(case_url).get_data(as_text=True)
    assert text_of(html, r'data-figure="available">') == "short by £326.67"
    assert "-£" not in html
    speak(client, "zh_CN")
    zh = client.get(case_url).get_data(as_text=True)
    assert "-£" not in zh and "£326.67" in text_of(zh, r'data-figure="available">')


def test_a_negative_amount_has_a_real_minus_sign_that_does_not_break(app):
    from webapp.filters import money

    with app.test_request_context():
        assert money(Decimal("-326.67"), "GBP") == "\u2212\u2060£326.67"
        assert money(Decimal("326.67"), "GBP") == "£326.67"


# --- 10. small things ---------------------------------------------------------------


@pytest.fixture
def planned(app, client, auth):
    """A GB case with a surplus and a saved fair-shares proposal."""
    auth.register()
    case_url = make_case(client, borrower_name="Sam Example",
                         borrower_address="1 High Street, Leeds")
    make_item(client, case_url, "income", amount="2000", frequency="monthly")
    # a contractual payment beyond the budget: pro rata applies (issue 13.1)
    make_debt(client, case_url, creditor="Barclaycard", balance="24000", contractual_payment="2000",
              account_ref="4929-1111")
    make_debt(client, case_url, creditor="Vanquis", balance="9000", contractual_payment="40",
              account_ref="VQ-2222")
    assert client.post(f"{case_url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        return {"case": case_url,
                "letters": f"{case_url}/proposals/{proposal.public_id}/letters"}


def test_after_saving_writing_the_letters_is_the_primary_step(client, planned):
    html = client.get(planned["case"] + "/plan").get_data(as_text=True)
    link = re.search(r'<a href="[^"]*/letters"[^>]*>', html).group(0)
    assert 'role="button"' in link and "secondary" not in link
    # Every other option's button steps back.
    buttons = re.findall(r'<button type="submit" class="([^"]*)">Use this as my proposal', html)
    assert buttons and all("secondary" in b for b in buttons)


def test_the_chart_table_has_every_year_and_each_options_last_month():
    def series(name, months):
        values = [Decimal(1000 - 10 * k) for k in range(months + 1)]
        return Series(name, "#000", "", "", values)

    chart = BalanceChart(640, 260, [series("pro_rata", 14), series("avalanche", 27)],
                         Decimal(1000), 27, 254)
    assert chart.rows == [0, 12, 14, 24, 27]
    assert chart.series[0].at(14) == Decimal(860)
    assert chart.series[0].at(24) is None  # paid off by then


def test_the_chart_table_on_the_page_shows_the_final_month(client, planned):
    html = client.get(planned["case"] + "/plan").get_data(as_text=True)
    table = html[html.index("The chart as a table"):]
    rows = re.findall(r'<th scope="row">(\d+) months?</th>', table[:table.index("</table>")])
    months = int(re.search(r"over (\d+) months", html).group(1))
    assert months > 12 and months % 12
    # every year and the month the longest option ends (the others' last months too)
    assert {0, 12, months} <= {int(r) for r in rows}
    assert [int(r) for r in rows] == sorted({int(r) for r in rows})


def _kinds(html: str) -> list[str]:
    select_html = re.search(r'<select[^>]*id="kind".*?</select>', html, re.S).group(0)
    return re.findall(r'value="([^"]*)"', select_html)


def test_council_tax_is_offered_only_in_the_uk(client, auth):
    auth.register()
    cn = make_case(client, jurisdiction="CN", currency="CNY")
    gb = make_case(client)
    assert "council_tax" in _kinds(client.get(gb + "/debts/new").get_data(as_text=True))
    speak(client, "zh_CN")
    page = client.get(cn + "/debts/new").get_data(as_text=True)
    assert "council_tax" not in _kinds(page) and "市政税" not in page
    assert "信用卡" in page
    response = client.post(cn + "/debts/new", data={
        "creditor": "X", "kind": "council_tax", "balance": "10", "apr": "0",
        "contractual_payment": "0", "priority": "auto"})
    assert response.status_code in (200, 422) and 'id="kind-error"' in response.get_data(
        as_text=True)


def test_a_stored_council_tax_debt_keeps_its_kind_when_edited(app, client, auth):
    auth.register()
    case_url = make_case(client)
    make_debt(client, case_url, creditor="Leeds City Council", kind="council_tax")
    client.post(case_url + "/edit", data={
        "title": "x", "currency": "GBP", "jurisdiction": "other", "start_date": "2027-01-31",
        "adults": "1", "children": "0", "min_offer": "1", "term_apr": "0"})
    with app.app_context():
        debt_id = db.session.scalar(select(Case)).debts[0].id
    html = client.get(f"{case_url}/debts/{debt_id}/edit").get_data(as_text=True)
    assert selected(html, "kind") == "council_tax"


def test_a_sent_letter_explains_its_fingerprint(app, client, planned):
    assert client.post(planned["letters"], data={"letter_type": "proposal",
                                                 "language": "en"}).status_code == 302
    with app.app_context():
        letter = db.session.scalars(select(Letter).order_by(Letter.id)).first()
        url = f"{planned['case']}/letters/{letter.public_id}"
    client.post(url + "/mark-sent", data={"sent_on": now_utc().date().isoformat(),
                                          "channel": "post"})
    with app.app_context():
        digest = db.session.get(Letter, letter.id).sha256
    html = client.get(url).get_data(as_text=True)
    details = re.search(r'<details class="fingerprint">.*?</details>', html, re.S).group(0)
    summary = re.search(r"<summary>(.*?)</summary>", details).group(1)
    assert summary == "A fingerprint that proves this letter was not changed"
    assert digest == re.sub(r"<wbr>", "", re.search(r'<code class="digest">(.*?)</code>',
                                                     details).group(1))
    assert "Fingerprint (SHA-256)" not in html


def test_a_chinese_letter_is_downloaded_under_the_creditors_name(app, client, auth):
    auth.register()
    case_url = make_case(client, jurisdiction="CN", currency="CNY", language="zh_CN",
                         borrower_name="张三", borrower_address="北京市朝阳区1号")
    make_item(client, case_url, "income", amount="20000", frequency="monthly")
    make_debt(client, case_url, creditor="招商银行信用卡中心", balance="30000",
              contractual_payment="25000", account_ref="6225 0000 1111")
    assert client.post(f"{case_url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        letters = f"{case_url}/proposals/{proposal.public_id}/letters"
    assert client.post(letters, data={"letter_type": "cn_instalment",
                                      "language": "zh_CN"}).status_code == 302
    with app.app_context():
        letter = db.session.scalars(select(Letter).order_by(Letter.id)).first()
        day = local_date(letter.created_at, "CN").isoformat()  # Beijing is UTC+8
        url = f"{case_url}/letters/{letter.public_id}.pdf"
    header = client.get(url).headers["Content-Disposition"]
    ascii_name = re.search(r'filename="([^"]*)"', header).group(1)
    real_name = unquote(re.search(r"filename\*=UTF-8''(\S+)", header).group(1))
    assert real_name == f"招商银行信用卡中心-{day}.pdf"
    assert ascii_name == f"letter-{day}.pdf" and ascii_name.isascii()
    assert "cn_instalment" not in header


def test_the_readme_documents_what_the_run_script_reads():
    script = (ROOT / "scripts" / "run.sh").read_text()
    readme = (ROOT / "README.md").read_text()
    honoured = set(re.findall(r"\$\{([A-Z_]+):-", script))
    assert {"HOST", "PORT"} <= honoured
    assert all(f"`{name}`" in readme for name in honoured)


@pytest.mark.parametrize(("accept", "expected"), [
    ("en-GB,en;q=0.9", "1 Dec 2026"), ("en-US", "Dec 1, 2026"), ("en", "Dec 1, 2026"),
    ("zh-CN", "2026年12月1日")])
def test_a_page_without_a_case_formats_by_the_browsers_region(app, accept, expected):
    from webapp.filters import day

    with app.test_request_context(headers={"Accept-Language": accept}):
        assert day(date(2026, 12, 1)) == expected


@pytest.mark.parametrize(("accept", "expected"), [
    ([("*", 1)], ("US", "USD")),  # no region anywhere: United States, US dollars
    ([("x-klingon", 1), ("en-GB", 0.5)], ("GB", "GBP")),  # the first tag that says wins
    ([("de-DE", 1)], ("other", "EUR")),
    ([("zh-TW", 1)], ("other", "USD")),  # a currency Parley does not offer
])
def test_the_default_country_copes_with_any_header(accept, expected):
    from webapp.blueprints.cases.forms import CURRENCIES
    from webapp.i18n import default_country

    assert default_country(accept, CURRENCIES, date(2026, 11, 30)) == expected


def test_two_debts_with_one_creditor_get_two_files_in_the_zip(app, client, planned):
    make_debt(client, planned["case"], creditor="Vanquis", balance="500", account_ref="VQ-3333")
    assert client.post(f"{planned['case']}/plan", data={"strategy": "pro_rata"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
        letters = f"{planned['case']}/proposals/{proposal.public_id}/letters"
    response = client.post(letters, data={"letter_type": "proposal", "language": "en"})
    assert response.status_code == 302
    with app.app_context():
        day = local_date(db.session.scalar(select(Letter)).created_at, "GB").isoformat()
    assert client.post(letters + ".zip").status_code == 302  # prepared as a job (tests: inline)
    names = zipfile.ZipFile(io.BytesIO(client.get(letters + ".zip").data)).namelist()
    assert sorted(names) == [f"Barclaycard-{day}.pdf", f"Budget-statement-{day}.pdf",
                             f"Vanquis-{day}-2.pdf", f"Vanquis-{day}.pdf"]
