"""The collection-contact log: log a contact in a few taps, see the breaches."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import ValidationError
from ...i18n import page_language
from ...services import contact_evidence as evidence
from ...services import contact_log as svc
from ...services import evidence_jobs
from ...services.access import get_case
from ...services.contact_letters import letters_from_log
from ..uploads.limits import takes_upload
from . import bp
from .contact_words import sentence
from .forms import ContactForm
from .labels import CONTACT_CHANNELS, PARTIES, RULE_SOURCES, RULES
from .letter_actions import letter_forms

FORM_FIELDS = ("on", "at", "channel", "connected", "party", "debt_ref", "collector", "notes")
#: the domain's names for the form's fields
DOMAIN_FIELDS = {"debt_id": "debt_ref", "at": "at"}


def _form(case, **kwargs) -> ContactForm:
    return ContactForm([(d.ref, d.creditor) for d in case.debts], **kwargs)


def page(case, form, status=200, letter_form=None):
    """The log page; ``letter_form``: a letter form sent back with its errors."""
    lines, callers = svc.log_view(case)
    return render_template(
        "negotiations/contacts.html", case=case, form=form, lines=lines, callers=callers,
        files={u.id: u for u in case.uploads},
        channel_names=dict(CONTACT_CHANNELS), party_names=dict(PARTIES), rule_names=RULES,
        rule_sources=RULE_SOURCES, debts={d.ref: d.creditor for d in case.debts},
        summary_sentence=sentence, letter_forms=letter_forms(case, callers, letter_form),
        log_letters=letters_from_log(case)), status


def fresh_form(case) -> ContactForm:
    """The empty log form, at the borrower's local time now."""
    now = svc.local_now(case)
    return _form(case, formdata=None, data={"on": now.date(), "at": now.time()})


@bp.get("/<case_id>/contacts")
def contacts(case_id: str):
    case = get_case(current_user, case_id)
    return page(case, fresh_form(case))


def _values(form: ContactForm) -> dict:
    return {"channel": form.channel.data, "party": form.party.data,
            "connected": form.connected.data, "debt_ref": form.debt_ref.data or None,
            "collector": form.collector.data or "", "notes": form.notes.data or "",
            "attachment": form.attachment.accepted}


def _field_errors(form: ContactForm, exc: ValidationError) -> None:
    for error in exc.errors:
        name = DOMAIN_FIELDS.get(error.path, error.path)
        name = name if name in FORM_FIELDS else "notes"
        form[name].errors = [*form[name].errors, error.message]
    form.attachment.ask_again()


@bp.post("/<case_id>/contacts")
@takes_upload
def log_contact(case_id: str):
    case = get_case(current_user, case_id)
    form = _form(case)
    if form.validate_on_submit():
        try:
            svc.add_contact(case, form.on.data, form.at.data, **_values(form))
        except ValidationError as exc:
            _field_errors(form, exc)
        else:
            flash(_("Logged. Keep going right after each contact: the pattern is the evidence."),
                  "success")
            return redirect(url_for("negotiations.contacts", case_id=case_id), 303)
    return page(case, form, 422)


@bp.route("/<case_id>/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@takes_upload
def edit_contact(case_id: str, contact_id: int):
    """Correct a contact: the version it replaces stays in the log, shown as edited."""
    case = get_case(current_user, case_id)
    row = svc.get_contact(case, contact_id)
    at = svc.stored_local(row)
    form = _form(case, data={"on": at.date(), "at": at.time(), "channel": row.channel,
                             "connected": row.connected, "party": row.party,
                             "debt_ref": row.debt_ref or "", "collector": row.collector,
                             "notes": row.notes})
    if form.validate_on_submit():
        try:
            changed = svc.edit_contact(row, form.on.data, form.at.data, **_values(form))
        except ValidationError as exc:
            _field_errors(form, exc)
        else:
            flash(_("Corrected. The log still shows what you first wrote.") if changed
                  else _("Nothing changed."), "success")
            return redirect(url_for("negotiations.contacts", case_id=case_id,
                                    _anchor="contact-log"), 303)
    status = 422 if form.errors else 200
    return render_template("negotiations/contact_edit.html", case=case, row=row, form=form,
                           upload=svc.current_upload(row)), status


@bp.get("/<case_id>/contacts/evidence.<any(pdf, csv, json):fmt>")
def contact_evidence(case_id: str, fmt: str):
    """The log as evidence: a PDF table, or the raw log as CSV or JSON (attachments)."""
    case = get_case(current_user, case_id)
    raw = evidence.evidence_json(case)
    if fmt == "json":
        data, mimetype = raw, "application/json"
    elif fmt == "csv":
        data, mimetype = evidence.evidence_csv(case), "text/csv"
    else:
        # Printed by a job (webapp/jobs/evidence_pdf.py); asking again is safe:
        # the same log finds its job, and its PDF once printed.
        key = evidence_jobs.evidence_key(case, raw, page_language())
        job = evidence_jobs.pdf_job(case, key)
        if job is None or job.status != "done":
            html = render_template(
                "negotiations/contact_evidence_pdf.html", case=case,
                rows=evidence.pdf_rows(case), rules=evidence.evidence(case)["rules"],
                exported=evidence.export_time(case), files=evidence.uploads_of(case),
                digest=evidence.sha256(raw), channel_names=dict(CONTACT_CHANNELS),
                party_names=dict(PARTIES), rule_names=RULES)
            job = evidence_jobs.request_pdf(case, key, html)
        if job.status != "done":
            return render_template("negotiations/evidence_wait.html", case=case, job=job), (
                503 if job.status == "failed" else 202)
        data, mimetype = job.result or b"", "application/pdf"
    name = f"parley-contacts-{case.public_id}.{fmt}"
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff"})
