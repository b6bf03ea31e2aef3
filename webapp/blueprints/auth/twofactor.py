"""Two-factor login: the code step after the password, enrolment and switching
it off on the account page, and the rule that a counselor enrols first.

After a right password, an account with two-factor login on gets no session
yet: only the signed cookie notes who is half-way (``mfa``), for
``MFA_PENDING_SECONDS``. The code step is limited per client address and, for
wrong codes, per account (``ACCOUNT_RATE_LIMIT``), like passwords.

A counselor without two-factor login is logged in but sent to enrolment from
every page until it is done (see :func:`counselors_enrol_first`); API calls with
a token are not affected (tokens are made on the account page, after enrolment,
or by ``parley token create``).
"""

from __future__ import annotations

import time

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ...auth import log_in
from ...extensions import db, limiter
from ...models import User
from ...redirects import safe_target
from ...services import accounts, audit, twofactor
from . import bp
from .forms import CodeForm, DisableTwoFactorForm, EnrolForm
from .routes import _guess_failed, _per_account, _per_address

#: What a counselor without two-factor login may still open.
ENROL_ENDPOINTS = frozenset({"auth.two_factor", "auth.confirm_two_factor", "auth.logout",
                             "auth.verify", "main.set_language", "main.health", "main.ready",
                             "calendar.feed", "static"})


def start_pending(user: User, next_url: str | None) -> None:
    """The password was right: remember who is half-way, with no session yet."""
    session["mfa"] = {"user": user.id, "at": int(time.time()), "next": next_url or ""}


def _pending_user() -> tuple[User | None, dict]:
    pending = session.get("mfa") or {}
    age = time.time() - float(pending.get("at") or 0)  # float ok: seconds
    if not pending or age > int(current_app.config["MFA_PENDING_SECONDS"]):
        return None, {}
    user = db.session.get(User, pending.get("user"))
    return (user if user is not None and user.totp_enabled else None), pending


def _pending_key() -> str:
    return f"mfa-user:{(session.get('mfa') or {}).get('user', '')}"


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(_per_account, key_func=_pending_key, methods=["POST"], deduct_when=_guess_failed)
def login_code():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user, pending = _pending_user()
    if user is None:
        session.pop("mfa", None)
        flash(_("Please log in again: the step for the code lasts a few minutes."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if twofactor.check(user, form.code.data):
            session.pop("mfa", None)
            log_in(user)
            audit.record_login(user)
            return redirect(safe_target(pending.get("next"), url_for("main.index")))
        g.wrong_password = True  # counts against the account, as a wrong password does
        form.code.errors.append(_("This code is not right, or it was used already. Enter "
                                  "the code your app shows now."))
    status = 422 if form.errors else 200
    return render_template("auth/login_code.html", form=form), status


def _two_factor_page(status: int = 200, **context):
    user = current_user._get_current_object()
    context.setdefault("enrol_form", EnrolForm())
    context.setdefault("disable_form", DisableTwoFactorForm())
    if not user.totp_enabled:
        twofactor.begin(user)
        uri = twofactor.provisioning_uri(user)
        context.update(secret=user.totp_secret, qr=Markup(twofactor.qr_svg(uri)))
    else:
        context["codes_left"] = twofactor.recovery_codes_left(user)
    return render_template("auth/two_factor.html", **context), status


@bp.get("/two-factor")
@login_required
def two_factor():
    return _two_factor_page()


@bp.post("/two-factor")
@login_required
@limiter.limit(_per_address)
def confirm_two_factor():
    form = EnrolForm()
    if not form.validate_on_submit():
        return _two_factor_page(422, enrol_form=form)
    try:
        codes = twofactor.confirm(current_user._get_current_object(), form.code.data)
    except accounts.AccountError as exc:
        form.code.errors.append(_(exc.message))
        return _two_factor_page(422, enrol_form=form)
    # Shown once, here: only their hashes are kept.
    return _two_factor_page(recovery_codes=codes)


@bp.post("/two-factor/disable")
@login_required
@limiter.limit(_per_address)
@limiter.limit(_per_account, key_func=lambda: f"mfa-user:{current_user.get_id()}",
               deduct_when=_guess_failed)
def disable_two_factor():
    form = DisableTwoFactorForm()
    if not current_user.totp_enabled:
        abort(404)
    if form.validate_on_submit():
        try:
            twofactor.disable(current_user._get_current_object(), form.password.data,
                              form.code.data)
        except accounts.AccountError as exc:
            g.wrong_password = True
            getattr(form, exc.field).errors.append(_(exc.message))
        else:
            flash(_("Two-factor login is off."), "success")
            return redirect(url_for("auth.two_factor"), 303)
    return _two_factor_page(422, disable_form=form)


@bp.before_app_request
def counselors_enrol_first():
    """A counselor without two-factor login can do nothing but enrol (or log out)."""
    endpoint = request.endpoint or ""
    if endpoint in ENROL_ENDPOINTS or endpoint.startswith("api.") or not endpoint:
        return None
    if current_user.is_authenticated and current_user.must_enrol_totp:
        return redirect(url_for("auth.two_factor"), 303)
    return None
