"""On a phone in Chinese: the per-collector summary, a corrected contact shown as
edited with its original, and the evidence downloads; axe-core on each screenshot."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import PHONE, page_width, register_and_log_in
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
    assert page_width(page) <= PHONE["width"]
    shoot(page, "41-contact-evidence-zh-CN-390")

    with page.expect_download() as download:
        page.click("#evidence-export a[href$='evidence.pdf']")
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    context.close()


def test_an_evening_of_calls_answered_by_a_complaint_letter(browser, live_server, shoot):
    """On a phone in Chinese: log four calls in one evening and one to a family
    member, see the breaches, and in one tap write the complaint to the bank;
    the PDF that downloads carries the table of the flagged calls."""
    from tests.letters.support import pdf_text

    context = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    register_and_log_in(page, live_server, "letters-zh@example.com")
    data = case_file([debt("cmb", "38000", account_ref="6225 8800 1234 5678")],
                     jurisdiction="CN")
    data["currency"] = "CNY"
    data["borrower"] = {"name": "王小明", "address": "上海市浦东新区世纪大道100号"}
    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(data))
    page.click("main button[type=submit]")
    page.click("#creditors a[href$='/contacts']")

    evening = (local_date(now_utc(), "CN") - timedelta(days=1)).isoformat()
    for at, party in (("19:10", "borrower"), ("20:05", "borrower"), ("21:15", "borrower"),
                      ("22:20", "borrower"), ("22:40", "family")):
        page.fill("#on", evening)
        page.fill("#at", at)
        page.select_option("#channel", "call")
        page.check("#connected")
        page.select_option("#party", party)
        page.select_option("#debt_ref", "cmb")
        page.fill("#collector", "外包催收公司")
        page.click("#log-contact button[type=submit]")
        expect(page.locator(".flash")).to_be_visible()

    breaches = page.locator("#breaches")
    expect(breaches).to_contain_text("晚上10点至早上8点之间联系")
    expect(breaches).to_contain_text("推荐性标准，不是法律")
    letters = breaches.locator(".contact-letters")
    expect(letters.get_by_role("button")).to_have_count(3)
    assert page_width(page) <= PHONE["width"]
    letters.scroll_into_view_if_needed()
    shoot(page, "42-contact-letters-zh-CN-390")

    letters.locator("button[value=contact_complaint]").click()
    expect(page.locator(".flash")).to_contain_text("信已写好")
    expect(page.locator("h1")).to_have_text("关于违规催收行为的投诉函")
    assert page_width(page) <= PHONE["width"]
    shoot(page, "43-contact-complaint-letter-zh-CN-390")
    with page.expect_download() as download:
        page.click("#preview a[href$='.pdf']")
    text = pdf_text(Path(download.value.path()).read_bytes())
    compact = text.replace(" ", "")
    assert "违规催收记录表" in compact
    assert f"{evening} 22:20 +08:00" in text and f"{evening} 22:40 +08:00" in text
    assert f"{evening} 19:10" not in text
    assert "在晚22:00至次日早8:00之间催收" in compact and "本人家人" in compact
    assert "推荐性国家标准" in compact

    # the regulator complaint from the same lines: where it goes, said plainly
    page.goto(page.url.split("/letters/")[0] + "/contacts")
    page.locator("#breaches .contact-letters button[value=regulator_complaint]").click()
    expect(page.locator("#regulator-route")).to_contain_text("12378")
    expect(page.locator("#send")).not_to_contain_text("通过 Parley 发送电子邮件")
    assert page_width(page) <= PHONE["width"]
    shoot(page, "44-regulator-complaint-zh-CN-390")
    context.close()
