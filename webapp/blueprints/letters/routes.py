"""Letters: generate a proposal's set, preview, edit, download, send or mark sent.

Views stay thin: parse the form, call one service, flash, redirect. A sent
letter is frozen; any attempt to change it answers 409. So does a request that
lost a race to another (two browsers, a double click): it is told what happened,
and a letter replaced meanwhile answers 404.
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from ... import page_cache
from ...domain.errors import ValidationError
from ...i18n import page_language
from ...models.types import now_utc
from ...services import bundles, mail_queue
from ...services import letter_delivery as delivery
from ...services import letter_sender as sender_svc
from ...services import letters as svc
from ...services.access import get_case
from ...services.concurrency import Conflict
from ...services.proposals import get_proposal, is_current, is_stale, snapshot_case, versions
from . import bp
from .forms import CHANNEL_NAMES, EditForm, GenerateForm, MarkSentForm, PrepareZipForm

#: The preview is a document of its own, framed by the letter page: it may
#: carry the letter's inline <style> but nothing else, and only Parley may frame it.
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


@bp.before_request
@login_required
def require_login():
    """Every page here needs a logged-in user."""


def _only_debt(proposal, ref: str | None):
    """The proposal's debt a letter is written to alone (``?debt=``), or None."""
    return next((d for d in snapshot_case(proposal).debts if ref and d.id == ref), None)


def _generate_form(proposal, only=None, **kwargs) -> GenerateForm:
    types = svc.letter_types(proposal.case.jurisdiction, proposal.strategy,
                             snapshot_case(proposal), single=only is not None)
    lang = page_language()
    form = GenerateForm([(t.key, t.title.get(lang, t.title["en"])) for t in types], **kwargs)
    return form


#: The letter's extra fields come from two form fields: free text and a date.
_FORM_FIELD = {
    "extras.circumstances": "circumstances", "extras.reason": "circumstances",
    "extras.dispute": "circumstances", "extras.offer_by": "letter_date",
    "extras.deadline": "letter_date", "extras.refused_on": "letter_date",
    "extras.sent_on": "letter_date", "extras.call_date": "letter_date",
    "extras.documents": "circumstances", "debt": "letter_type",
    "extras.proofs": "proofs", "extras.waive_charges": "waive_charges",
    "extras.below_floor": "insist_below_floor",
    "borrower.name": "sender_name", "borrower.address": "sender_address",
}
#: What a missing sender detail is called on the page.
_SENDER_MESSAGES = {
    "sender_name": _l("Give your name: the letters are signed with it."),
    "sender_address": _l("Give your postal address: creditors reply to it."),
}


def _show_errors(form, exc: ValidationError, sender=None) -> None:
    """Put a service's field errors beside the form's fields (or above the form)."""
    missing_refs = False
    for error in exc.errors:
        if error.path.startswith("debts[") and error.path.endswith("].account_ref") \
                or error.path.startswith("ref:"):
            missing_refs = True
            continue
        name = _FORM_FIELD.get(error.path, error.path)
        field = form._fields.get(name)
        message = _SENDER_MESSAGES.get(name, error.message)
        if error.path in ("acknowledge_surplus", "extras.below_floor"):
            message = _("Tick this box to write the settlement letters anyway.")
        if error.path == svc.CONFIRM_OLD_VERSION:
            message = _("This draft is from an older version of your proposal. Tick this "
                        "box if you sent it anyway.")
        (field.errors if field is not None else form.form_errors).append(message)
    if missing_refs:
        form.form_errors.append(_("For each creditor, give the account reference, or tick "
                                  "'I don't have it'."))


def _sender_details(status: sender_svc.SenderStatus) -> sender_svc.SenderDetails:
    """The short sender form's values: name, address, ID and one reference per debt."""
    refs, unknown = {}, set()
    for i, (ref, _creditor, _account) in enumerate(status.debts):
        refs[ref] = request.form.get(f"account_ref-{i}", "")[:200]
        if request.form.get(f"account_ref_unknown-{i}"):
            unknown.add(ref)
    return sender_svc.SenderDetails(
        name=request.form.get("sender_name"), address=request.form.get("sender_address"),
        id_number=request.form.get("sender_id_number"), refs=refs, unknown=frozenset(unknown))


def _letters_page(case, proposal, form, status=200, only=None):
    from ...services import playbook

    job = bundles.zip_job(proposal)
    # A counselor preparing the proposal sees what these creditors did with
    # offers in their other cases (totals only: ``services.playbook``).
    history = playbook.for_case(current_user, case)
    if only is not None:
        history = {ref: p for ref, p in history.items() if ref == only.id}
    return render_template(
        "letters_ui/for_proposal.html", case=case, proposal=proposal, form=form, only=only,
        sender=sender_svc.sender_status(proposal), rows=svc.rows_for_proposal(proposal),
        stale=is_stale(proposal), zip_job=job,
        zip_lost=job is not None and bundles.is_stale(job), zip_form=PrepareZipForm(),
        surplus_months=svc.surplus_months(proposal), versions=versions(case),
        current=is_current(proposal), below_floor=svc.below_floor(proposal),
        playbook=history), status


@bp.get("/<case_id>/proposals/<proposal_id>/letters")
def for_proposal(case_id: str, proposal_id: str):
    case = get_case(current_user, case_id)
    proposal = get_proposal(case, proposal_id)
    # ?debt=<ref>&type=<letter>: the next letter of one creditor's negotiation
    only = _only_debt(proposal, request.args.get("debt"))
    data = svc.generate_defaults(proposal, page_language())
    form = _generate_form(proposal, only, data=data)
    wanted = request.args.get("type")
    if wanted in {choice.value for choice in form.letter_type.choices}:
        form.letter_type.data = wanted
    if only is not None:
        form.debt.data = only.id
    return _letters_page(case, proposal, form, only=only)


@bp.post("/<case_id>/proposals/<proposal_id>/letters")
def generate(case_id: str, proposal_id: str):
    case = get_case(current_user, case_id)
    proposal = get_proposal(case, proposal_id)
    only = _only_debt(proposal, request.form.get("debt"))
    form = _generate_form(proposal, only)
    if form.validate_on_submit():
        try:
            extras = svc.letter_extras(form.letter_type.data, form.circumstances.data or "",
                                       form.letter_date.data, form.proofs.data or (),
                                       bool(form.waive_charges.data),
                                       bool(form.insist_below_floor.data))
            letters = svc.generate_for_proposal(
                proposal, form.letter_type.data, form.language.data, extras,
                _sender_details(sender_svc.sender_status(proposal)),
                acknowledge_surplus=bool(form.acknowledge_surplus.data),
                debt_ref=only.id if only is not None else None)
        except ValidationError as exc:
            _show_errors(form, exc)
        except Conflict:
            flash(_("These letters were being written at the same moment in another window "
                    "(or by a second click), so they were written once. Here they are."),
                  "error")
            return _letters_page(case, proposal, _generate_form(proposal), 409)
        else:
            flash(ngettext("%(num)d letter written. Check it before you send it.",
                           "%(num)d letters written. Check each one before you send it.",
                           len(letters)), "success")
            return redirect(url_for("letters.for_proposal", case_id=case_id,
                                    proposal_id=proposal_id, _anchor="letters"))
    return _letters_page(case, proposal, form, 422, only=only)


def _letter(case_id: str, letter_id: str):
    case = get_case(current_user, case_id)
    return case, svc.get_letter(case, letter_id)


def _show_page(case, letter, mark_form=None, status=200, email_problem=False,
               confirm_refused=False):
    if email_problem is False:
        email_problem = delivery.email_problem(letter, current_app.config, current_user)
    earliest, latest = svc.sent_on_bounds(letter)
    if mark_form is None:
        today = min(latest, max(earliest, now_utc().date()))
        mark_form = MarkSentForm(earliest, latest, formdata=None, data={"sent_on": today})
    return render_template(
        "letters_ui/show.html", case=case, letter=letter, row=svc.describe(letter),
        mark_form=mark_form, channel_names=CHANNEL_NAMES,
        email_problem=email_problem,
        mail=mail_queue.resolve_lost(letter), mail_per_day=current_app.config.get("MAIL_PER_DAY"),
        old=svc.old_version(letter), confirm_refused=confirm_refused), status


@bp.get("/<case_id>/letters/<letter_id>")
def show(case_id: str, letter_id: str):
    case, letter = _letter(case_id, letter_id)
    # Whether it can be e-mailed depends, beyond the letter, the case and the
    # account (in the key already), on the account's mail of the last 24 hours,
    # in any case: asked every time, and part of the page's key.
    user = current_user._get_current_object()
    reached = delivery.limit_reached(current_app.config, user.email_verified,
                                     lambda: delivery.sent_today(user))
    # A letter being e-mailed says so until the claim ends, by time alone: not cached.
    return page_cache.page(case, lambda: _show_page(case, letter),
                           cacheable=letter.sending_since is None, extra=(reached,))


@bp.get("/<case_id>/letters/<letter_id>/preview")
def preview(case_id: str, letter_id: str):
    _case, letter = _letter(case_id, letter_id)
    # The identity number is printed in full only in the files that are sent.
    response = Response(sender_svc.masked_html(letter), mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _frozen(case, letter):
    flash(_("This letter has been sent, so it cannot be changed. Write a new letter to "
            "follow it up."), "error")
    return _show_page(case, letter, status=409)


def _busy(case, letter):
    flash(_("This letter is being sent by e-mail right now. Wait a moment, then reload the "
            "page."), "error")
    return _show_page(case, letter, status=409)


def _lost(case, letter, exc: Conflict):
    """Another request changed the letter between this one reading and saving it."""
    if exc.deleted:
        return render_template("errors/error.html", error=NotFound(), gone=_(
            "This draft was replaced when the letters were written again. Open the new one "
            "from the list of letters.")), 404
    if letter.is_sent:
        return _frozen(case, letter)
    flash(_("This letter was changed while you were looking at it (in another window, or "
            "by a second click), so nothing was done. Check it, then try again."), "error")
    return _show_page(case, letter, status=409)


@bp.route("/<case_id>/letters/<letter_id>/edit", methods=["GET", "POST"])
def edit(case_id: str, letter_id: str):
    case, letter = _letter(case_id, letter_id)
    if letter.is_sent:
        return _frozen(case, letter)
    if letter.is_statement:
        raise NotFound()  # the statement is the proposal's figures: not edited by hand
    try:
        text = svc.editable_text(letter)
    except ValidationError:
        # The case lost its sender (or an account line) since the draft was
        # written: the letters page asks for it again.
        flash(_("Your name, address and account references are needed before a letter can "
                "be changed."), "error")
        if letter.proposal is None:  # written from the contact log
            return redirect(url_for("negotiations.contacts", case_id=case_id,
                                    _anchor="breaches"))
        return redirect(url_for("letters.for_proposal", case_id=case_id,
                                proposal_id=letter.proposal.public_id, _anchor="sender"))
    form = EditForm(data={"body_text": text, "version": letter.version})
    if form.validate_on_submit():
        try:
            svc.update_draft(letter, form.body_text.data,
                             expected_version=form.expected_version())
        except ValidationError as exc:
            _show_errors(form, exc)
        except svc.LetterBusy:
            return _busy(case, letter)
        except Conflict as exc:
            if exc.deleted or letter.is_sent:
                return _lost(case, letter, exc)
            # Still a draft: keep what the user typed, beside the message.
            form.form_errors.append(_(
                "This letter was changed while you were editing it (in another window, or "
                "by someone else), so your text is not saved yet. It is still below: save "
                "again to replace the letter's text with it."))
            form.version.data = letter.version
            return render_template("letters_ui/edit.html", case=case, letter=letter,
                                   row=svc.describe(letter), form=form), 409
        else:
            flash(_("Your text is saved in the letter."), "success")
            return redirect(url_for("letters.show", case_id=case_id, letter_id=letter_id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("letters_ui/edit.html", case=case, letter=letter,
                           row=svc.describe(letter), form=form), status


@bp.get("/<case_id>/letters/<letter_id>.<any(pdf, docx, html):fmt>")
def download(case_id: str, letter_id: str, fmt: str):
    _case, letter = _letter(case_id, letter_id)
    name, mimetype, data = delivery.letter_file(letter, fmt)
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": name.content_disposition()})


def _to_zip(case_id: str, proposal_id: str):
    return redirect(url_for("letters.for_proposal", case_id=case_id, proposal_id=proposal_id,
                            _anchor="zip"))


@bp.post("/<case_id>/proposals/<proposal_id>/letters.zip")
def prepare_bundle(case_id: str, proposal_id: str):
    """Ask for the ZIP of all letters: made in the background (webapp/jobs), the
    letters page says how it stands and offers the download when it is ready."""
    case = get_case(current_user, case_id)
    proposal = get_proposal(case, proposal_id)
    if not PrepareZipForm().validate_on_submit():
        return _to_zip(case_id, proposal_id)
    try:
        job = bundles.request_zip(proposal)
    except ValidationError:
        flash(_("Write the letters first."), "error")
        return _letters_page(case, proposal, _generate_form(proposal), 409)
    if job.status == "done":
        flash(_("Your ZIP is ready."), "success")
    elif job.status == "failed":
        flash(_("The ZIP could not be prepared. Try again."), "error")
    else:
        flash(_("Preparing your ZIP. For many letters this takes a minute."), "info")
    return _to_zip(case_id, proposal_id)


@bp.get("/<case_id>/proposals/<proposal_id>/letters.zip")
def bundle(case_id: str, proposal_id: str):
    """The ZIP prepared by :func:`prepare_bundle`, for the letters as they are now."""
    case = get_case(current_user, case_id)
    proposal = get_proposal(case, proposal_id)
    if not proposal.letters:
        flash(_("Write the letters first."), "error")
        return _letters_page(case, proposal, _generate_form(proposal), 409)
    job = bundles.zip_job(proposal)
    if job is None or job.status != "done":
        flash(_("Prepare the ZIP first: the button is below your letters."), "info")
        return _to_zip(case_id, proposal_id)
    name, data = bundles.zip_file(job)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/<case_id>/letters/<letter_id>/send")
def send(case_id: str, letter_id: str):
    """Queue the letter's e-mail (webapp/services/mail_queue.py); the letter page
    says how it stands. Inline (no queue) it has gone, or failed, by the answer."""
    case, letter = _letter(case_id, letter_id)
    if letter.is_sent:
        return _frozen(case, letter)
    try:
        mail, _job = mail_queue.send_letter(letter, current_app.config,
                                            current_user._get_current_object(),
                                            again=bool(request.form.get("again")),
                                            confirm_old_version=bool(request.form.get(
                                                svc.CONFIRM_OLD_VERSION)))
    except svc.LetterBusy:
        return _busy(case, letter)
    except svc.LetterFrozen:
        return _frozen(case, letter)
    except Conflict as exc:
        return _lost(case, letter, exc)
    except mail_queue.MailUncertain:
        flash(_("An earlier e-mail of this letter may have gone out. Look for the copy in "
                "your inbox first; the page says what to do."), "error")
        return _show_page(case, letter, status=409)
    except ValidationError as exc:
        if any(e.path == svc.CONFIRM_OLD_VERSION for e in exc.errors):
            flash(_("This draft is from an older version of your proposal, so it was not "
                    "sent. Write the letter again from the current version, or confirm that "
                    "you want to send this one."), "error")
            return _show_page(case, letter, status=409, confirm_refused=True)
        # 429 for the daily limit, 409 for everything else; the page says why.
        limited = any(e.message == "limit" for e in exc.errors)
        flash(_("This letter cannot be sent by e-mail from Parley now. The page says why; "
                "you can always send it another way and mark it as sent."), "error")
        return _show_page(case, letter, status=429 if limited else 409)
    if mail.outcome == "failed":
        flash(_("The e-mail could not be sent, so the letter is still a draft. Try again "
                "later, or send it another way and mark it as sent."), "error")
        # 503: the mail server failed, not the user; the page explains what to do.
        page, status = _show_page(case, letter, status=503)
        return page, status, {"Retry-After": "300"}
    if mail.outcome == "sent":
        flash(_("Sent by e-mail. The letter is now final."), "success")
        return redirect(url_for("letters.show", case_id=case_id, letter_id=letter_id))
    flash(_("Sending by e-mail. This page shows when it has gone."), "info")
    return redirect(url_for("letters.show", case_id=case_id, letter_id=letter_id,
                            _anchor="send"))


@bp.post("/<case_id>/letters/<letter_id>/mark-sent")
def mark_sent(case_id: str, letter_id: str):
    case, letter = _letter(case_id, letter_id)
    if letter.is_sent:
        return _frozen(case, letter)
    form = MarkSentForm(*svc.sent_on_bounds(letter))
    if form.validate_on_submit():
        try:
            svc.mark_sent(letter, form.channel.data, form.sent_on.data,
                          confirm_old_version=bool(form.confirm_old_version.data))
        except ValidationError as exc:
            _show_errors(form, exc)
        except svc.LetterBusy:
            return _busy(case, letter)
        except Conflict as exc:
            return _lost(case, letter, exc)
        else:
            flash(_("Marked as sent. The letter is now final."), "success")
            return redirect(url_for("letters.show", case_id=case_id, letter_id=letter_id))
    return _show_page(case, letter, form, 422)


@bp.context_processor
def labels():
    """Human names of the strategies, in the page's language."""
    from ..plans.labels import STRATEGY_TEXT

    return {"strategy_names": {key: text[0] for key, text in STRATEGY_TEXT.items()}}
