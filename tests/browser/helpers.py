"""Shared values and checks for the browser tests."""

from pathlib import Path

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
#: WCAG 2.1 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def loaded(page) -> None:
    """Wait for the page's ``load`` event: its stylesheets applied. A click
    that navigates returns once the new page starts loading, and an ``expect``
    on its text passes as soon as the HTML is parsed; a layout read before the
    styles arrive is the browser's default one (seen in CI on a busy machine:
    a phone page measured 458 px wide)."""
    page.wait_for_load_state("load")


def page_width(page) -> int:
    """The page's laid-out width in CSS pixels, with its styles applied."""
    loaded(page)
    return page.evaluate("document.documentElement.scrollWidth")


def axe_violations(page) -> list[str]:
    """Run axe-core on the page as it is; one line per violation and element.

    axe is evaluated through the DevTools protocol, which the page's CSP (no
    injected script) does not govern, so pages are checked exactly as served,
    once their styles apply (colour contrast depends on them).
    """
    loaded(page)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{v['id']}: {v['help']} at {n['target']}"
            for v in result["violations"] for n in v["nodes"]]


def assert_accessible(page) -> None:
    found = axe_violations(page)
    assert found == [], "\n".join(found)
PASSWORD = "correct horse battery"


def register_and_log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Create an account, log in (registering alone does not, see the README's
    security section) and open the new-case form, where a new user starts."""
    page.goto(base + "/auth/register")
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#confirm", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.input_value("#email") == email.lower()  # the login form remembers it
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(base + "/cases/new")


def enrol_two_factor(page) -> str:
    """On the two-factor page a counselor is sent to after logging in: read the
    key shown, enter the code an app would compute from it (pyotp), keep the
    recovery codes and continue. Returns the key, for later logins."""
    import pyotp

    assert page.url.endswith("/auth/two-factor"), page.url
    secret = page.inner_text("#totp-secret").replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.click("form[action$='/auth/two-factor'] button[type=submit]")
    assert page.locator("#recovery-codes li").count() == 10
    with page.expect_navigation():
        page.click("main a[role=button]")
    return secret


def next_code(secret: str) -> str:
    """A code for the next 30-second step: the current one was just used (a code
    is good once), and one step ahead is accepted."""
    import time

    import pyotp

    return pyotp.TOTP(secret).at(time.time() + 30)
