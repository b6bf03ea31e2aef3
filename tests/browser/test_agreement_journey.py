"""The whole negotiation with one creditor on a 390-px phone, in English and in
Chinese (issue 8): send the offer → they counter → the re-plan → counter with
another figure (the letter) → accept their figure (the proposal's version 2)
→ two payments fall due, one is missed → arrears shown → paid up → paid off,
with the agreements' chart on the case page. axe-core on every page shown."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import PHONE, page_width, register_and_log_in
from tests.factories import today_gb
from tests.unit.record_builders import case_file, debt

TEXT = {
    "en-GB": {"counter": "They made a counter-offer", "holds": "Your budget still holds",
              "version": "Your proposal is now version 2", "v2": "Version 2",
              "current": "current", "arrears": "Agreed: payment missed",
              "missed": "Missed", "paying": "Agreed: paying", "done": "Paid off",
              "letter": "My answer to your counter-offer"},
    "zh-CN": {"counter": "对方还价", "holds": "你的预算仍然够用",
              "version": "你的还款方案已更新为第 2 版", "v2": "第 2 版", "current": "当前",
              "arrears": "已达成协议：有逾期", "missed": "漏还",
              "paying": "已达成协议：还款中", "done": "已还清",
              "letter": "关于贵方还款金额提议的回复"},
}


def fits_the_phone(page: Page, what: str) -> None:
    width = page_width(page)
    assert width <= PHONE["width"], f"{what} is {width}px wide"


def record(page: Page, kind: str, **fields) -> None:
    page.select_option("#type", kind)
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    with page.expect_navigation():
        page.click("#record button[type=submit]")


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_from_the_offer_to_paid_off_on_a_phone(browser, live_server, shoot, locale):
    context = browser.new_context(viewport=PHONE, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: problems.append(r.url)
            if not r.url.startswith((live_server, "data:", "about:")) else None)
    words = TEXT[locale]
    tag = f"{locale}-390"

    register_and_log_in(page, live_server, f"agreement-{tag}@example.com")
    data = case_file([debt(ref, bal, account_ref=f"{ref.upper()}-1") for ref, bal in
                      (("a", "1000"), ("b", "3000"), ("c", "6000"))])
    data["title"] = "Household"
    data["borrower"] = {"name": "Sam Example", "address": "1 High Street, Leeds"}
    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(data))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    case_url = page.url

    # Send: save the fair shares (version 1), write the letters, mark a's sent.
    page.goto(case_url + "/plan")
    page.click("#strategy-pro_rata form button[type=submit]")
    page.click("#proposal a[href*='/letters']")
    page.click("#generate button[type=submit]")
    page.locator("tr[data-letter]", has_text="Creditor a").locator("a").click()
    page.check("input[name=channel][value=post]")
    mark_sent = "#send form[action$='/mark-sent'] button[type=submit]"
    # scroll first: a click right after a scroll can land in the letter's frame
    page.locator(mark_sent).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    with page.expect_navigation():
        page.click(mark_sent)

    # They counter with 300 a month: the re-plan shows at once.
    page.goto(case_url + "/creditors/a")
    record(page, "counter_offer", monthly="300")
    expect(page.locator("#state h2")).to_have_text(words["counter"])
    expect(page.locator("#state")).to_contain_text(words["holds"])
    expect(page.locator("#state table")).to_contain_text("£233.33")
    shoot(page, f"40-counter-offer-{tag}")
    fits_the_phone(page, "the counter-offer")

    # Counter with 200: its re-plan, then the letter that carries it.
    page.fill("#counter", "200")
    with page.expect_navigation():
        page.click("#counter-actions form[method=get] button[type=submit]")
    expect(page.locator("#counter-replan")).to_contain_text("£200.00")
    shoot(page, f"41-counter-replan-{tag}")
    with page.expect_navigation():
        page.click("#counter-replan form button[type=submit]")
    frame = page.frame_locator("#preview iframe")
    expect(frame.locator("h1.subject")).to_have_text(words["letter"])
    expect(frame.locator("body")).to_contain_text("£300.00")
    expect(frame.locator("body")).to_contain_text("£200.00")
    shoot(page, f"42-counter-letter-{tag}")
    fits_the_phone(page, "the counter letter")

    # They insist; accept their figure from 35 days ago: the proposal's version 2.
    page.goto(case_url + "/creditors/a")
    page.fill("#accept-first_payment", (today_gb() - timedelta(days=35)).isoformat())
    with page.expect_navigation():
        page.click("#counter-actions form[method=post] button[type=submit]")
    expect(page.locator("main")).to_contain_text(words["version"])
    # two instalments have fallen due (35 and about 5 days ago), none paid yet
    expect(page.locator("#state h2")).to_have_text(words["arrears"])
    shoot(page, f"43-accepted-{tag}")
    page.goto(case_url + "/plan")
    versions = page.locator("#versions")
    expect(versions).to_contain_text(words["v2"])
    expect(versions.locator("li.current")).to_contain_text(words["current"])
    expect(versions.locator("li")).to_have_count(2)
    versions.scroll_into_view_if_needed()
    shoot(page, f"44-versions-{tag}")
    fits_the_phone(page, "the plan page")

    # One payment of the two: the other is missed, the arrears shown.
    page.goto(case_url + "/creditors/a")
    record(page, "payment", amount="300")
    expect(page.locator("#state h2")).to_have_text(words["arrears"])
    expect(page.locator("[data-figure=arrears]")).to_contain_text("£300.00")
    expect(page.locator("#instalments tr[data-paid=missed]")).to_contain_text(words["missed"])
    shoot(page, f"45-arrears-{tag}")
    fits_the_phone(page, "the agreement in arrears")
    # the case page: the overdue agreement first, its bar with what is overdue
    page.goto(case_url)
    expect(page.locator("#creditors tr.overdue")).to_contain_text("Creditor a")
    expect(page.locator("#agreements")).to_contain_text("£300.00")
    page.locator("#creditors").scroll_into_view_if_needed()
    shoot(page, f"45-case-in-arrears-{tag}")
    page.goto(case_url + "/creditors/a")

    # Paid up: no arrears; then the rest: paid off.
    record(page, "payment", amount="300")
    expect(page.locator("#state h2")).to_have_text(words["paying"])
    expect(page.locator("[data-figure=arrears]")).to_contain_text("£0.00")
    expect(page.locator("#instalments tr[data-paid=missed]")).to_have_count(0)
    shoot(page, f"46-paid-up-{tag}")
    record(page, "payment", amount="400")
    expect(page.locator("#state h2")).to_have_text(words["done"])
    expect(page.locator("[data-figure=remaining]")).to_contain_text("£0.00")
    shoot(page, f"47-paid-off-{tag}")

    # The case page: the agreements' totals and chart.
    page.goto(case_url)
    expect(page.locator("#agreements")).to_contain_text("£1,000.00")
    expect(page.locator("#agreements svg.bar")).to_have_count(1)
    page.locator("#agreements").scroll_into_view_if_needed()
    shoot(page, f"48-agreements-{tag}")
    fits_the_phone(page, "the case page")
    assert problems == []
    page.wait_for_load_state("networkidle")
    context.close()
