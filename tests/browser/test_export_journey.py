"""The borrower takes everything away (issue 10), on a 390-px phone in English
and in Chinese: one case's archive from the case page, then the whole
account's from the account page; each ZIP downloaded and opened. And a draft
of an older proposal version asks for a confirmation before it is marked sent
(issue 8). axe-core on every page photographed."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, page_width, register_and_log_in
from tests.factories import today_gb
from tests.unit.record_builders import case_file, debt, event, sent


def _fits(page) -> None:
    assert page_width(page) <= PHONE["width"], page.url


def _download(page, selector: str) -> zipfile.ZipFile:
    with page.expect_download() as info:
        page.click(selector)
    return zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_a_borrower_downloads_a_case_then_everything(browser, live_server, shoot, locale):
    tag = f"{locale}-390"
    context = browser.new_context(viewport=PHONE, locale=locale, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((live_server, "data:", "about:")) else None)
    register_and_log_in(page, live_server, f"export-{tag}@example.com".lower())
    data = case_file([debt(ref, bal, account_ref=f"{ref.upper()}-1") for ref, bal in
                      (("a", "1000"), ("b", "3000"))],
                     negotiations=[{"debt_id": "a", "events": [
                         sent((today_gb() - timedelta(days=20)).isoformat()),
                         event((today_gb() - timedelta(days=5)).isoformat(), "counter_offer",
                               monthly="400")]}])
    data["title"] = "Household of Li"
    data["borrower"] = {"name": "Li Wei", "address": "1 High Street, Leeds"}
    page.goto(live_server + "/cases/import")
    page.fill("#text", json.dumps(data))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    expect(page.locator("#summary")).to_be_visible()
    case_url = page.url
    case_id = case_url.rsplit("/", 1)[1]

    # One case, from its page.
    page.click("#download-case")
    expect(page.locator("#archive-contents")).to_be_visible()
    _fits(page)
    shoot(page, f"91-archive-case-{tag}")
    page.click("#archive button[type=submit]")
    expect(page.locator("#archive-download")).to_be_visible()
    _fits(page)
    shoot(page, f"92-archive-case-ready-{tag}")
    archive = _download(page, "#archive-download")
    manifest = json.loads(archive.read("manifest.json"))
    assert [c["id"] for c in manifest["cases"]] == [case_id]
    case_json = json.loads(archive.read(f"cases/{case_id}/case.json"))
    assert case_json["title"] == "Household of Li"

    # Everything, from the account page.
    page.goto(live_server + "/auth/account")
    page.click("#download-everything")
    expect(page.locator("#archive-contents")).to_be_visible()
    page.click("#archive button[type=submit]")
    expect(page.locator("#archive-download")).to_be_visible()
    _fits(page)
    shoot(page, f"93-archive-account-ready-{tag}")
    archive = _download(page, "#archive-download")
    assert "account.json" in archive.namelist()
    assert json.loads(archive.read("account.json"))["email"] == f"export-{tag}@example.com".lower()

    # The download is in the case's activity log.
    page.goto(case_url + "/activity")
    expect(page.locator("#activity tr[data-action=export]").first).to_be_visible()
    _fits(page)

    # Issue 8: the letters of version 1 are written; a's counter-offer is then
    # accepted, which makes version 2; b's draft still belongs to version 1.
    page.goto(case_url + "/plan")
    with page.expect_navigation():
        page.click("#strategy-pro_rata form button[type=submit]")
    page.click("#proposal a[href*='/letters']")
    with page.expect_navigation():
        page.click("#generate button[type=submit]")
    letters_url = page.url.split("#", 1)[0]
    page.goto(case_url + "/creditors/a")
    page.fill("#accept-first_payment", (today_gb() + timedelta(days=10)).isoformat())
    with page.expect_navigation():
        page.click("#counter-actions form[method=post] button[type=submit]")
    page.goto(letters_url)
    page.locator("tr[data-letter]", has_text="Creditor b").locator("a").first.click()
    expect(page.locator("#old-version-warning")).to_be_visible()
    mark_sent = "#send form[action$='/mark-sent'] button[type=submit]"
    page.locator(mark_sent).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    with page.expect_navigation():
        page.click(mark_sent)
    expect(page.locator("#confirm_old_version-error")).to_be_visible()
    _fits(page)
    shoot(page, f"94-old-version-draft-{tag}")
    page.check("#confirm_old_version")
    page.locator(mark_sent).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    with page.expect_navigation():
        page.click(mark_sent)
    expect(page.locator("#sent")).to_be_visible()
    assert foreign == []
    context.close()
