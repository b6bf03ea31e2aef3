"""“Forgot your password?”: a link mailed to the account's address sets a new one.

The answer to the request is the same page, in the same time, whether the
address has an account or not (``services.resets`` does the work after the
response). The mailed link opens ``/auth/reset/<token>``, which puts the token
in the signed session and redirects at once, so the token is neither in the
address bar nor in a Referer while the new password is typed. Requests are
limited per client address (``LOGIN_RATE_LIMIT``) and per typed address
(``PASSWORD_RESET_RATE_LIMIT``), so nobody can fill a mailbox with links.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from ...extensions import limiter
from ...services import accounts, mailer, resets
from . import bp
from .forms import ForgotForm, ResetForm
from .routes import _per_address


def _per_mailbox():
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _mailbox_key() -> str:
    return "reset-account:" + accounts.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(_per_mailbox, key_func=_mailbox_key, methods=["POST"])
def forgot_password():
    mail_configured = mailer.is_configured(current_app.config)
    form = ForgotForm()
    if mail_configured and form.validate_on_submit():
        minutes = int(resets.max_age(current_app.config).total_seconds() // 60)
        flash(_("If an account has this address, we have sent it a link to set a new "
                "password. It works once, for %(minutes)d minutes. No e-mail? Check the "
                "spam folder, or ask again in a few minutes.", minutes=minutes), "info")
        return resets.start(redirect(url_for("auth.login"), 303), form.email.data,
                            request.host_url)
    status = 422 if form.errors else 200
    return render_template("auth/forgot.html", form=form,
                           mail_configured=mail_configured), status


@bp.get("/reset/<token>")
def reset_password(token: str):
    if resets.find(token) is None:
        flash(_("This link is not valid any more: it was used, it expired or it was "
                "mistyped. Ask for a new one below."), "error")
        return redirect(url_for("auth.forgot_password"))
    session["reset_token"] = token
    return redirect(url_for("auth.new_password"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
def new_password():
    row = resets.find(session.get("reset_token", ""))
    if row is None:
        session.pop("reset_token", None)
        flash(_("This link is not valid any more: it was used, it expired or it was "
                "mistyped. Ask for a new one below."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetForm()
    form.account_email = resets.account_of(row).email
    if form.validate_on_submit():
        try:
            user = resets.reset_password(session["reset_token"], form.new_password.data)
        except accounts.AccountError as exc:
            flash(_(exc.message), "error")
            return redirect(url_for("auth.forgot_password"))
        session.pop("reset_token", None)
        if current_user.is_authenticated:
            logout_user()  # its session ended with every other one
        session["login_email"] = user.email
        flash(_("Your new password is set, and every device that was logged in is logged "
                "out. Log in with the new password."), "success")
        return redirect(url_for("auth.login"), 303)
    status = 422 if form.errors else 200
    return render_template("auth/reset.html", form=form), status
