"""Register → create a case → add income, expenses and debts → see the right
budget summary: in English and Chinese, on a desktop and a 390-px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import DESKTOP, PHONE, page_width, register_and_log_in

JOURNEYS = [
    ("en", DESKTOP, "en-GB"),
    ("en", PHONE, "en-GB"),
    ("zh_CN", DESKTOP, "zh-CN"),
    ("zh_CN", PHONE, "zh-CN"),
]

# 400 a week → 1,733.33; 120 every four weeks → 130.00: income 1,863.33.
# Rent 700 + food 60 a week (260.00) + water 240 a quarter (80.00) = 1,040.00.
# Council tax 100 is the only priority payment: available 723.33.
EXPECTED = {
    "en": {"monthly_income": "£1,863.33", "monthly_expenses": "£1,040.00",
           "priority_payments": "£100.00", "available": "£723.33"},
    "zh_CN": {"monthly_income": "£1,863.33", "monthly_expenses": "£1,040.00",
              "priority_payments": "£100.00", "available": "£723.33"},
}
TEXT = {
    "en": {"summary": "Budget summary", "add_income": "Add income"},
    "zh_CN": {"summary": "每月预算", "add_income": "添加收入"},
}


def add_item(page: Page, label: str, amount: str, frequency: str, category: str | None = None):
    page.fill("#label", label)
    page.fill("#amount", amount)
    page.select_option("#frequency", frequency)
    if category:
        page.select_option("#category", category)
    page.click("main button[type=submit]:not([name])")


def add_debt(page: Page, creditor: str, kind: str, balance: str, apr: str, payment: str):
    page.fill("#creditor", creditor)
    page.select_option("#kind", kind)
    page.fill("#balance", balance)
    page.fill("#apr", apr)
    page.fill("#contractual_payment", payment)
    page.click("main button[type=submit]:not([name])")


@pytest.mark.parametrize(("lang", "viewport", "accept"), JOURNEYS,
                         ids=[f"{lang}-{vp['width']}" for lang, vp, _ in JOURNEYS])
def test_a_new_user_sees_the_right_budget_summary(
        browser, live_server, shoot, lang, viewport, accept):
    context = browser.new_context(viewport=viewport, locale=accept)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((live_server, "data:")) else None)
    tag = f"{lang}-{viewport['width']}"

    page.goto(live_server + "/")
    shoot(page, f"01-welcome-{tag}")
    register_and_log_in(page, live_server, f"user-{tag}@example.com")

    # New case form
    page.fill("#title", "Household" if lang == "en" else "我们家")
    page.select_option("#jurisdiction", "GB")
    page.select_option("#currency", "GBP")
    page.fill("#start_date", "2027-01-31")
    page.fill("#adults", "2")
    page.fill("#children", "1")
    shoot(page, f"02-new-case-{tag}")
    page.click("main button[type=submit]")
    case_url = page.url

    page.get_by_role("button", name=TEXT[lang]["add_income"]).click()
    add_item(page, "Wages", "400", "weekly")
    page.goto(case_url + "/income/new")
    add_item(page, "Child benefit", "120", "four_weekly")
    for label, amount, freq, cat in [("Rent", "700", "monthly", "housing"),
                                     ("Food", "60", "weekly", "food"),
                                     ("Water", "240", "quarterly", "utilities")]:
        page.goto(case_url + "/expense/new")
        add_item(page, label, amount, freq, cat)
    page.goto(case_url + "/debts/new")
    add_debt(page, "Barclaycard", "credit_card", "3000", "24.9", "90")
    page.goto(case_url + "/debts/new")
    add_debt(page, "Leeds City Council", "council_tax", "600", "0", "100")

    expect(page.locator("#summary-title")).to_contain_text(TEXT[lang]["summary"])
    for name, value in EXPECTED[lang].items():
        expect(page.locator(f'[data-figure="{name}"]')).to_contain_text(value)
    shoot(page, f"03-case-{tag}")

    # A bad amount comes back beside the field, in the page's language.
    page.goto(case_url + "/debts/new")
    add_debt(page, "Bad", "credit_card", "-5", "0", "1")
    expect(page.locator("#balance-error")).to_be_visible()
    shoot(page, f"04-debt-error-{tag}")

    # On a phone nothing is wider than the screen.
    page.goto(case_url)
    width = page_width(page)
    assert width <= viewport["width"], f"page is {width}px wide"
    assert foreign == []
    context.close()


def test_the_language_switch_is_remembered(browser, live_server, shoot):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/auth/login")
    expect(page.locator("h1")).to_have_text("Log in")
    page.click(".lang-switch button")
    expect(page.locator("h1")).to_have_text("登录")
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    shoot(page, "05-welcome-switched-zh")
    context.close()
