from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from ... import password_policy
from ...forms import BaseForm, options
from ...services.accounts import MIN_PASSWORD

PASSWORD_LENGTH = _l("Use at least %(min)d characters (at most %(max)d).")
PASSWORD_HINT = _l("At least %(n)s characters. A few unrelated words are easy to remember "
                   "and hard to guess.", n=MIN_PASSWORD)

#: what the password policy's verdicts say beside the field
POLICY_MESSAGES = {
    password_policy.COMMON: _l("This password is on a list of common or leaked passwords. "
                               "Choose another."),
    password_policy.REPEATED: _l("This password is one character or a short pattern repeated. "
                                 "Choose another."),
    password_policy.SEQUENCE: _l("This password is a simple sequence (like 1234567890 or "
                                 "qwertyuiop). Choose another."),
    password_policy.EMAIL: _l("Do not use your e-mail address or its name part as the password."),
}


def check_policy(password: str | None, email: str | None) -> None:
    """Raise the field's error if the password breaks the policy (see password_policy)."""
    verdict = password_policy.problem(password or "", email)
    if verdict:
        raise ValidationError(POLICY_MESSAGES[verdict])


class RegisterForm(BaseForm):
    display_name = StringField(_l("Your name (optional)"), validators=[Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=200, message=PASSWORD_LENGTH)],
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    role = RadioField(
        _l("I am"),
        choices=options([("borrower", _l("working on my own debts")),
                         ("counselor", _l("a debt counselor helping clients"))]),
        default="borrower",
        validators=[InputRequired()],
    )

    def validate_password(self, field):
        check_policy(field.data, self.email.data)


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])


class PasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[InputRequired(), Length(max=200)])
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=200, message=PASSWORD_LENGTH)],
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )

    def validate_new_password(self, field):
        check_policy(field.data, current_user.email)


class TokenForm(BaseForm):
    name = StringField(_l("Name (what the token is for)"), validators=[Length(max=80)],
                       description=_l("For example: the office spreadsheet."))


class EraseAccountForm(BaseForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=200)])


class ForgotForm(BaseForm):
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Email(), Length(max=254)])


class ResetForm(BaseForm):
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=200, message=PASSWORD_LENGTH)],
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )
    #: the address of the account whose password is set (the view fills it in)
    account_email: str | None = None

    def validate_new_password(self, field):
        check_policy(field.data, self.account_email)


CODE_HINT = _l("The six digits your authenticator app shows for Parley, or one of your "
               "recovery codes.")


class CodeForm(BaseForm):
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=40)],
                       description=CODE_HINT)


class EnrolForm(BaseForm):
    code = StringField(_l("Code from the app"), validators=[InputRequired(), Length(max=40)],
                       description=_l("Six digits; a new code appears every 30 seconds."))


class DisableTwoFactorForm(BaseForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=200)])
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=40)],
                       description=CODE_HINT)
