"""Register, log in, log out, change password.

Throttling: every POST here counts against the client address
(``LOGIN_RATE_LIMIT``); wrong passwords also count against the account they were
aimed at (``ACCOUNT_RATE_LIMIT``: the e-mail typed at login, the user at password
change), so guessing from many addresses gains nothing. See README "Security".
"""

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...auth import log_in, log_out
from ...extensions import limiter
from ...i18n import select_locale
from ...redirects import safe_target
from ...services import accounts, audit
from . import bp, verify
from .forms import LoginForm, PasswordForm, RegisterForm


def _per_address():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _per_account():
    return current_app.config["ACCOUNT_RATE_LIMIT"]


def _login_account() -> str:
    return "login-account:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _password_account() -> str:
    return f"password-user:{getattr(current_user, 'id', '')}"


def _guess_failed(_response) -> bool:
    """Count against the account only when a password was checked and was wrong."""
    return bool(g.get("wrong_password"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        # A new address gets an account, a known one nothing; both get the same
        # answer and neither is logged in, so this form cannot tell who is registered.
        # (A new account is also sent its verification link, without a word on
        # the page that would differ.)
        user = accounts.register(form.email.data, form.password.data, form.role.data,
                                 form.display_name.data or "", locale=select_locale())
        if user is not None:
            verify.send_verification(user)
        session["login_email"] = accounts.normalise_email(form.email.data)
        flash(_("Thank you. Log in with your e-mail address and password to continue. "
                "If this address already had an account, its password has not changed."),
              "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(_per_account, key_func=_login_account, methods=["POST"],
               deduct_when=_guess_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            g.wrong_password = True
            form.password.errors.append(_("E-mail address or password is not right."))
        elif user.totp_enabled:
            # Right password; the code comes next. No session until it does.
            session.pop("login_email", None)
            from .twofactor import start_pending

            start_pending(user, request.args.get("next"))
            return redirect(url_for("auth.login_code"))
        else:
            session.pop("login_email", None)
            log_in(user)
            audit.record_login(user)
            return redirect(safe_target(request.args.get("next"), url_for("main.index")))
    elif not form.is_submitted():
        form.email.data = session.get("login_email")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    log_out(current_user)
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(_per_account, key_func=_password_account, methods=["POST"],
               deduct_when=_guess_failed)
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except accounts.AccountError as exc:
            g.wrong_password = True
            getattr(form, exc.field).errors.append(_(exc.message))
        else:
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
