"""Erasing a case for good, after the owner types a word to confirm it.

Only the owner can erase (a counselor with a grant gets 403). Erased means
gone from the database, with its letters, record, audit log and uploads
(``services.erasure``): there is no undo, hence the typed word.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from ...forms import BaseForm
from ...services import erasure
from ...services.access import get_case
from . import bp

#: The word to type; the English one works on a page in any language.
WORD = _l("erase")


class EraseForm(BaseForm):
    word = StringField(_l("Type the word shown above to confirm"),
                       validators=[InputRequired(), Length(max=40)])

    def validate_word(self, field):
        typed = (field.data or "").strip().casefold()
        if typed not in {str(WORD).casefold(), "erase"}:
            raise ValidationError(_l("Type “%(word)s” exactly to erase the case.", word=WORD))


@bp.route("/<case_id>/delete", methods=["GET", "POST"])
def delete(case_id: str):
    case = get_case(current_user, case_id, owner_only=True, record=False)
    form = EraseForm()
    if form.validate_on_submit():
        erasure.erase_case(case)
        flash(_("The case is erased. Nothing of it is left on Parley."), "info")
        return redirect(url_for("main.index"))
    status = 422 if form.errors else 200
    return render_template("cases/erase.html", case=case, form=form, word=WORD), status
