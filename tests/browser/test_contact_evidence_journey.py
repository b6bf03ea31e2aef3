"""On a phone in Chinese: the per-collector summary, a corrected contact shown as
edited with its original, and the evidence downloads; axe-core on each screenshot."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import PHONE, register_and_log_in
from tests.unit.record_builders import case_file, contact, debt
from webapp.models.types import local_date, now_utc


def test_correcting_a_contact_and_downloading_the_evidence(browser, live_server, shoot):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    register_and_log_in(page, live_server, "evidence-zh@example.com")
    evening = (local_date(now_utc(), "CN") - timedelta(days=1)).isoformat()
    data = case_file([debt("cmb", "38000")], jurisdiction="CN", contacts=[
        contact(f"{evening}T{t}:00+08:00", connected=True, collector="外包催收公司",
                party=party, debt_id="cmb", notes=notes)
        for t, party, notes in (("19:10", "borrower", ""), ("20:05", "borrower", ""),
                                ("21:15", "borrower", ""), ("22:20", "borrower", "威胁要上门"),
                                ("22:40", "family", "打给我母亲"))])
    data["currency"] = "CNY"
    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(data))
    page.click("main button[type=submit]")
    page.click("#creditors a[href$='/contacts']")

    expect(page.locator("#breaches .caller-summary")).to_have_text(
        "1 天内 5 通电话，2 次在 22:00 之后，1 次联系了我的家人。")

    # correct the 22:20 call's notes: the original stays, shown as edited
    page.locator("#contact-log li", has_text="威胁要上门").get_by_role("link").click()
    page.fill("#notes", "威胁要上门，说要告诉我单位")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash")).to_be_visible()
    history = page.locator("#contact-log details.contact-history")
    expect(history).to_have_count(1)
    history.locator("summary").click()
    expect(history).to_contain_text("原始记录")
    expect(history).to_contain_text("威胁要上门")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "41-contact-evidence-zh-CN-390")

    with page.expect_download() as download:
        page.click("#evidence-export a[href$='evidence.pdf']")
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    context.close()
