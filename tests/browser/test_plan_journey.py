"""Import a case → compare the options → save one as the proposal → change the
budget → the page says the proposal is out of date → re-plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, page_width, register_and_log_in

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "us-with-priority.json"


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-US"), (PHONE, "zh-CN")],
                         ids=["en-1280", "zh_CN-390"])
def test_comparing_options_and_saving_a_proposal(browser, live_server, shoot, viewport, locale):
    context = browser.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((live_server, "data:")) else None)
    tag = f"{locale}-{viewport['width']}"

    register_and_log_in(page, live_server, f"plan-{tag}@example.com")
    page.goto(live_server + "/cases/import")
    page.fill("#text", EXAMPLE.read_text())
    page.click("main button[type=submit]")
    case_url = page.url

    page.goto(case_url + "/plan")
    # Fortnightly 1,400 → 3,033.33; expenses 346.67 + 98 + 15 = 459.67 (exact sum 459.666…);
    # rent 1,250 is priority: 3,033.33 − 459.67 − 1,250 = 1,323.66 left.
    expect(page.locator("hgroup p")).to_contain_text("1,323.66")
    for name in ("pro_rata", "avalanche", "snowball", "term_extension", "settlement"):
        expect(page.locator(f"#strategy-{name}")).to_be_visible()
    # No token payments beside 1,323.66 a month (issue 14.4).
    expect(page.locator("#strategy-token")).to_have_count(0)
    # The contractual 183 + 290 fit: keep them (13.1); the rent arrears need the rent (13.3).
    expect(page.locator("#contractual-fit")).to_contain_text("473.00")
    expect(page.locator("#housing-missing")).to_be_visible()
    # Avalanche pays all 1,323.66: SoFi its 290, American Express the rest.
    expect(page.locator("#strategy-avalanche [data-figure=monthly]")).to_contain_text("1,323.66")
    expect(page.locator(".chart svg polyline")).to_have_count(2)
    shoot(page, f"10-plan-{tag}")

    page.locator("#strategy-avalanche button[type=submit]").click()
    expect(page.locator("#proposal")).to_be_visible()
    expect(page.locator("#strategy-avalanche.chosen")).to_be_visible()
    shoot(page, f"11-plan-saved-{tag}")

    # A budget change makes the saved proposal out of date.
    page.goto(case_url + "/expense/new")
    page.fill("#label", "Phone")
    page.fill("#amount", "50")
    page.click("main button[type=submit]:not([name])")
    page.goto(case_url + "/plan")
    expect(page.locator("#proposal .warning")).to_be_visible()
    shoot(page, f"12-plan-stale-{tag}")
    page.locator("#proposal form button").click()
    expect(page.locator("#proposal .warning")).to_have_count(0)

    width = page_width(page)
    assert width <= viewport["width"], f"page is {width}px wide"
    assert foreign == []
    context.close()
