"""parley user create and parley token create: exit codes, messages, the token."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.commands.accounts import create_token, create_user
from webapp.extensions import db
from webapp.models import ApiToken, User

PASSWORD = "correct horse battery"


def run(app, command, args, env=None, input=None):
    return app.test_cli_runner().invoke(command, args, env=env or {}, input=input)


def test_a_counselor_account_from_the_environment(app):
    result = run(app, create_user, ["Adviser@Example.com", "--role", "counselor"],
                 env={"PARLEY_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role) == ("adviser@example.com", "counselor")
        assert PASSWORD not in user.password_hash
        assert not user.totp_enabled  # set up by the counselor, on first login
    assert "on first login in the browser" in result.output


def test_the_password_is_asked_for_twice_without_the_variable(app):
    result = run(app, create_user, ["me@example.com", "--role", "borrower"],
                 input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output


@pytest.mark.parametrize(("args", "password", "message"), [
    (["not-an-address", "--role", "borrower"], PASSWORD, "not-an-address: not a valid e-mail"),
    (["me@example.com", "--role", "borrower"], "", "password: use 1 to 200"),
    (["me@example.com", "--role", "borrower"], "x" * 201, "password: use 1 to 200"),
])
def test_bad_input_exits_2_with_a_message(app, args, password, message):
    result = run(app, create_user, args, env={"PARLEY_PASSWORD": password})
    assert result.exit_code == 2
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize(("password", "warning"), [
    ("short", "shorter than 10 characters"),
    ("password123", "common or leaked"),
])
def test_a_weak_password_makes_the_account_with_a_warning(app, password, warning):
    """The workspace contract refuses only a taken or invalid address: an operator's
    weak password is warned about, not refused (the register form refuses it)."""
    result = run(app, create_user, ["me@example.com", "--role", "borrower"],
                 env={"PARLEY_PASSWORD": password})
    assert result.exit_code == 0, result.output
    assert warning in result.output
    with app.app_context():
        assert db.session.scalar(select(User.email)) == "me@example.com"


def test_a_taken_address_exits_2(app):
    assert run(app, create_user, ["me@example.com", "--role", "borrower"],
               env={"PARLEY_PASSWORD": PASSWORD}).exit_code == 0
    result = run(app, create_user, ["ME@example.com", "--role", "counselor"],
                 env={"PARLEY_PASSWORD": "another good passphrase"})
    assert result.exit_code == 2
    assert "already exists" in result.output


def test_a_bad_role_is_a_usage_error(app):
    result = run(app, create_user, ["me@example.com", "--role", "admin"],
                 env={"PARLEY_PASSWORD": PASSWORD})
    assert result.exit_code == 2


def test_a_token_is_printed_once_works_and_is_stored_hashed(app, client):
    run(app, create_user, ["me@example.com", "--role", "borrower"],
        env={"PARLEY_PASSWORD": PASSWORD})
    result = run(app, create_token, ["me@example.com", "--name", "office laptop"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("parley_") and len(token.splitlines()) == 1
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json) == (200, {"cases": []})
    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        assert row.name == "office laptop"
        assert token not in (row.token_hash, row.name)


def test_a_token_for_no_account_exits_2(app):
    result = run(app, create_token, ["nobody@example.com"])
    assert result.exit_code == 2
    assert "no account" in result.output
    result = run(app, create_token, ["nobody@example.com", "--name", "x" * 81])
    assert result.exit_code == 2
