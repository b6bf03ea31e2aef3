import re

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User


def test_registering_creates_the_account_with_an_argon2_hash_then_login_opens_it(app, client):
    response = client.post("/auth/register", data={
        "email": "borrower@example.com", "password": "correct horse battery",
        "confirm": "correct horse battery", "role": "borrower"})
    assert response.status_code == 302
    assert response.location == "/auth/login"
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "borrower@example.com"
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
    # Not logged in by registering (that would tell an attacker the address was new)...
    assert client.get("/cases/new").status_code == 302
    login_page = client.get("/auth/login").get_data(as_text=True)
    assert "Log in with your e-mail address and password to continue" in login_page
    assert 'value="borrower@example.com"' in login_page  # ...but the address is filled in
    client.post("/auth/login", data={"email": "borrower@example.com",
                                     "password": "correct horse battery"})
    assert b"My cases" in client.get("/").data


def _register(client, email, password="another good secret", role="counselor", name="Someone"):
    return client.post("/auth/register", data={
        "email": email, "password": password, "confirm": password, "role": role,
        "display_name": name})


def test_registration_does_not_tell_whether_the_address_has_an_account(app, make_app):
    """Issue 7 item 11: the answer for a taken address equals the one for a new address."""
    owner = app.test_client()
    _register(owner, "borrower@example.com", "correct horse battery", "borrower", "Owner")

    answers = []
    for email in ["BORROWER@example.com", "nobody-yet@example.com"]:
        client = make_app().test_client()
        response = _register(client, email)
        follow = client.get(response.location)
        # The page differs only by the address typed and each browser's CSRF token.
        page = follow.get_data(as_text=True).replace(email.lower(), "EMAIL")
        page = re.sub(r'name="csrf_token" value="[^"]+"', "", page)
        answers.append((response.status_code, response.location, follow.status_code, page,
                        client.get("/cases/new").status_code))
    assert answers[0] == answers[1]
    assert answers[0][-1] == 302  # neither is logged in
    with app.app_context():
        taken = db.session.scalar(select(User).where(User.email == "borrower@example.com"))
        assert taken.role == "borrower" and taken.display_name == "Owner"  # untouched
    # The taken address keeps its own password.
    assert owner.post("/auth/login", data={"email": "borrower@example.com",
                                           "password": "correct horse battery"}
                      ).status_code == 302
    assert owner.post("/auth/logout").status_code == 302
    assert owner.post("/auth/login", data={"email": "borrower@example.com",
                                           "password": "another good secret"}
                      ).status_code == 200


def test_short_and_mismatched_passwords_are_refused(client):
    response = client.post("/auth/register", data={
        "email": "x@example.com", "password": "short", "confirm": "other", "role": "borrower"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "at least 10" in body
    assert "The passwords differ." in body


def test_the_role_must_be_borrower_or_counselor(app, client):
    response = client.post("/auth/register", data={
        "email": "x@example.com", "password": "long enough pw", "confirm": "long enough pw",
        "role": "admin"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_a_counselor_can_register(app, auth):
    auth.register(email="c@example.com", role="counselor")
    with app.app_context():
        assert db.session.scalar(select(User)).role == "counselor"


def test_wrong_password_does_not_log_in(client, auth):
    auth.register()
    auth.logout()
    response = auth.login(password="wrong password!")
    assert response.status_code == 200
    assert b"not right" in response.data
    assert client.get("/cases/new").status_code == 302


def test_logout_needs_post_and_ends_the_session(client, auth):
    auth.register()
    assert client.get("/auth/logout").status_code == 405
    auth.logout()
    response = client.get("/cases/new")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")


def test_login_redirects_only_within_the_site(client, auth):
    auth.register()
    auth.logout()
    response = client.post("/auth/login?next=//evil.example/x", data={
        "email": "borrower@example.com", "password": "correct horse battery"})
    assert response.location == "/"
    auth.logout()
    response = client.post("/auth/login?next=/cases/new", data={
        "email": "borrower@example.com", "password": "correct horse battery"})
    assert response.location == "/cases/new"


def test_changing_the_password_logs_out_other_sessions(app, client, auth):
    auth.register()
    other = app.test_client()
    other.post("/auth/login", data={"email": "borrower@example.com",
                                    "password": "correct horse battery"})
    assert other.get("/cases/new").status_code == 200

    response = client.post("/auth/password", data={
        "current_password": "correct horse battery", "new_password": "a brand new secret",
        "confirm": "a brand new secret"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get("/cases/new").status_code == 200  # this browser stays in
    assert other.get("/cases/new").status_code == 302  # the other one is out
    auth.logout()
    assert auth.login(password="correct horse battery").status_code == 200
    assert auth.login(password="a brand new secret").status_code == 302


def test_changing_the_password_needs_the_current_one(client, auth):
    auth.register()
    response = client.post("/auth/password", data={
        "current_password": "not my password", "new_password": "a brand new secret",
        "confirm": "a brand new secret"})
    assert response.status_code == 200
    assert b"not right" in response.data


def test_login_attempts_are_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.post("/auth/login", data={"email": "a@example.com", "password": "x"}
                         ).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Too many attempts" in client.post("/auth/login").get_data(as_text=True)


@pytest.mark.parametrize("password, message", [
    ("aaaaaaaaaa", "one character or a short pattern repeated"),
    (" " * 10, "one character or a short pattern repeated"),
    ("1234567890", "a simple sequence"),
    ("basketball", "common or leaked passwords"),
    ("sam.jones@example.com", "Do not use your e-mail address"),
    ("sam.jones2024", "Do not use your e-mail address"),
])
def test_weak_passwords_are_refused_beside_the_field(app, client, password, message):
    response = client.post("/auth/register", data={
        "email": "sam.jones@example.com", "password": password, "confirm": password,
        "role": "borrower"})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_the_policy_speaks_chinese(client):
    response = client.post("/auth/register", data={
        "email": "x@example.com", "password": "1234567890", "confirm": "1234567890",
        "role": "borrower"}, headers={"Accept-Language": "zh-CN"})
    assert "这个密码是简单的连续序列" in response.get_data(as_text=True)


def test_a_new_password_must_pass_the_policy_too(client, auth):
    auth.register()
    for weak in ["0000000000", "borrower@example.com", "iloveyou2024"]:
        response = client.post("/auth/password", data={
            "current_password": "correct horse battery", "new_password": weak,
            "confirm": weak})
        assert response.status_code == 200, weak
    auth.logout()
    assert auth.login().status_code == 302  # the old password still works
