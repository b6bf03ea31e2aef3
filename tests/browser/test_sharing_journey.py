"""Consent, end to end in a browser: a borrower lets a counselor in, the
counselor opens the case from their dashboard and records a reply, the
borrower sees it in the activity log and revokes access, and the counselor's
next request is a 404. On a 390-px phone in Chinese and a desktop in English,
with axe-core on every page photographed."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    DESKTOP,
    PASSWORD,
    PHONE,
    enrol_two_factor,
    page_width,
    register_and_log_in,
)
from tests.factories import today_gb
from tests.unit.record_builders import case_file, debt, sent


def _context(browser, viewport, locale, live_server):
    context = browser.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((live_server, "data:", "about:")) else None)
    page.on("dialog", lambda dialog: dialog.accept())  # "Take access away...?"
    return context, page, foreign


def _register_counselor(page, base: str, email: str) -> None:
    page.goto(base + "/auth/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.check("input[name=role][value=counselor]")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    enrol_two_factor(page)


def _fits(page, viewport) -> None:
    if viewport is PHONE:
        assert page_width(page) <= viewport["width"], \
            page.url


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-GB"), (PHONE, "zh-CN")],
                         ids=["en-1280", "zh_CN-390"])
def test_a_borrower_lets_a_counselor_in_then_takes_access_back(browser, live_server, shoot,
                                                               viewport, locale):
    tag = f"{locale}-{viewport['width']}"
    borrower_email = f"client-{tag}@example.com".lower()
    counselor_email = f"adviser-{tag}@example.com".lower()
    mine, page, foreign = _context(browser, viewport, locale, live_server)
    theirs, adviser, foreign_too = _context(browser, viewport, locale, live_server)

    _register_counselor(adviser, live_server, counselor_email)
    register_and_log_in(page, live_server, borrower_email)
    data = case_file([debt("a", "1000"), debt("b", "3000")], negotiations=[
        {"debt_id": "a", "events": [sent((today_gb() - timedelta(days=10)).isoformat())]}])
    data["title"] = "Household of Li"
    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(data))
    page.click("main button[type=submit]")
    expect(page.locator("#summary")).to_be_visible()
    case_url = page.url
    shoot(page, f"59-owner-case-{tag}")

    # The borrower lets the counselor in by e-mail, and sees who has access.
    page.click(f"a[href$='{case_url.removeprefix(live_server)}/access']")
    page.fill("#email", counselor_email)
    page.click("#invite button[type=submit]")
    expect(page.locator("#people")).to_contain_text(counselor_email)
    page.click("form[action$='/access/code'] button")
    code = re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){2}$")
    expect(page.locator("#access-code output")).to_have_text(code)
    _fits(page, viewport)
    shoot(page, f"60-who-can-see-{tag}")

    # The counselor finds it on their dashboard and opens it.
    adviser.goto(live_server + "/")
    expect(adviser.locator("#clients")).to_contain_text(borrower_email)
    _fits(adviser, viewport)
    shoot(adviser, f"61-counselor-dashboard-{tag}")
    # ...works it from the caseload, where every client's case says what is next...
    adviser.click("#caseload-link")
    row = adviser.locator("table.caseload tbody tr", has_text="Household of Li")
    expect(row).to_have_count(1)
    _fits(adviser, viewport)
    shoot(adviser, f"61b-counselor-caseload-{tag}")
    row.locator("a", has_text="Household of Li").click()
    expect(adviser.locator("#consent-note")).to_contain_text(borrower_email)
    expect(adviser.locator(".danger-zone")).to_have_count(0)  # no sharing, no erasing
    _fits(adviser, viewport)
    shoot(adviser, f"62-counselor-case-{tag}")

    # ...and records the creditor's reply.
    adviser.locator("#creditors a", has_text="Creditor a").click()
    adviser.select_option("#type", "info_requested")
    adviser.select_option("#channel", "phone")
    adviser.click("#record button[type=submit]")
    expect(adviser.locator("#history li")).to_have_count(2)

    # The borrower sees it in the activity log...
    page.goto(case_url + "/activity")
    changed = page.locator("#activity tr[data-action=change]")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text(counselor_email)
    expect(page.locator("#activity tr[data-action=grant]")).to_have_count(1)
    _fits(page, viewport)
    shoot(page, f"63-activity-log-{tag}")

    # ...and takes access back: it ends at once.
    page.goto(case_url + "/access")
    page.locator("#people li", has_text=counselor_email).locator("button").click()
    expect(page.locator("#people")).not_to_contain_text(counselor_email)
    shoot(page, f"64-access-revoked-{tag}")

    response = adviser.goto(case_url)
    assert response.status == 404
    shoot(adviser, f"65-counselor-404-{tag}")
    adviser.goto(live_server + "/")
    expect(adviser.locator("#clients")).not_to_contain_text("Household of Li")
    adviser.goto(live_server + "/caseload")
    expect(adviser.locator("main")).not_to_contain_text("Household of Li")

    assert foreign == [] and foreign_too == []
    mine.close()
    theirs.close()


def test_tokens_and_erasure_on_a_phone(browser, live_server, shoot):
    context, page, foreign = _context(browser, PHONE, "en-GB", live_server)
    register_and_log_in(page, live_server, "scripts@example.com")
    page.goto(live_server + "/auth/account")
    page.fill("#name", "Office spreadsheet")
    page.click("#tokens button[type=submit]")
    token = page.input_value("#new-token-value")
    assert token.startswith("parley_")
    assert page.input_value("#name") == ""
    _fits(page, PHONE)
    shoot(page, "66-token-made-en-GB-390")

    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(case_file([debt("a", "1000")])))
    page.click("main button[type=submit]")
    expect(page.locator("#summary")).to_be_visible()
    page.click(".danger-zone a[href$='/delete']")
    page.fill("#word", "remove")
    page.click("main button[type=submit]")
    expect(page.locator("#word-error")).to_be_visible()
    _fits(page, PHONE)
    shoot(page, "67-erase-case-en-GB-390")
    page.fill("#word", "erase")
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("No cases yet")

    page.goto(live_server + "/auth/account/erase")
    page.fill("#password", PASSWORD)
    shoot(page, "68-erase-account-en-GB-390")
    page.click("main button[type=submit]")
    expect(page.locator("header")).to_contain_text("Register")
    assert foreign == []
    context.close()
