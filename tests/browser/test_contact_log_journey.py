"""On a phone in Chinese: log four calls in one evening and one to a family
member → the breaches show, with their sources; axe-core on the page."""

from __future__ import annotations

import json
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.helpers import PHONE, assert_accessible, page_width, register_and_log_in
from tests.unit.record_builders import case_file, debt
from webapp.models.types import local_date, now_utc


def test_logging_an_evening_of_calls(browser, live_server, shoot):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    register_and_log_in(page, live_server, "contacts-zh@example.com")
    data = case_file([debt("cmb", "38000")], jurisdiction="CN")
    data["currency"] = "CNY"
    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(data))
    page.click("main button[type=submit]")
    page.click("#creditors a[href$='/contacts']")
    assert_accessible(page)

    evening = (local_date(now_utc(), "CN") - timedelta(days=1)).isoformat()
    for at, party in (("19:10", "borrower"), ("20:05", "borrower"), ("21:15", "borrower"),
                      ("22:20", "borrower"), ("22:40", "family")):
        page.fill("#on", evening)
        page.fill("#at", at)
        page.select_option("#channel", "call")
        page.check("#connected")
        page.select_option("#party", party)
        page.fill("#collector", "外包催收公司")
        page.click("#log-contact button[type=submit]")
        expect(page.locator(".flash")).to_be_visible()

    breaches = page.locator("#breaches")
    expect(breaches).to_contain_text("晚上10点至早上8点之间联系")
    expect(breaches).to_contain_text("一天内接通的电话超过3次")
    expect(breaches).to_contain_text("联系了你本人以外的人")
    expect(breaches).to_contain_text("GB/T 45251-2025")
    expect(page.locator("#contact-log li.flagged")).to_have_count(2)
    assert_accessible(page)
    assert page_width(page) <= PHONE["width"]
    shoot(page, "40-contact-log-zh-CN-390")
    context.close()
