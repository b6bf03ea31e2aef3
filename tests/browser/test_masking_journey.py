"""Account references masked on a phone, in English and Chinese: the case page
shows ``**** 1098``, the reveal link shows the full numbers (and the activity
log says so), every page passes axe-core, and the link works without JavaScript."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, register_and_log_in
from tests.browser.test_first_journey import EXAMPLES, IDS, LANGS, fits_the_phone, import_case

REF = "5412987623451098"


@pytest.mark.parametrize(("lang", "accept"), LANGS, ids=IDS)
def test_numbers_are_masked_and_revealed_by_a_plain_link(browser, live_server, shoot, lang,
                                                         accept):
    context = browser.new_context(viewport=PHONE, locale=accept)
    context.set_default_timeout(10_000)
    page = context.new_page()
    register_and_log_in(page, live_server, f"mask-{lang}@example.com")
    case = json.loads((EXAMPLES / "gb-family.json").read_text())
    for n, debt in enumerate(case["debts"]):
        debt["account_ref"] = REF if n == 0 else f"ACC-{debt['id']}-77{n}"
    case_url = import_case(page, live_server, json.dumps(case))

    debts = page.locator("#debts")
    expect(debts.locator(".account-ref").first).to_contain_text("1098")
    assert REF not in page.content()
    fits_the_phone(page)
    full = shoot(page, f"mask-01-case-masked-{lang}-390")
    debts.screenshot(path=str(full.with_name(f"mask-01-debts-masked-{lang}-390.png")))

    page.locator("#reveal-numbers").click()
    expect(debts.locator(".account-ref").first).to_contain_text(REF)
    expect(page.locator("#hide-numbers")).to_be_visible()
    fits_the_phone(page)
    full = shoot(page, f"mask-02-case-revealed-{lang}-390")
    debts.screenshot(path=str(full.with_name(f"mask-02-debts-revealed-{lang}-390.png")))

    page.goto(case_url + "/activity")
    expect(page.locator("main")).to_contain_text(
        "showed the full account and ID numbers" if lang == "en" else "查看了完整的账号和证件号码")
    assert REF not in page.content()
    shoot(page, f"mask-03-activity-{lang}-390")

    page.goto(f"{case_url}/creditors/{case['debts'][0]['id']}")
    expect(page.locator("hgroup .account-ref")).to_contain_text("1098")
    assert REF not in page.content()
    shoot(page, f"mask-04-creditor-{lang}-390")
    page.screenshot(path=str(full.with_name(f"mask-04-creditor-top-{lang}-390.png")))
    cookies = context.cookies()
    context.close()

    # The same link without JavaScript (axe needs script, so no photographs here).
    bare = browser.new_context(viewport=PHONE, locale=accept, java_script_enabled=False)
    bare.set_default_timeout(10_000)
    bare.add_cookies(cookies)
    page = bare.new_page()
    page.goto(case_url)
    assert REF not in page.content()
    page.locator("#reveal-numbers").click()
    expect(page.locator("#debts .account-ref").first).to_contain_text(REF)
    bare.close()
