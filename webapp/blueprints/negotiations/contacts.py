"""The collection-contact log: log a contact in a few taps, see the breaches."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import ValidationError
from ...services import contact_log as svc
from ...services.access import get_case
from . import bp
from .forms import ContactForm
from .labels import CONTACT_CHANNELS, PARTIES, RULES

FORM_FIELDS = ("on", "at", "channel", "connected", "party", "debt_ref", "collector", "notes")
#: the domain's names for the form's fields
DOMAIN_FIELDS = {"debt_id": "debt_ref", "at": "at"}


def _form(case, **kwargs) -> ContactForm:
    return ContactForm([(d.ref, d.creditor) for d in case.debts], **kwargs)


def _page(case, form, status=200):
    lines, callers = svc.log_view(case)
    return render_template(
        "negotiations/contacts.html", case=case, form=form, lines=lines, callers=callers,
        channel_names=dict(CONTACT_CHANNELS), party_names=dict(PARTIES), rule_names=RULES,
        rule_source=svc.rule_source, debts={d.ref: d.creditor for d in case.debts}), status


@bp.get("/<case_id>/contacts")
def contacts(case_id: str):
    case = get_case(current_user, case_id)
    now = svc.local_now(case)
    form = _form(case, formdata=None, data={"on": now.date(), "at": now.time()})
    return _page(case, form)


@bp.post("/<case_id>/contacts")
def log_contact(case_id: str):
    case = get_case(current_user, case_id)
    form = _form(case)
    if form.validate_on_submit():
        try:
            svc.add_contact(case, form.on.data, form.at.data, channel=form.channel.data,
                            party=form.party.data, connected=form.connected.data,
                            debt_ref=form.debt_ref.data or None,
                            collector=form.collector.data or "", notes=form.notes.data or "")
        except ValidationError as exc:
            for error in exc.errors:
                name = DOMAIN_FIELDS.get(error.path, error.path)
                name = name if name in FORM_FIELDS else "notes"
                form[name].errors = [*form[name].errors, error.message]
        else:
            flash(_("Logged. Keep going right after each contact: the pattern is the evidence."),
                  "success")
            return redirect(url_for("negotiations.contacts", case_id=case_id), 303)
    return _page(case, form, 422)
