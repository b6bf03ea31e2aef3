"""Two-factor login with TOTP (RFC 6238: a six-digit code from an app such as
FreeOTP, Aegis or Google Authenticator) and single-use recovery codes.

Enrolment: :func:`begin` keeps a new secret on the account (not yet in force),
the page shows it and its QR code, :func:`confirm` switches two-factor login on
once a code from the app matches, and returns ten recovery codes to show once
(only their SHA-256 is kept). A code is accepted for the current 30-second step
and one step either side (a phone's clock drifts), and only for a step later
than the last one accepted, so a code seen over a shoulder is good for nobody
after its owner used it. Required for counselors (``User.must_enrol_totp``).

The secret is stored in a plain column for now; it moves to the encrypted
column type once that exists (issue 10, personal fields encrypted at rest).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
from sqlalchemy import delete, select, update

from ..auth import verify_password
from ..extensions import db
from ..models import RecoveryCode, User
from ..models.types import now_utc
from .accounts import N_, AccountError

#: seconds per TOTP step (every authenticator app's default)
STEP = 30
#: steps either side of now that are still accepted
DRIFT = 1
RECOVERY_CODES = 10
ISSUER = "Parley"


def _now() -> float:  # float ok (a clock)
    return time.time()  # float ok: seconds since the epoch, not money


def _step(at: float | None = None) -> int:  # float ok (a clock)
    return int((_now() if at is None else at) // STEP)


def begin(user: User) -> str:
    """A new secret for ``user`` to enter in their app (kept until confirmed).

    An enrolment already begun keeps its secret, so reloading the page does not
    invalidate what the user just scanned."""
    if user.totp_enabled:
        raise AccountError("code", N_("Two-factor login is already on."))
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The ``otpauth://`` URI as an SVG QR code (markup for the page; no script)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(uri, image_factory=SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _normal(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def _matching_step(user: User, code: str) -> int | None:
    """The step within ±DRIFT whose code is ``code`` and that is newer than the
    last accepted one, else None."""
    digits = _normal(code)
    if len(digits) != 6 or not digits.isdigit() or not user.totp_secret:
        return None
    totp = pyotp.TOTP(user.totp_secret)
    now = _step()
    for step in range(now - DRIFT, now + DRIFT + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record ``step`` as used, unless a concurrent login used it (or a later one)."""
    last = User.totp_last_step
    done = db.session.execute(update(User).where(
        User.id == user.id, (last.is_(None)) | (last < step)).values(totp_last_step=step))
    if done.rowcount != 1:
        db.session.rollback()
        return False
    user.totp_last_step = step
    return True


def _hash_code(code: str) -> str:
    return hashlib.sha256(_normal(code).encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes (the old ones die); shown once, stored hashed. The caller commits."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits, ten hex digits: xxxxx-xxxxx
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_code(code)))
    return codes


def confirm(user: User, code: str) -> list[str]:
    """Switch two-factor login on if ``code`` matches the secret begun; returns
    the recovery codes to show once. AccountError("code") otherwise."""
    if user.totp_enabled:
        raise AccountError("code", N_("Two-factor login is already on."))
    step = _matching_step(user, code)
    if step is None or not _claim_step(user, step):
        raise AccountError("code", N_("This code is not right. Enter the six digits your app "
                                      "shows now."))
    user.totp_enabled_at = now_utc()
    codes = new_recovery_codes(user)
    db.session.commit()
    return codes


def check(user: User, code: str) -> bool:
    """Whether ``code`` (a TOTP code, or an unused recovery code) lets ``user``
    in; an accepted code is used up (committed)."""
    if not user.totp_enabled:
        return False
    step = _matching_step(user, code)
    if step is not None:
        if _claim_step(user, step):
            db.session.commit()
            return True
        return False
    normal = _normal(code)
    if len(normal) != 10:
        return False
    used = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash_code(normal),
        RecoveryCode.used_at.is_(None)).values(used_at=now_utc())).rowcount
    db.session.commit()
    return used == 1


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def disable(user: User, password: str, code: str) -> None:
    """Switch two-factor login off: needs the password and a code (or a recovery code)."""
    if not verify_password(user.password_hash, password):
        raise AccountError("password", N_("The password is not right."))
    if not check(user, code):
        raise AccountError("code", N_("This code is not right. Enter the six digits your app "
                                      "shows now, or a recovery code."))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.commit()
