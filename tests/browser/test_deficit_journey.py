"""A household in deficit, on a phone, in English and Chinese: the page leads with
what is at risk and what an adviser would do, then the token offers (issue 14.3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, loaded, page_width, register_and_log_in

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "gb-deficit.json"


@pytest.mark.parametrize(("locale", "short_by", "advice"), [
    ("en-GB", "You are short by £216.27 a month", "National Debtline"),
    ("zh-CN", "您每月缺口", "National Debtline"),
], ids=["en-390", "zh_CN-390"])
def test_the_deficit_page_leads_with_what_is_at_risk(browser, live_server, shoot, locale,
                                                    short_by, advice):
    context = browser.new_context(viewport=PHONE, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((live_server, "data:")) else None)
    register_and_log_in(page, live_server, f"deficit-{locale}@example.com")
    page.goto(live_server + "/cases/import")
    page.fill("#text", EXAMPLE.read_text())
    page.click("main button[type=submit]")
    page.goto(page.url + "/plan")

    deficit = page.locator("#deficit")
    expect(deficit).to_contain_text(short_by)
    expect(deficit).to_contain_text(advice)
    expect(deficit).to_contain_text("0808 808 4000")
    # the advice comes before the options, and the token offer is the recommended one
    loaded(page)
    top = page.evaluate("document.querySelector('#deficit').getBoundingClientRect().top")
    options = page.evaluate(
        "document.querySelector('.strategies').getBoundingClientRect().top")
    assert top < options
    expect(page.locator("#strategy-token .recommended")).to_be_visible()
    shoot(page, f"deficit-{locale}-390")
    width = page_width(page)
    assert width <= PHONE["width"], f"page is {width}px wide"
    assert foreign == []
    context.close()
