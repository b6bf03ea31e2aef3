"""Password hashing and the session's user loader."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from .extensions import db


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


def load_user(session_id: str):
    from .models import User

    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user
