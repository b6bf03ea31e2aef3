"""The account page's personal access tokens (for the JSON API) and erasing
the account. A new token is shown once, on the page that made it."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ...extensions import limiter
from ...services import accounts, erasure, mailer, tokens
from . import bp
from .forms import EraseAccountForm, TokenForm
from .routes import _guess_failed, _password_account, _per_account, _per_address


def account_page(status: int = 200, **context):
    """The account page: e-mail verification, tokens, links to the rest."""
    context.setdefault("token_form", TokenForm())
    return render_template("auth/account.html",
                           mail_configured=mailer.is_configured(current_app.config),
                           tokens=tokens.tokens_for(current_user), **context), status


@bp.post("/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return account_page(422, token_form=form)
    try:
        row, raw = tokens.create(current_user, form.name.data or "")
    except accounts.AccountError as exc:
        form.name.errors.append(_(exc.message))
        return account_page(422, token_form=form)
    # Shown once, here: only the token's hash is kept. The form starts afresh.
    return account_page(new_token=raw, new_token_row=row, token_form=TokenForm(formdata=None))


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if not TokenForm().validate_on_submit():
        abort(400)
    if tokens.revoke(current_user, token_id):
        flash(_("The token is revoked: programs using it can no longer reach your cases."),
              "success")
    return redirect(url_for("auth.account", _anchor="tokens"), 303)


@bp.route("/account/erase", methods=["GET", "POST"])
@login_required
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(_per_account, key_func=_password_account, methods=["POST"],
               deduct_when=_guess_failed)
def erase_account():
    form = EraseAccountForm()
    if form.validate_on_submit():
        try:
            erasure.erase_account(current_user._get_current_object(), form.password.data)
        except accounts.AccountError as exc:
            g.wrong_password = True  # counts against the account, as at login
            form.password.errors.append(_(exc.message))
        else:
            logout_user()
            flash(_("Your account and all your cases are erased. Nothing of them is left "
                    "on Parley."), "info")
            return redirect(url_for("main.index"), 303)
    status = 422 if form.errors else 200
    return render_template("auth/erase.html", form=form), status
