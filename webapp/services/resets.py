"""Password reset by a link mailed to the account's address.

The link carries a random token; the ``password_resets`` row holds its SHA-256,
its expiry (``PASSWORD_RESET_MAX_AGE``) and the time it was used. Setting the
new password marks the row used (and every other open link of the account), in
the same transaction that changes the password and ends every session, so a
link works once.

Asking for a link must not tell whether an address has an account, by the
answer or by the time it takes: the request only hands the address to
:func:`request_link` through :func:`start`, which runs it once the response is
sent (in a thread of the process; at once under ``JOBS_BACKEND=inline``, the
tests'), so looking the address up and talking to the mail server happen for
nobody's stopwatch.
"""

from __future__ import annotations

import hashlib
import logging
import random
import secrets
import threading
import time
from datetime import timedelta

from flask import Flask, Response, current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..auth import hash_password
from ..extensions import db
from ..models import AuditAction, PasswordReset, User
from ..models.types import now_utc
from . import accounts, audit, mailer, sessions

log = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def max_age(config) -> timedelta:
    return timedelta(seconds=int(config.get("PASSWORD_RESET_MAX_AGE") or 3600))


def start(response: Response, email: str, host_url: str) -> Response:
    """Arrange for :func:`request_link` to run for ``email`` once ``response``
    has been sent (its WSGI ``close``), in a thread; at once with
    ``JOBS_BACKEND=inline``. Returns ``response``. Never raises.

    Starting the thread only after the response is written matters: a thread
    started before would share the interpreter with the rest of the request
    and make the answer for a known address measurably slower."""
    app = current_app._get_current_object()
    if app.config.get("JOBS_BACKEND") == "inline":
        _run(app, email, host_url)
        return response

    def later() -> None:
        threading.Thread(target=_run, args=(app, email, host_url, True), daemon=True,
                         name="password-reset-mail").start()

    response.call_on_close(later)
    return response


#: Seconds a background request waits before it starts (a random time in this
#: range), so its work does not line up with the client's next request either
#: (the redirected page): that one would otherwise be slower for a known address.
DELAY = (0.2, 0.6)


def _run(app: Flask, email: str, host_url: str, delay: bool = False) -> None:
    if delay:
        time.sleep(random.uniform(*DELAY))  # float ok: seconds; not a secret
    try:
        with app.test_request_context("/", base_url=host_url):
            request_link(email)
    except Exception:  # a background thread: log, never surface
        log.exception("password reset mail failed")
    finally:
        with app.app_context():
            db.session.remove()


def request_link(email: str) -> bool:
    """Mail a reset link to ``email`` if it is an account's address.

    Runs in a request context (for the link's URL). True when a mail was sent.
    """
    config = current_app.config
    user = accounts.find_by_email(email)
    if user is None or not mailer.is_configured(config):
        return False
    token = secrets.token_urlsafe(32)
    now = now_utc()
    db.session.add(PasswordReset(user_id=user.id, token_hash=_digest(token), created_at=now,
                                 expires_at=now + max_age(config)))
    db.session.commit()
    link = url_for("auth.reset_password", token=token, _external=True)
    minutes = int(max_age(config).total_seconds() // 60)
    with force_locale(user.locale or "en"):
        text = _("Hello,\n\nSomeone (we hope you) asked to set a new password for your Parley "
                 "account. Open this link within %(minutes)d minutes to choose one:\n\n"
                 "%(link)s\n\nThe link works once. If you did not ask for it, ignore this "
                 "e-mail: your password stays as it is.\n", minutes=minutes, link=link)
        subject = _("Set a new password for Parley")
    try:
        mailer.send(config, mailer.Mail(to=user.email, subject=subject, text=text,
                                        from_name="Parley"))
    except (mailer.MailError, mailer.BadAddress) as exc:
        # No address in the log: the account id and the SMTP reason only.
        log.warning("password reset mail for user %s failed: %s", user.id,
                    exc if isinstance(exc, mailer.MailError) else "BadAddress")
        return False
    return True


def find(token: str) -> PasswordReset | None:
    """The live reset of ``token``: known, not used, not expired; else None."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(PasswordReset).where(
        PasswordReset.token_hash == _digest(token)))
    if row is None or row.used_at is not None or row.expires_at <= now_utc():
        return None
    return row


def account_of(row: PasswordReset) -> User:
    return db.session.get(User, row.user_id)


def reset_password(token: str, new_password: str) -> User:
    """Set ``new_password`` for the token's account; the token and every other
    open link of the account die, every session of the account ends.

    AccountError("token", ...) when the token is unknown, used or expired.
    """
    row = find(token)
    if row is None:
        raise accounts.AccountError("token", accounts.N_(
            "This link is not valid any more: it was used, it expired or it was mistyped."))
    now = now_utc()
    # Claim the row with a conditional UPDATE, so two submissions racing with
    # one link cannot both succeed: only one sees its row still unused.
    claimed = db.session.execute(
        update(PasswordReset).where(PasswordReset.id == row.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)).rowcount
    if claimed != 1:
        db.session.rollback()
        raise accounts.AccountError("token", accounts.N_(
            "This link is not valid any more: it was used, it expired or it was mistyped."))
    user = db.session.get(User, row.user_id)
    db.session.execute(update(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)).values(used_at=now))
    user.password_hash = hash_password(new_password)
    sessions.end_others(user, keep_token=None)
    audit.add_account_event(user, AuditAction.PASSWORD_RESET)
    db.session.commit()
    return user
