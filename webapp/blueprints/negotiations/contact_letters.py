"""One click from the contact log's flagged lines to a letter (issue 9): the
contact restrictions, a complaint to the creditor, a complaint to the regulator."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import ValidationError
from ...letters.regulators import OMBUDSMAN_WEEKS
from ...services import contact_letters as svc
from ...services.access import get_case
from . import bp
from .contacts import fresh_form, page
from .forms import ContactLetterForm
from .letter_actions import debt_choices

_PREFIX = re.compile(r"letter\d{1,4}")


def _request(form: ContactLetterForm) -> svc.LetterRequest:
    return svc.LetterRequest(
        letter_type=form.letter_type.data, caller=form.caller.data or "",
        language=form.language.data, debt_ref=form.debt_ref.data or None,
        complained_on=form.complained_on.data, final_response_on=form.final_response_on.data,
        route=form.route.data or "", sender_name=form.sender_name.data,
        sender_address=form.sender_address.data, account_ref=form.account_ref.data or "",
        account_ref_unknown=bool(form.account_ref_unknown.data))


def _message(form: ContactLetterForm, path: str, message: str) -> tuple[str, str]:
    """The form field a service error belongs to, and what the page says."""
    if path == "extras.complained_on":
        day = form.complained_on.data
        if message == "is after today":
            return "complained_on", _("This date is after today.")
        if day is None:
            return "complained_on", _("Give the day you complained to them: the Financial "
                                      "Ombudsman Service takes a complaint only after the "
                                      "firm has had it.")
        ready = day + timedelta(weeks=OMBUDSMAN_WEEKS)
        return "complained_on", _("The Financial Ombudsman Service takes your complaint after "
                                  "their final response, or from %(date)s (8 weeks after you "
                                  "complained).", date=ready.isoformat())
    if path == "extras.final_response_on":
        return "final_response_on", (_("This date is after today.") if message == "is after today"
                                     else _("This is before the day you complained."))
    if path in ("borrower.name", "borrower.address"):
        return ("sender_name", _("Give your name: the letters are signed with it.")) \
            if path == "borrower.name" else \
            ("sender_address", _("Give your postal address: creditors reply to it."))
    if path.startswith(("debts[", "ref:")):
        return "account_ref", _("Give the account reference, or tick 'I don't have it'.")
    if path in ("debt_ref", "debt"):
        return "debt_ref", _("Choose the debt they are collecting.")
    if path in ("caller", "extras.caller", "contacts"):
        return "", _("No contact by them breaks a rule any more: there is nothing to write "
                     "about.")
    return ("route" if path == "extras.route" else ""), _("Choose one of the options.")


@bp.post("/<case_id>/contacts/letters")
def write_contact_letter(case_id: str):
    """Write the letter the pressed button names, as a draft; then show it."""
    case = get_case(current_user, case_id)
    prefix = request.form.get("form", "")
    form = ContactLetterForm(debt_choices(case),
                             prefix=prefix if _PREFIX.fullmatch(prefix) else "letter0")
    if form.validate_on_submit():
        try:
            letter_id = svc.write_letter(case, _request(form))
        except ValidationError as exc:
            for error in exc.errors:
                name, text = _message(form, error.path, error.message)
                if name:
                    form[name].errors = [*form[name].errors, text]
                else:
                    form.form_errors.append(text)
        else:
            flash(_("Your letter is written, with the table of contacts at the end. Read it, "
                    "change what is not right, then send it."), "success")
            return redirect(url_for("letters.show", case_id=case_id,
                                    letter_id=letter_id), 303)
    elif form.letter_type.errors or form.caller.errors:
        form.form_errors.append(_("Choose one of the letters."))
    return page(case, fresh_form(case), 422, letter_form=form)
