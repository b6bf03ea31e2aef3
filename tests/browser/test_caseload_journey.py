"""A counselor's day, in a browser: the caseload of several clients, a filter,
a search, a client's case with a private note and a task, then a proposal's
letters with the creditor playbook beside them, and the playbook page. On a
390-px phone in Chinese and a desktop in English, axe-core on every page
photographed, no request to any other host."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PASSWORD, PHONE, enrol_two_factor, page_width
from tests.factories import today_gb
from webapp.extensions import db
from webapp.services import accounts, cases, proposals, sharing


def _day(days_ago: int) -> str:
    return (today_gb() - timedelta(days=days_ago)).isoformat()


def _file(title: str, debts: list[tuple[str, str]], negotiations: list[dict]) -> str:
    return json.dumps({
        "format": "parley-case/1", "currency": "GBP", "jurisdiction": "GB", "title": title,
        "start_date": _day(-5), "household": {"adults": 1, "children": 1},
        "borrower": {"name": "Private Person", "address": "1 High Street"},
        "income": [{"label": "Wages", "amount": "2100.00", "frequency": "monthly"}],
        "expenses": [{"label": "Rent", "amount": "900.00", "frequency": "monthly",
                      "category": "housing"}],
        "debts": [{"id": ref, "creditor": name, "kind": "credit_card", "balance": "2400.00",
                   "apr": "19.9", "contractual_payment": "80.00"} for ref, name in debts],
        "negotiations": negotiations,
    })


def _offer(sent: int, reply: int, type_: str, **extra) -> list[dict]:
    return [{"on": _day(sent), "type": "sent", "letter": "proposal", "offer_monthly": "40.00"},
            {"on": _day(reply), "type": type_, **extra}]


def _office(app, counselor: str) -> None:
    """Three clients' cases granted to the counselor: two with a history with
    Lowell, and one about to write to Lowell (a saved proposal)."""
    with app.app_context():
        accounts.register(counselor, PASSWORD, "counselor")
        files = [
            ("Household Chen", [("l", "Lowell Ltd"), ("v", "Vanquis Bank")], [
                {"debt_id": "l", "events": _offer(40, 30, "counter_offer", monthly="30.00")},
                {"debt_id": "v", "events": [{"on": _day(50), "type": "sent",
                                             "letter": "proposal"}]}]),
            ("Household Okafor", [("l", "LOWELL")], [
                {"debt_id": "l", "events": [
                    *_offer(90, 70, "accepted", monthly="40.00", first_payment=_day(45)),
                    {"on": _day(45), "type": "payment", "amount": "40.00"},
                    {"on": _day(15), "type": "payment", "amount": "40.00"}]}]),
            ("Household Smith", [("l", "Lowell"), ("c", "Capital One")], []),
        ]
        for n, (title, debts, records) in enumerate(files):
            client = accounts.register(f"client{n}-{counselor}", PASSWORD, "borrower",
                                       display_name=title.split()[1])
            case = cases.import_case(client, _file(title, debts, records))
            sharing.grant(case, counselor, client)
        _budget, results, *_ = proposals.plan_with_advice(case)
        proposals.save_proposal(case, next(r.name for r in results if r.feasible))
        db.session.remove()


def _fits(page, viewport) -> None:
    if viewport is PHONE:
        assert page_width(page) <= viewport["width"], \
            page.url


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-GB"), (PHONE, "zh-CN")],
                         ids=["en-1280", "zh_CN-390"])
def test_a_counselor_works_the_caseload(app, browser, live_server, shoot, viewport, locale):
    tag = f"{locale}-{viewport['width']}"
    counselor = f"adviser-{tag}@example.com".lower()
    _office(app, counselor)
    context = browser.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((live_server, "data:", "about:")) else None)

    page.goto(live_server + "/auth/login")
    page.fill("#email", counselor)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    enrol_two_factor(page)  # a counselor sets up two-factor login first

    # From the home page to the caseload: three clients, the overdue one first.
    page.click("#caseload-link")
    rows = page.locator("table.caseload tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Household Chen")
    expect(rows.first).to_have_class("overdue")
    _fits(page, viewport)
    shoot(page, f"70-caseload-{tag}")

    # A filter, then a search by a creditor's name.
    page.click("nav.filters a[href*='filter=overdue']")
    expect(rows).to_have_count(1)
    expect(page.locator("nav.filters a[aria-current=page]")).to_contain_text("(1)")
    shoot(page, f"71-caseload-overdue-{tag}")
    page.click("nav.filters a[href='/caseload']")
    page.fill("#q", "lowell")
    with page.expect_navigation():
        page.click("form.caseload-search button")
    expect(rows).to_have_count(3)
    page.fill("#q", "capital")
    with page.expect_navigation():
        page.click("form.caseload-search button")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Household Smith")
    _fits(page, viewport)
    shoot(page, f"72-caseload-search-{tag}")

    # The client's case: a task and a private note.
    with page.expect_navigation():
        rows.first.locator("a").first.click()
    page.fill("#task-title", "Ask for payslips")
    page.fill("#task-due_on", _day(-7))
    with page.expect_navigation():
        page.click("form[action$='/tasks'] button[type=submit]")
    page.fill("#note-body", "Prefers phone calls after 6pm.")
    with page.expect_navigation():
        page.click("form[action$='/notes'] button[type=submit]")
    workspace = page.locator("#workspace")
    expect(workspace).to_contain_text("Ask for payslips")
    expect(workspace).to_contain_text("Prefers phone calls after 6pm.")
    _fits(page, viewport)
    workspace.scroll_into_view_if_needed()
    shoot(page, f"73-case-notes-tasks-{tag}")

    # Preparing the proposal's letters: what Lowell did with offers before.
    page.goto(page.url.split("#")[0] + "/plan")
    link = page.locator("a[href*='/letters']").first
    with page.expect_navigation():
        link.click()
    playbook = page.locator("#playbook")
    expect(playbook).to_be_visible()
    expect(playbook).to_contain_text("Lowell")
    expect(playbook).to_contain_text("50")  # one of two offers accepted: 50 %
    expect(playbook).not_to_contain_text("Chen")  # never another client's identity
    _fits(page, viewport)
    playbook.scroll_into_view_if_needed()
    shoot(page, f"74-letters-playbook-{tag}")

    page.goto(live_server + "/caseload/playbook")
    expect(page.locator("article.playbook")).to_have_count(1)
    _fits(page, viewport)
    shoot(page, f"75-playbook-{tag}")

    # The caseload now shows the task next to the case.
    page.goto(live_server + "/caseload?q=smith")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(4)).not_to_have_text("—")
    assert foreign == []
    context.close()
