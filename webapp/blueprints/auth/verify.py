"""The account page and e-mail verification.

Parley e-mails a letter only for an account whose address is verified (see
``services.letter_delivery``). At registration, and on request from the
account page, Parley mails a signed link that expires
(``EMAIL_VERIFY_MAX_AGE``); following it marks the address verified. The
link works without logging in: it is itself the proof. Without a mail server
nothing can be verified, and the pages say so: marking letters as sent still works.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...extensions import limiter
from ...models import User
from ...services import accounts, mailer
from . import bp


def _mail_configured() -> bool:
    return mailer.is_configured(current_app.config)


def send_verification(user: User) -> bool:
    """Mail ``user`` a verification link; False when mail is not set up or failed.

    Never raises: registration must not fail because the mail server is down.
    """
    if not _mail_configured() or user.email_verified:
        return False
    link = url_for("auth.verify", token=accounts.verification_token(user, current_app.config),
                   _external=True)
    text = _("Hello,\n\nPlease confirm that this is your e-mail address for Parley by opening "
             "this link within %(days)d days:\n\n%(link)s\n\nIf you did not create an account "
             "on Parley, ignore this e-mail.\n",
             days=max(1, int(current_app.config["EMAIL_VERIFY_MAX_AGE"]) // 86400), link=link)
    try:
        mailer.send(current_app.config, mailer.Mail(
            to=user.email, subject=_("Verify your e-mail address for Parley"), text=text,
            from_name="Parley"))
    except (mailer.MailError, mailer.BadAddress) as exc:
        # No address in the log: the type and SMTP code only.
        current_app.logger.warning("verification mail for user %s failed: %s", user.id,
                                   exc if isinstance(exc, mailer.MailError) else "BadAddress")
        return False
    return True


def after_register(user: User) -> None:
    """Send the first verification link and tell the new user about it."""
    if send_verification(user):
        flash(_("We sent a link to %(email)s. Open it to verify your address; you need "
                "that to send letters by e-mail from Parley.", email=user.email), "info")


@bp.get("/account")
@login_required
def account():
    from .tokens import account_page

    return account_page()


def _user_key() -> str:
    return f"verify-mail:{current_user.get_id()}"


@bp.post("/account/verify")
@login_required
@limiter.limit("3 per hour", key_func=_user_key)
def send_verification_link():
    if current_user.email_verified:
        flash(_("Your e-mail address is already verified."), "info")
    elif send_verification(current_user._get_current_object()):
        flash(_("We sent a link to %(email)s. Open it to verify your address.",
                email=current_user.email), "success")
    elif not _mail_configured():
        flash(_("E-mail is not set up on this Parley, so addresses cannot be verified."),
              "error")
    else:
        flash(_("The e-mail could not be sent. Please try again later."), "error")
    return redirect(url_for("auth.account"))


@bp.get("/verify/<token>")
def verify(token: str):
    try:
        accounts.verify_email(token, current_app.config)
    except accounts.AccountError as exc:
        if exc.message == "expired":
            flash(_("This link has expired. Ask for a new one on your account page."), "error")
        else:
            flash(_("This link is not valid. Ask for a new one on your account page."), "error")
        target = "auth.account" if current_user.is_authenticated else "auth.login"
        return redirect(url_for(target))
    flash(_("Thank you: your e-mail address is verified."), "success")
    # Redirect at once, so the token is not in the address bar or a Referer.
    return redirect(url_for("auth.account" if current_user.is_authenticated else "auth.login"))
