"""A creditor counters → the re-plan shows → accept → payments, one missed →
arrears shown → paid up; on a phone in Chinese and on a desktop in English,
with axe-core on every page."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    assert_accessible,
    page_width,
    register_and_log_in,
)
from tests.factories import today_gb
from tests.unit.record_builders import case_file, debt, sent

TEXT = {
    "en-GB": {"counter": "They made a counter-offer", "holds": "Your budget still holds",
              "arrears": "Agreed: payment missed", "paying": "Agreed: paying",
              "no_reply": "No reply"},
    "zh-CN": {"counter": "对方还价", "holds": "你的预算仍然够用",
              "arrears": "已达成协议：有逾期", "paying": "已达成协议：还款中",
              "no_reply": "未答复"},
}


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-GB"), (PHONE, "zh-CN")],
                         ids=["en-1280", "zh_CN-390"])
def test_a_counter_offer_to_an_agreement_kept(browser, live_server, shoot, viewport, locale):
    context = browser.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((live_server, "data:")) else None)
    words = TEXT[locale]
    tag = f"{locale}-{viewport['width']}"

    register_and_log_in(page, live_server, f"negotiate-{tag}@example.com")
    letter_day = (today_gb() - timedelta(days=40)).isoformat()
    data = case_file([debt("a", "1000"), debt("b", "3000"), debt("c", "6000")],
                     negotiations=[{"debt_id": "a", "events": [sent(letter_day)]}])
    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(data))
    page.click("main button[type=submit]")

    expect(page.locator("#creditors")).to_contain_text(words["no_reply"])
    expect(page.locator("#creditors tr.overdue")).to_have_count(1)
    assert_accessible(page)
    shoot(page, f"30-creditors-{tag}")

    page.locator("#creditors a", has_text="Creditor a").click()
    page.select_option("#type", "counter_offer")
    page.fill("#monthly", "150")
    page.select_option("#channel", "phone")
    page.click("#record button[type=submit]")
    expect(page.locator("#state h2")).to_have_text(words["counter"])
    expect(page.locator("#state")).to_contain_text(words["holds"])
    expect(page.locator("#state table")).to_contain_text("150.00")
    assert_accessible(page)
    shoot(page, f"31-counter-offer-{tag}")

    first = (today_gb() - timedelta(days=35)).isoformat()
    page.select_option("#type", "accepted")
    page.fill("#monthly", "150")
    page.fill("#first_payment", first)
    page.click("#record button[type=submit]")
    page.select_option("#type", "payment")
    page.fill("#amount", "150")
    page.click("#record button[type=submit]")
    # two instalments fell due (35 days ago and about 5 days ago), one was paid
    expect(page.locator("#state h2")).to_have_text(words["arrears"])
    expect(page.locator("[data-figure=arrears]")).to_contain_text("150.00")
    assert_accessible(page)
    shoot(page, f"32-arrears-{tag}")

    page.select_option("#type", "payment")
    page.fill("#amount", "150")
    page.click("#record button[type=submit]")
    expect(page.locator("#state h2")).to_have_text(words["paying"])
    expect(page.locator("[data-figure=paid]")).to_contain_text("300.00")
    expect(page.locator("#history li")).to_have_count(5)
    shoot(page, f"33-paid-up-{tag}")
    if viewport is PHONE:
        assert page_width(page) <= viewport["width"]
    assert foreign == []
    context.close()
