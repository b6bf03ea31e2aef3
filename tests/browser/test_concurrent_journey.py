"""Two tabs on one debt: what a person sees when the older one saves."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.helpers import DESKTOP, register_and_log_in
from webapp.extensions import db
from webapp.models import Debt


def _register_with_a_case(page: Page, live_server: str) -> str:
    register_and_log_in(page, live_server, "tabs@example.com")
    page.fill("#start_date", "2027-01-31")
    page.click("main button[type=submit]")
    return page.url


def _fill_debt(page: Page, creditor: str, balance: str) -> None:
    page.fill("#creditor", creditor)
    page.fill("#balance", balance)
    page.fill("#contractual_payment", "90")


def test_a_save_from_a_stale_tab_is_refused_and_keeps_the_typing(
        app, browser, live_server, shoot):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    first = context.new_page()
    case_url = _register_with_a_case(first, live_server)
    first.goto(case_url + "/debts/new")
    _fill_debt(first, "Barclaycard", "3000")
    first.click("main button[type=submit]:not([name])")
    with app.app_context():
        debt_id = db.session.scalar(select(Debt.id))
    edit_url = f"{case_url}/debts/{debt_id}/edit"
    second = context.new_page()
    first.goto(edit_url)
    second.goto(edit_url)
    first.fill("#balance", "2500")
    first.click("main button[type=submit]")
    second.fill("#balance", "2750.55")
    second.click("details summary")
    second.fill("#account_ref", "typed in the second tab")
    second.click("main button[type=submit]")
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("changed by someone else")
    expect(alert).to_contain_text("Balance owed")
    expect(second.locator("#balance")).to_have_value("2750.55")
    expect(second.locator("#account_ref")).to_have_value("typed in the second tab")
    assert not first.url.endswith("/edit")  # the first tab's save went through
    shoot(second, "concurrent-stale-debt")
    # Saving again, knowingly, replaces the other tab's value.
    second.click("main button[type=submit]")
    expect(second).to_have_url(case_url + "#debts")
    with app.app_context():
        assert str(db.session.scalar(select(Debt.balance))) == "2750.55"
    context.close()
