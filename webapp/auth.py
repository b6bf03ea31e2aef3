"""Password hashing, logging in and out, and the session's user loader."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, request
from flask_login import login_user, logout_user


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    # Tests lower the cost (PASSWORD_HASH_FAST) so hundreds of sign-ups stay quick;
    # production keeps argon2-cffi's defaults (RFC 9106 low-memory profile).
    if cfg.get("PASSWORD_HASH_FAST"):
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def load_user(token: str):
    """Flask-Login's user loader: the cookie's token must name a live server-side session."""
    from .services import sessions

    return sessions.resolve(token)


def log_in(user) -> None:
    """Start a server-side session for ``user`` and put its token in the cookie."""
    from .services import sessions

    sessions.start(user, request.headers.get("User-Agent"))
    login_user(user)


def log_out(user) -> None:
    """End this browser's session on the server, then forget it in the cookie."""
    from .services import sessions

    if getattr(user, "is_authenticated", False):
        sessions.end(user.session_token)
    logout_user()
