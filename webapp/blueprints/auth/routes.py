"""Register, log in, log out, change password."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ...extensions import limiter
from ...i18n import select_locale
from ...services import accounts
from . import bp, verify
from .forms import LoginForm, PasswordForm, RegisterForm


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(form.email.data, form.password.data, form.role.data,
                                     form.display_name.data or "", locale=select_locale())
        except accounts.AccountError as exc:
            getattr(form, exc.field).errors.append(_(exc.message))
        else:
            login_user(user)
            flash(_("Welcome to Parley. Start by creating a case for your household."), "success")
            verify.after_register(user)
            return redirect(url_for("cases.new"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("E-mail address or password is not right."))
        else:
            login_user(user)
            return redirect(_safe_next(url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except accounts.AccountError as exc:
            getattr(form, exc.field).errors.append(_(exc.message))
        else:
            # The session id carries the new version; pass the user, not the proxy.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)
