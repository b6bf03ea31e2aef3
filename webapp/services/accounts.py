"""Registering, logging in and changing passwords."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth import hash_password, verify_password
from ..extensions import db
from ..models import Role, User
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
