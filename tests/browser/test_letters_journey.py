"""Register → case → save a proposal on the plan page → write the letters →
preview → change the text → mark sent: in English on a desktop and in
Chinese on a 390-px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import DESKTOP, PHONE, page_width, register_and_log_in

#: A SHA-256 in hex, as shown on a sent letter.
SHA256 = re.compile(r"^[0-9a-f]{64}$")
JOURNEYS = [("en", DESKTOP, "en-GB"), ("zh_CN", PHONE, "zh-CN")]


def submit(page: Page) -> None:
    page.click("main form[method=post] button[type=submit]:not([name])")


def click_below_frame(page: Page, selector: str) -> None:
    """Scroll first, click after: right after a scroll, headless Chromium can
    still route the click to the out-of-process (sandboxed) letter frame that
    was under that spot before the scroll."""
    page.locator(selector).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    with page.expect_navigation():
        page.click(selector)


def make_case(page: Page, base: str, tag: str) -> str:
    register_and_log_in(page, base, f"letters-{tag}@example.com")
    page.fill("#title", "Household")
    page.select_option("#jurisdiction", "GB")
    page.select_option("#currency", "GBP")
    page.fill("#start_date", "2027-01-31")
    page.click("main details summary")
    page.fill("#borrower_name", "Sam Example")
    # Typed on two lines, as people do: the browser posts CR LF.
    page.fill("#borrower_address", "1 High Street\nLeeds LS1 1AA")
    page.fill("#borrower_email", "sam@example.com")
    submit(page)
    case_url = page.url
    page.goto(case_url + "/income/new")
    page.fill("#label", "Wages")
    page.fill("#amount", "1900")
    page.select_option("#frequency", "monthly")
    submit(page)
    for creditor, balance, email in [("Barclaycard", "3000", "collections@barclaycard.example"),
                                     ("Vanquis Bank", "1200", "")]:
        page.goto(case_url + "/debts/new")
        page.fill("#creditor", creditor)
        page.fill("#balance", balance)
        # more than the budget: fair shares apply (issue 13.1)
        page.fill("#contractual_payment", "1000")
        page.click("main details summary")
        page.fill("#account_ref", "ACC-" + balance)
        page.fill("#creditor_email", email)
        submit(page)
    return case_url


@pytest.mark.parametrize(("lang", "viewport", "accept"), JOURNEYS,
                         ids=[f"{lang}-{vp['width']}" for lang, vp, _ in JOURNEYS])
def test_writing_editing_and_sending_the_letters(browser, live_server, shoot, lang, viewport,
                                                 accept):
    context = browser.new_context(viewport=viewport, locale=accept)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: problems.append(r.url)
            if not r.url.startswith((live_server, "data:", "about:")) else None)
    tag = f"{lang}-{viewport['width']}"
    case_url = make_case(page, live_server, tag)

    # The account page: no mail server here, so it says nothing can be verified.
    page.click("header a[href$='/auth/account']")
    expect(page.locator("#verification")).to_contain_text(
        "cannot be verified" if lang == "en" else "无法验证邮箱")
    shoot(page, f"letters-00-account-{tag}")
    if viewport is PHONE:
        width = page_width(page)
        assert width <= viewport["width"], f"account page is {width}px wide"

    # Save the fair-shares plan as the proposal, then go to its letters.
    page.goto(case_url + "/plan")
    page.click("#strategy-pro_rata form button[type=submit]")
    page.click("#proposal a[href*='/letters']")
    expect(page.locator("#letter_type")).to_have_value("proposal")
    page.select_option("#language", lang)
    shoot(page, f"letters-01-generate-{tag}")
    page.click("#generate button[type=submit]")
    expect(page.locator("tr[data-letter]")).to_have_count(3)
    shoot(page, f"letters-02-list-{tag}")
    # The ZIP of all letters is made by a job (inline in the tests), then offered.
    page.click("#zip button[type=submit]")
    expect(page.locator("#zip a[download]")).to_be_visible()
    shoot(page, f"letters-02-zip-{tag}")
    if viewport is PHONE:
        width = page_width(page)
        assert width <= viewport["width"], f"letters page is {width}px wide"

    # Preview: the letter is framed as its own document, with its own styles.
    page.locator("tr[data-letter] a").first.click()
    frame = page.frame_locator("#preview iframe")
    expect(frame.locator("h1.subject")).to_be_visible()
    expect(frame.locator("body")).to_contain_text("Barclaycard")
    shoot(page, f"letters-03-show-{tag}")

    # Change the text: what is typed comes back as text, never as markup.
    click_below_frame(page, "a[href$='/edit']")
    text = page.input_value("#body_text")
    assert "Barclaycard" not in text  # the body only: addresses stay in the layout
    page.fill("#body_text", "I can offer £40 a month.\n\n<b>Please</b> freeze the interest.")
    shoot(page, f"letters-04-edit-{tag}")
    submit(page)
    expect(frame.locator("body")).to_contain_text("<b>Please</b> freeze the interest.")
    expect(frame.locator("b")).to_have_count(0)

    # The creditor has an e-mail but no server is set up: mark it sent by post instead.
    page.check("input[name=channel][value=post]")
    click_below_frame(page, "#send form[action$='/mark-sent'] button[type=submit]")
    expect(page.locator("code.digest")).to_have_text(SHA256)
    expect(page.locator("a[href$='/edit']")).to_have_count(0)
    shoot(page, f"letters-05-sent-{tag}")
    if viewport is PHONE:
        width = page_width(page)
        assert width <= viewport["width"], f"letter page is {width}px wide"
    assert problems == []
    # Closing while the favicon is still in flight leaves werkzeug's file open.
    page.wait_for_load_state("networkidle")
    context.close()


@pytest.mark.parametrize(("lang", "accept"), [("en", "en-GB"), ("zh_CN", "zh-CN")])
def test_a_case_without_sender_details_is_asked_for_them_on_a_phone(
        browser, live_server, shoot, lang, accept):
    """Issue 14.1: the letters page asks for the sender (and each account line)
    when they are missing, saves them, then writes letters that show them."""
    context = browser.new_context(viewport=PHONE, locale=accept)
    page = context.new_page()
    tag = f"{lang}-nosender"
    register_and_log_in(page, live_server, f"letters-{tag}@example.com")
    page.select_option("#jurisdiction", "GB")
    page.select_option("#currency", "GBP")
    page.fill("#start_date", "2027-01-31")
    submit(page)  # no name, no address
    case_url = page.url
    page.goto(case_url + "/income/new")
    page.fill("#label", "Wages")
    page.fill("#amount", "1900")
    page.select_option("#frequency", "monthly")
    submit(page)
    for creditor in ("Barclaycard", "Vanquis Bank"):  # no account references
        page.goto(case_url + "/debts/new")
        page.fill("#creditor", creditor)
        page.fill("#balance", "1500")
        # 2,000 of contractual payments do not fit in 1,900: pro rata applies (13.1)
        page.fill("#contractual_payment", "1000")
        submit(page)
    page.goto(case_url + "/plan")
    page.click("#strategy-pro_rata form button[type=submit]")
    page.click("#proposal a[href*='/letters']")

    expect(page.locator("#sender")).to_be_visible()
    page.select_option("#language", lang)
    page.click("#generate button[type=submit]")  # nothing given yet: asked again, by name
    expect(page.locator("#sender_name-error")).to_be_visible()
    expect(page.locator("tr[data-letter]")).to_have_count(0)
    page.fill("#sender_name", "Sam Example")
    page.fill("#sender_address", "1 High Street\nLeeds LS1 1AA")
    page.fill("#account_ref-0", "4929-1111")
    page.check("input[name='account_ref_unknown-1']")
    shoot(page, f"letters-06-sender-{tag}")
    width = page_width(page)
    assert width <= PHONE["width"], f"letters page is {width}px wide"
    page.click("#generate button[type=submit]")
    expect(page.locator("tr[data-letter]")).to_have_count(3)
    expect(page.locator("#sender")).to_have_count(0)
    expect(page.locator("#sender-summary")).to_contain_text("Sam Example")

    page.locator("tr[data-letter] a").nth(1).click()  # Vanquis: no reference
    frame = page.frame_locator("#preview iframe")
    expect(frame.locator("body")).to_contain_text("Sam Example")
    expect(frame.locator("body")).to_contain_text(
        "I do not have the account reference" if lang == "en" else "本人暂无法提供")
    shoot(page, f"letters-07-no-reference-{tag}")
    page.wait_for_load_state("networkidle")
    context.close()
