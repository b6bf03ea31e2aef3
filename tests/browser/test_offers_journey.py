"""On a 390-px phone: spending above the guideline is flagged on the budget page,
a reason is given and comes back in the PDF budget statement; the plan page's
recommendation and its settlement warning, in English and in Chinese (issue 12)."""

from __future__ import annotations

import io
import json
import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import PHONE, page_width, register_and_log_in

REASON = "Our son has coeliac disease: gluten-free food costs twice as much."
#: Two adults and a child spending 770 a month on food: 40% above the UK example
#: figure (300 + 150 + 100 = 550). 330 a month is left for two creditors who ask
#: 350: fair shares; the lump sum of 600 is 10% of the 6,000 owed.
CASE = {
    "format": "parley-case/1", "currency": "GBP", "jurisdiction": "GB",
    "start_date": "2027-01-31", "title": "Offers journey",
    "household": {"adults": 2, "children": 1},
    "income": [{"label": "Wages", "amount": "2000", "frequency": "monthly"}],
    "expenses": [
        {"label": "Rent", "category": "housing", "amount": "900", "frequency": "monthly"},
        {"label": "Groceries", "category": "food", "amount": "770", "frequency": "monthly"}],
    "debts": [
        {"id": "card", "creditor": "Card Bank", "kind": "credit_card", "balance": "4000",
         "apr": "20", "contractual_payment": "200", "account_ref_unknown": True},
        {"id": "loan", "creditor": "Loan Co", "kind": "personal_loan", "balance": "2000",
         "apr": "10", "contractual_payment": "150", "account_ref_unknown": True}],
    "lump_sum": "600",
    "borrower": {"name": "Sam Example", "address": "1 High Street\nLeeds LS1 1AA"},
}


def fits_the_phone(page: Page) -> None:
    width = page_width(page)
    assert width <= PHONE["width"], f"page is {width}px wide"


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def test_a_flagged_budget_a_reason_in_the_statement_and_the_recommendation(
        browser, live_server, shoot):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((live_server, "data:")) else None)
    register_and_log_in(page, live_server, "offers-journey@example.com")
    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(CASE))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    case_url = page.url.split("#")[0]

    # the budget page flags food in plain words
    flag = page.locator("#spending-check .spending-flag[data-category=food]")
    expect(flag.locator(".warning")).to_have_text(
        "Food and housekeeping is 40% above Parley's example figure for a household of 3 "
        "people: explain why in the letter, or check it.")
    expect(flag).to_contain_text("You spend £770.00 a month; Parley's example figure is £550.00.")
    flag.scroll_into_view_if_needed()
    fits_the_phone(page)
    shoot(page, "50-offers-budget-flag-en-390")

    # a reason is given
    page.fill("#reason-food", REASON)
    with page.expect_navigation():
        flag.locator("button[type=submit]").click()
    expect(page.locator(".flash")).to_contain_text("Reason saved")
    expect(page.locator("#reason-food")).to_have_value(REASON)
    shoot(page, "51-offers-reason-saved-en-390")

    # the plan page: one recommendation with its reason; the settlement marked unlikely
    page.goto(case_url + "/plan")
    rec = page.locator("#recommendation")
    expect(rec.locator("h2")).to_have_text("We recommend: Fair shares, interest frozen")
    expect(rec).to_contain_text("You have 2 creditors and cannot pay them what their "
                                "agreements ask.")
    expect(rec.locator("li[data-option=settlement]")).to_contain_text(
        "Unlikely to be accepted: your lump sum is 10% of what you owe")
    warning = page.locator("#strategy-settlement [data-warning=below_floor]")
    expect(warning).to_have_text(
        "Unlikely to be accepted: £600.00 is 10% of what you owe, and creditors rarely "
        "accept less than 30%. A lump sum of £2,400.00 would reach 40%, and £3,600.00 60%.")
    fits_the_phone(page)
    shoot(page, "52-offers-plan-en-390")

    # the same in Chinese
    with page.expect_navigation():
        page.click(".lang-switch button")
    expect(page.locator("#recommendation h2")).to_have_text("我们建议：按比例分配，冻结利息")
    expect(page.locator("#strategy-settlement [data-warning=below_floor]")).to_contain_text(
        "不太可能被接受：£600.00只相当于欠款的10%，而债权人很少接受低于30%的方案。")
    fits_the_phone(page)
    shoot(page, "53-offers-plan-zh_CN-390")
    page.goto(case_url)
    expect(page.locator("#spending-check .spending-flag[data-category=food] .warning")
           ).to_have_text("“吃饭和日用品”比Parley为3口之家设定的示例数字高出40%：请在信中说明原因，"
                          "或核对这项支出。")
    page.locator("#spending-check").scroll_into_view_if_needed()
    fits_the_phone(page)
    shoot(page, "54-offers-budget-flag-zh_CN-390")

    # save fair shares, write the letters in English: the statement carries the reason
    page.goto(case_url + "/plan")
    with page.expect_navigation():
        page.locator("#strategy-pro_rata button[type=submit]").click()
    with page.expect_navigation():
        page.click("#proposal a.next-step")
    page.select_option("#language", "en")
    with page.expect_navigation():
        page.click("#generate button[type=submit]")
    statement = page.locator("#letters tbody tr").filter(has_text="家庭收支情况说明")
    if not statement.count():
        statement = page.locator("#letters tbody tr").filter(has_text="Budget statement")
    with page.expect_navigation():
        statement.locator("a").first.click()
    pdf_url = page.locator("a[href$='.pdf'], a[href*='fmt=pdf'], a[href*='/pdf']").first
    href = pdf_url.get_attribute("href")
    response = page.request.get(live_server + href if href.startswith("/") else href)
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    text = pdf_text(response.body())
    assert "Food and housekeeping £770.00" in text
    assert f"Why this is needed: {REASON}" in text

    # a settlement of 10%: its letters are written only if the user insists (in Chinese)
    page.goto(case_url + "/plan")
    with page.expect_navigation():
        page.locator("#strategy-settlement button[type=submit]").click()
    with page.expect_navigation():
        page.click("#proposal a.next-step")
    warning = page.locator("#below-floor-warning")
    expect(warning).to_contain_text("此一次性结清方案只相当于欠款的10%。债权人很少接受低于30%的方案，"
                                    "这封信很可能被拒绝。")
    page.check("#acknowledge_surplus")
    with page.expect_navigation():
        page.click("#generate button[type=submit]")
    expect(page.locator("#insist_below_floor-error")).to_be_visible()
    warning.scroll_into_view_if_needed()
    fits_the_phone(page)
    shoot(page, "55-offers-settlement-insist-zh_CN-390")
    page.check("#insist_below_floor")
    page.check("#acknowledge_surplus")
    with page.expect_navigation():
        page.click("#generate button[type=submit]")
    expect(page.locator("#letters tbody tr")).to_have_count(3)  # two offers, one statement
    # the Chinese budget statement sent with them carries the reason too
    with page.expect_navigation():
        page.locator("#letters tbody tr").filter(has_text="家庭收支情况说明").locator(
            "a").first.click()
    href = page.locator("a[href$='.pdf'], a[href*='fmt=pdf'], a[href*='/pdf']").first \
        .get_attribute("href")
    response = page.request.get(live_server + href if href.startswith("/") else href)
    assert response.ok
    zh = pdf_text(response.body()).replace(" ", "")
    assert "支出说明：" + REASON.replace(" ", "") in zh
    assert foreign == []
    context.close()
