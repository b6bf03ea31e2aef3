"""A creditor's page: where the negotiation stands, its history, and recording
what happened. Views stay thin: parse the form, call one service, flash, redirect."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...domain.errors import ValidationError
from ...i18n import page_language
from ...services import negotiations as svc
from ...services import next_letters, uploads
from ...services.access import get_case
from ..reveal import wants_reveal
from ..uploads.limits import takes_upload
from . import bp
from .errors import error_text
from .forms import AcceptForm, CounterForm, CounterLetterForm, EventForm
from .labels import ACTION, EVENT, STATUS

#: The event fields a service error may name, and the form field that shows it.
FORM_FIELDS = ("type", "on", "monthly", "first_payment", "total", "amount", "channel", "notes")


@bp.before_request
@login_required
def require_login():
    """Every page here needs a logged-in user."""


@bp.app_context_processor
def labels():
    return {"negotiation_labels": {"status": STATUS, "action": ACTION, "event": EVENT}}


def _page(case, debt, form, status=200, accept_form=None, counter_form=None, reveal=False):
    today = svc.today_for(case)
    day = svc.status_day(case)  # today, or the last event of a record dated ahead
    state = svc.creditor_status(case, debt.ref, day)
    events = svc.events_for(case, debt.ref)
    counter = None
    if counter_form is not None and counter_form.counter.value is not None:
        counter = next_letters.counter_replan_rows(case, debt.ref, counter_form.counter.value,
                                                   day)
    return render_template(
        "negotiations/creditor.html", case=case, debt=debt, form=form, state=state,
        replan=svc.replan_rows(case, state), events=events, today=today,
        files=uploads.by_event(case),
        progress=svc.creditor_progress(case, state, day),
        letters_proposal=next_letters.proposal_for(case),
        next_letter=next_letters.next_letter(case, debt.ref, state),
        their_figure=next_letters.their_figure(case, debt.ref),
        accept_form=accept_form or AcceptForm(formdata=None, data={"first_payment": today},
                                              prefix=AcceptForm.PREFIX),
        counter_form=counter_form or CounterForm(formdata=None), counter=counter,
        reveal=reveal), status


def _flash_version(recorded: svc.Recorded) -> None:
    if recorded.version is not None:
        flash(_("Your proposal is now version %(num)d: this creditor's figure is in it and "
                "the others' shares follow the re-plan. Letters from now on use it.",
                num=recorded.version.version), "info")


def _form(case, debt, allowed=None, **kwargs) -> EventForm:
    if allowed is None:
        allowed = svc.allowed_events(case, debt.ref)
    return EventForm([e.value for e in allowed], **kwargs)


@bp.get("/<case_id>/creditors/<ref>")
def show(case_id: str, ref: str):
    case = get_case(current_user, case_id)
    debt = svc.get_debt(case, ref)
    allowed = svc.allowed_events(case, ref)
    default = next((e.value for e in allowed if e.value != "sent"), allowed[0].value
                   if allowed else None)
    form = _form(case, debt, allowed, formdata=None,
                 data={"on": svc.today_for(case), "type": default})
    # "Counter with another figure": the re-plan for the amount asked (a GET form)
    counter_form = CounterForm(request.args) if "counter" in request.args else None
    if counter_form is not None and not counter_form.validate():
        return _page(case, debt, form, 422, counter_form=counter_form)
    return _page(case, debt, form, counter_form=counter_form, reveal=wants_reveal(case))


@bp.post("/<case_id>/creditors/<ref>")
@takes_upload
def record(case_id: str, ref: str):
    case = get_case(current_user, case_id)
    debt = svc.get_debt(case, ref)
    form = _form(case, debt)
    if form.validate_on_submit():
        try:
            recorded = svc.record_event(case, ref, form.type.data, form.on.data,
                                        attachment=form.attachment.accepted, **form.values())
        except ValidationError as exc:
            for error in exc.errors:
                name = error.path if error.path in FORM_FIELDS else "type"
                form[name].errors = [*form[name].errors, error_text(error)]
            form.attachment.ask_again()
        else:
            flash(_("Recorded."), "success")
            _flash_version(recorded)
            return redirect(url_for("negotiations.show", case_id=case_id, ref=ref), 303)
    return _page(case, debt, form, 422)


@bp.post("/<case_id>/creditors/<ref>/accept")
def accept(case_id: str, ref: str):
    """Accept their figure: one POST records the agreement at their monthly amount."""
    case = get_case(current_user, case_id)
    debt = svc.get_debt(case, ref)
    accept_form = AcceptForm(prefix=AcceptForm.PREFIX)
    if accept_form.validate_on_submit():
        try:
            recorded = next_letters.accept_counter_offer(case, ref,
                                                         accept_form.first_payment.data)
        except ValidationError as exc:
            accept_form.first_payment.errors = [*accept_form.first_payment.errors,
                                                *(error_text(e) for e in exc.errors)]
        else:
            flash(_("Their figure is accepted: the agreement is recorded."), "success")
            _flash_version(recorded)
            return redirect(url_for("negotiations.show", case_id=case_id, ref=ref), 303)
    form = _form(case, debt, formdata=None, data={"on": svc.today_for(case)})
    return _page(case, debt, form, 422, accept_form=accept_form)


#: A service error about the sender's details: the letters page asks for them.
SENDER_PATHS = ("borrower.", "debts[", "ref:")
#: Refusals that are not about the figure typed.
NOT_THE_FIGURE = ("no_counter_offer", "no_proposal")


@bp.post("/<case_id>/creditors/<ref>/counter-letter")
def counter_letter(case_id: str, ref: str):
    """Counter with another figure: write the letter that carries it and the re-plan."""
    case = get_case(current_user, case_id)
    debt = svc.get_debt(case, ref)
    letter_form = CounterLetterForm()
    counter_form = CounterForm(request.form)
    counter_form.validate()
    if letter_form.validate_on_submit():
        try:
            letter = next_letters.write_counter_letter(case, ref, letter_form.counter.value,
                                                       page_language())
        except ValidationError as exc:
            for e in exc.errors:
                if e.path.startswith(SENDER_PATHS):
                    flash(_("Your name, address and this creditor's account reference are "
                            "needed for the letter: give them on the letters page, then "
                            "write it again."), "error")
                elif e.code in NOT_THE_FIGURE:  # the page may not show the figure's field
                    flash(error_text(e, case.currency), "error")
                else:
                    counter_form.counter.errors = [*counter_form.counter.errors,
                                                   error_text(e, case.currency)]
        else:
            flash(_("Your letter is written with your figure. Read it, then send it."),
                  "success")
            return redirect(url_for("letters.show", case_id=case_id,
                                    letter_id=letter.public_id), 303)
    else:
        counter_form.counter.errors = [*counter_form.counter.errors, *(
            m for errors in letter_form.errors.values() for m in errors
            if m not in counter_form.counter.errors)]
    form = _form(case, debt, formdata=None, data={"on": svc.today_for(case)})
    return _page(case, debt, form, 422, counter_form=counter_form)
