"""Shared values for the browser tests."""

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

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
