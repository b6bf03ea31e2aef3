from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from ...forms import BaseForm, options
from ...services.accounts import MIN_PASSWORD

PASSWORD_LENGTH = _l("Use at least %(min)d characters (at most %(max)d).")


class RegisterForm(BaseForm):
    display_name = StringField(_l("Your name (optional)"), validators=[Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=200, message=PASSWORD_LENGTH)],
        description=_l("At least %(n)s characters.", n=MIN_PASSWORD),
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


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])


class PasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[InputRequired(), Length(max=200)])
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=200, message=PASSWORD_LENGTH)],
        description=_l("At least %(n)s characters.", n=MIN_PASSWORD),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )
