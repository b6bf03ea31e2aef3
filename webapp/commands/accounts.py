"""``parley user create`` and ``parley token create``: accounts and API tokens
from the command line (for an operator, or a counselor's scripts).

``parley user create EMAIL --role borrower|counselor`` reads the password from
``PARLEY_PASSWORD``, else asks for it twice. It refuses (exit 2) what the
workspace contract names: an invalid or taken address; and an empty password
or one over 200 characters. A password the register form would refuse (under
10 characters, common, a pattern) is the operator's choice here: the account
is made and a warning on stderr says why the password is weak.
``parley token create EMAIL [--name NAME]`` prints a new personal access token
on stdout, once; only its hash is kept. Any refusal prints one line on stderr
and exits with code 2.
"""

from __future__ import annotations

import os

import click

from .plan import EXIT_INVALID
from .remind import _app

#: Why a password is refused (the register form says the same, translated).
POLICY = {"common": "it is on a list of common or leaked passwords",
          "repeated": "it is one character or a short pattern repeated",
          "sequence": "it is a simple sequence (like 1234567890 or qwertyuiop)",
          "email": "it is the e-mail address or its name part"}


def _refuse(message: str):
    click.echo(message, err=True)
    raise SystemExit(EXIT_INVALID)


@click.group("user")
def user_group() -> None:
    """Manage accounts."""


@user_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["borrower", "counselor"]), required=True,
              help="A borrower works on their own cases; a counselor helps clients.")
@click.option("--name", "display_name", default="", help="The account's display name.")
def create_user(email: str, role: str, display_name: str) -> None:
    """Create an account for EMAIL (password from PARLEY_PASSWORD, else prompted)."""
    from email_validator import EmailNotValidError, validate_email

    from .. import password_policy
    from ..services import accounts

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        _refuse(f"{email}: not a valid e-mail address")
    password = os.environ.get("PARLEY_PASSWORD")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password or len(password) > 200:
        _refuse("password: use 1 to 200 characters")
    if len(password) < accounts.MIN_PASSWORD:
        click.echo(f"warning: the password is shorter than {accounts.MIN_PASSWORD} "
                   "characters; change it on the account page", err=True)
    elif verdict := password_policy.problem(password, email):
        click.echo(f"warning: the password is weak ({POLICY[verdict]}); change it on the "
                   "account page", err=True)
    with _app().app_context():
        if accounts.register(email, password, role, display_name) is None:
            _refuse(f"{email}: an account with this e-mail address already exists")
    click.echo(f"created {role} account {accounts.normalise_email(email)}")
    if role == "counselor":
        click.echo("two-factor login: required for counselors; on first login in the browser "
                   "the counselor is asked to set it up (an authenticator app on a phone) "
                   "before anything else. API tokens (parley token create) work without it.")


@click.group("token")
def token_group() -> None:
    """Manage personal access tokens for the JSON API."""


@token_group.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for (shown on the account page).")
def create_token(email: str, name: str) -> None:
    """Print a new personal access token for EMAIL's account (shown this once)."""
    from ..services import accounts, tokens

    with _app().app_context():
        user = accounts.find_by_email(email)
        if user is None:
            _refuse(f"{email}: no account with this e-mail address")
        try:
            _row, raw = tokens.create(user, name)
        except accounts.AccountError as exc:
            _refuse(f"--name: {exc.message}")
    click.echo(raw)
