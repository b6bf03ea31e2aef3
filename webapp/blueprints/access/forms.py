from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import Email, InputRequired, Length

from ...forms import BaseForm


class InviteForm(BaseForm):
    email = EmailField(_l("The counselor's e-mail address"),
                       validators=[InputRequired(), Email(), Length(max=254)],
                       description=_l("They must have a counselor account on Parley."))


class CodeForm(BaseForm):
    code = StringField(_l("Access code"), validators=[InputRequired(), Length(max=40)],
                       description=_l("The code your client's screen shows, such as "
                                      "ABCD-EFGH-JKMN."))


class HandoverForm(BaseForm):
    keep_counselor = BooleanField(_l("I agree that my counselor keeps access to this case"),
                                  default=False)


class ButtonForm(BaseForm):
    """Just the CSRF token, for one-button forms."""
