"""On a phone: a PDF of the creditor's letter with a reply, a screenshot with a
collection contact, an SVG refused beside its field; each file listed with a
download link that downloads (never shows) it; axe-core on every page."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import upload_samples as s
from tests.browser.helpers import PHONE, assert_accessible, page_width, register_and_log_in
from tests.factories import today_gb
from tests.unit.record_builders import case_file, debt, sent

TEXT = {
    "en-GB": {"letter": "Refusal letter.pdf", "shot": "Screenshot 22.31.png",
              "refused": "this file is not a PDF or a photo"},
    "zh-CN": {"letter": "拒绝信.pdf", "shot": "催收短信截图.png", "refused": "不论文件名怎么写"},
}


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_attaching_the_evidence_on_a_phone(browser, live_server, shoot, locale):
    context = browser.new_context(viewport=PHONE, locale=locale, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    words, tag = TEXT[locale], f"{locale}-390"
    register_and_log_in(page, live_server, f"uploads-{locale}@example.com")
    data = case_file([debt("a", "1000"), debt("b", "3000")], negotiations=[
        {"debt_id": "a", "events": [sent((today_gb() - timedelta(days=12)).isoformat())]}])
    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(data))
    page.click("main button[type=submit]")

    # A reply with the creditor's letter: first an SVG that calls itself a PDF...
    page.locator("#creditors a", has_text="Creditor a").click()
    page.select_option("#type", "rejected")
    page.fill("#notes", "Ref 4471")
    page.set_input_files("#attachment", files=[
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": s.SVG}])
    page.click("#record button[type=submit]")
    expect(page.locator("#attachment-error")).to_contain_text(words["refused"])
    expect(page.locator("#notes")).to_have_value("Ref 4471")
    expect(page.locator("#history .attachment")).to_have_count(0)
    assert_accessible(page)
    shoot(page, f"60-reply-file-refused-{tag}")

    # ...then the real PDF.
    page.select_option("#type", "rejected")
    page.set_input_files("#attachment", files=[
        {"name": words["letter"], "mimeType": "application/pdf", "buffer": s.pdf()}])
    page.click("#record button[type=submit]")
    expect(page.locator(".flash")).to_be_visible()
    link = page.locator("#history .attachment a")
    expect(link).to_have_text(words["letter"])
    assert_accessible(page)
    assert page_width(page) <= PHONE["width"]
    shoot(page, f"61-reply-with-letter-{tag}")
    with page.expect_download() as caught:
        link.click()
    assert caught.value.suggested_filename == words["letter"]
    assert Path(caught.value.path()).read_bytes() == s.pdf()

    # A collection contact with a screenshot.
    page.goto(page.url.rsplit("/creditors/", 1)[0] + "/contacts")
    page.fill("#on", (today_gb() - timedelta(days=1)).isoformat())
    page.fill("#at", "22:31")
    page.select_option("#party", "family")
    page.fill("#collector", "Acme Collections")
    screenshot = s.png(24, 24)
    page.set_input_files("#attachment", files=[
        {"name": words["shot"], "mimeType": "image/png", "buffer": screenshot}])
    assert_accessible(page)
    page.click("#log-contact button[type=submit]")
    expect(page.locator(".flash")).to_be_visible()
    link = page.locator("#contact-log .attachment a")
    expect(link).to_have_text(words["shot"])
    assert_accessible(page)
    assert page_width(page) <= PHONE["width"]
    page.locator("#contact-log").scroll_into_view_if_needed()
    shoot(page, f"62-contact-with-screenshot-{tag}")
    with page.expect_download() as caught:
        link.click()
    assert caught.value.suggested_filename == words["shot"]
    assert Path(caught.value.path()).read_bytes() == screenshot
    context.close()
