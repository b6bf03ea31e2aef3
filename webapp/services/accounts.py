"""Registering, logging in, changing passwords and verifying the e-mail address."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth import hash_password, verify_password
from ..extensions import db
from ..models import Role, User
from ..models.types import now_utc
from . import sessions

MIN_PASSWORD = 10


def N_(message: str) -> str:
    """Mark a message for the catalogue; the view translates it (``_(exc.message)``)."""
    return message


class AccountError(ValueError):
    """A refused account change; ``field`` names the form field it is about."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    """How addresses are compared and stored: trimmed, lower case."""
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def register(email: str, password: str, role: str, display_name: str = "",
             locale: str | None = None) -> User | None:
    """Create an account; None if the e-mail address already has one.

    The caller must answer both cases alike (registration must not tell who has
    an account), so the password is hashed either way: same work, same time.
    """
    password_hash = hash_password(password)
    if find_by_email(email) is not None:
        return None
    user = User(
        email=normalise_email(email),
        password_hash=password_hash,
        role=Role(role).value,
        display_name=display_name.strip(),
        locale=locale,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the same address registered at the same moment
        db.session.rollback()
        return None
    return user


# A real hash to verify against when the e-mail is unknown, so a login for an
# unknown address takes as long as one for a known address.
_DUMMY_HASH: dict[bool, str] = {}


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None:
        from flask import current_app

        fast = bool(current_app.config.get("PASSWORD_HASH_FAST"))
        if fast not in _DUMMY_HASH:
            _DUMMY_HASH[fast] = hash_password("not-a-real-password")
        verify_password(_DUMMY_HASH[fast], password)
        return None
    return user if verify_password(user.password_hash, password) else None


def change_password(user: User, current: str, new: str) -> None:
    """Change the password and end every other session of this user (this one stays)."""
    if not verify_password(user.password_hash, current):
        raise AccountError("current_password", N_("The current password is not right."))
    user.password_hash = hash_password(new)
    sessions.end_others(user, keep_token=user.session_token)
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()


# --- verifying the e-mail address ----------------------------------------------------

#: Separates these tokens from anything else signed with the same key.
_VERIFY_SALT = "parley-verify-email"


def _serializer(config: Mapping[str, Any]) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config["SECRET_KEY"], salt=_VERIFY_SALT)


def _email_digest(email: str, config: Mapping[str, Any]) -> str:
    # The token is readable by anyone (only signed), and its URL lands in access
    # logs: it names the address by a keyed digest, neither in clear nor by a
    # plain hash that a list of addresses could be checked against.
    key = f"{_VERIFY_SALT}:{config['SECRET_KEY']}".encode()
    return hmac.new(key, normalise_email(email).encode("utf-8"), "sha256").hexdigest()[:32]


def verification_token(user: User, config: Mapping[str, Any]) -> str:
    """A signed token proving the holder received mail at ``user.email``.

    It is bound to the address, so it stops working if the address changes.
    """
    return _serializer(config).dumps([user.id, _email_digest(user.email, config)])


def verify_email(token: str, config: Mapping[str, Any]) -> User:
    """Mark the token's account verified and return it.

    AccountError("token", "expired" | "invalid") when the token is expired,
    forged, or made for an address the account no longer has.
    """
    try:
        user_id, digest = _serializer(config).loads(
            token, max_age=int(config.get("EMAIL_VERIFY_MAX_AGE") or 3 * 24 * 3600))
    except SignatureExpired as exc:
        raise AccountError("token", "expired") from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise AccountError("token", "invalid") from exc
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not hmac.compare_digest(str(digest), _email_digest(user.email, config)):
        raise AccountError("token", "invalid")
    if user.email_verified_at is None:
        user.email_verified_at = now_utc()
        db.session.commit()
    return user
