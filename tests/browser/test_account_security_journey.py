"""Account security in a browser (issue 10): a borrower who forgot the password
asks for a link (mailed through a real SMTP server, aiosmtpd), sets a new
password and logs in with it; switches on two-factor login with the QR page
(the code computed by pyotp, as a phone app would), logs out and in again with
a code; a new counselor is sent to enrolment and can open nothing else until it
is done. On a desktop in English and a 390-px phone in Chinese, axe-core clean
on every page photographed, nothing fetched from another host."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    DESKTOP,
    PASSWORD,
    PHONE,
    enrol_two_factor,
    next_code,
    page_width,
    register_and_log_in,
)
from tests.smtp_support import reset_link, smtp_server

NEW_PASSWORD = "a whole new secret"


@pytest.fixture
def inbox():
    with smtp_server() as server:
        yield server


@pytest.fixture
def app(make_app, inbox):
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox[0], MAIL_FROM="parley@example.org")


def _context(browser, viewport, locale, live_server):
    context = browser.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((live_server, "data:", "about:")) else None)
    return context, page, foreign


def _fits(page, viewport) -> None:
    if viewport is PHONE:
        assert page_width(page) <= viewport["width"], \
            page.url


def _submit(page, selector="main form[method=post] button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _log_out(page) -> None:
    with page.expect_navigation():
        page.click("form[action$='/auth/logout'] button")


def _log_in(page, base, email, password) -> None:
    page.goto(base + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    _submit(page)


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-GB"), (PHONE, "zh-CN")],
                         ids=["en-1280", "zh_CN-390"])
def test_reset_a_forgotten_password_then_log_in_with_two_factor(browser, live_server, shoot,
                                                                inbox, viewport, locale):
    tag = f"{locale}-{viewport['width']}"
    email = f"forgetful-{tag}@example.com".lower()
    context, page, foreign = _context(browser, viewport, locale, live_server)
    register_and_log_in(page, live_server, email)
    _log_out(page)

    # Forgot the password: the login page links to the request form.
    page.goto(live_server + "/auth/login")
    with page.expect_navigation():
        page.click("a[href$='/auth/forgot']")
    _fits(page, viewport)
    shoot(page, f"70-forgot-password-{tag}")
    page.fill("#email", email)
    _submit(page)
    assert page.url.endswith("/auth/login")
    expect(page.locator(".flash-info")).to_be_visible()
    _fits(page, viewport)
    shoot(page, f"71-link-sent-{tag}")

    # The mail arrived; its link opens the form for the new password.
    mails = [m for m in inbox[1].messages()
             if m["To"] == email and "/auth/reset/" in m.get_content()]
    assert len(mails) == 1  # (the other one is the verification link of registration)
    link = reset_link(mails[0])
    page.goto(live_server + link)
    assert page.url.endswith("/auth/reset")  # the token left the address bar
    _fits(page, viewport)
    shoot(page, f"72-new-password-{tag}")
    page.fill("#new_password", "1234567890")  # the registration policy applies
    page.fill("#confirm", "1234567890")
    _submit(page)
    expect(page.locator("#new_password-error")).to_be_visible()
    shoot(page, f"73-new-password-refused-{tag}")
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    _submit(page)
    assert page.url.endswith("/auth/login")
    assert page.input_value("#email") == email
    # The link is dead now.
    page.goto(live_server + link)
    assert page.url.endswith("/auth/forgot")
    shoot(page, f"74-link-used-{tag}")
    _log_in(page, live_server, email, NEW_PASSWORD)
    expect(page.locator("form[action$='/auth/logout']")).to_be_visible()

    # Two-factor login, from the account page.
    page.goto(live_server + "/auth/account")
    expect(page.locator("#two-factor-status")).to_be_visible()
    with page.expect_navigation():
        page.click("a[href$='/auth/two-factor']")
    expect(page.locator("figure.qr svg")).to_be_visible()
    _fits(page, viewport)
    shoot(page, f"75-two-factor-enrol-{tag}")
    page.fill("#code", "000000")
    _submit(page)
    expect(page.locator("#code-error")).to_be_visible()
    import pyotp

    secret = page.inner_text("#totp-secret").replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    _submit(page)
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    _fits(page, viewport)
    shoot(page, f"76-recovery-codes-{tag}")
    _log_out(page)

    _log_in(page, live_server, email, NEW_PASSWORD)
    assert page.url.endswith("/auth/login/code")
    _fits(page, viewport)
    shoot(page, f"77-login-code-{tag}")
    page.fill("#code", next_code(secret))
    _submit(page)
    assert page.url == live_server + "/"
    expect(page.locator("form[action$='/auth/logout']")).to_be_visible()
    context.close()
    assert foreign == []


@pytest.mark.parametrize(("viewport", "locale"), [(DESKTOP, "en-GB"), (PHONE, "zh-CN")],
                         ids=["en-1280", "zh_CN-390"])
def test_a_new_counselor_must_enrol_before_anything_else(browser, live_server, shoot,
                                                         viewport, locale):
    tag = f"{locale}-{viewport['width']}"
    email = f"adviser-{tag}@example.com".lower()
    context, page, foreign = _context(browser, viewport, locale, live_server)
    page.goto(live_server + "/auth/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.check("input[name=role][value=counselor]")
    _submit(page)
    page.fill("#password", PASSWORD)
    _submit(page)
    assert page.url.endswith("/auth/two-factor")
    expect(page.locator("#must-enrol")).to_be_visible()
    _fits(page, viewport)
    shoot(page, f"78-counselor-must-enrol-{tag}")
    for path in ["/", "/cases/new", "/auth/account", "/access/code"]:
        page.goto(live_server + path)
        assert page.url.endswith("/auth/two-factor"), path
    secret = enrol_two_factor(page)
    assert page.url == live_server + "/"
    _fits(page, viewport)
    shoot(page, f"79-counselor-enrolled-{tag}")
    page.goto(live_server + "/cases/new")
    assert page.url.endswith("/cases/new")
    _log_out(page)
    _log_in(page, live_server, email, PASSWORD)
    assert page.url.endswith("/auth/login/code")
    page.fill("#code", next_code(secret))
    _submit(page)
    assert page.url == live_server + "/"
    context.close()
    assert foreign == []
