from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User


def test_registering_logs_the_user_in_and_stores_an_argon2_hash(app, client, auth):
    response = auth.register()
    assert response.status_code == 302
    assert response.location == "/cases/new"
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "borrower@example.com"
        assert user.password_hash.startswith("$argon2id$")
        assert "correct horse" not in user.password_hash
    assert client.get("/").status_code == 200
    assert b"My cases" in client.get("/").data


def test_a_taken_email_is_refused_beside_the_field(client, auth):
    auth.register()
    auth.logout()
    response = auth.register(email="BORROWER@example.com")
    assert response.status_code == 200
    assert b"already exists" in response.data


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
    assert response.status_code == 302
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
