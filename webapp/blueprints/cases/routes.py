"""Cases: list, create, edit, budget items, debts, import and export. Views stay
thin: parse the form, call one service, flash, redirect."""

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from ... import page_cache
from ...domain.errors import ValidationError
from ...domain.model import ExpenseCategory
from ...i18n import default_country
from ...models.types import now_utc
from ...services import cases as svc
from ...services import spending
from ...services.access import get_case
from ...services.concurrency import Conflict
from ..reveal import wants_reveal
from . import bp, spending_words
from .forms import (
    CAR_FORM,
    CURRENCIES,
    CaseForm,
    ConfirmForm,
    DebtForm,
    ImportForm,
    ItemForm,
    ReasonForm,
)

DIRECTIONS = {"income", "expense"}


@bp.before_request
@login_required
def require_login():
    """Every page here needs a logged-in user."""


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = CaseForm()
    if request.method == "GET":
        today = now_utc().date()
        form.start_date.data = svc.default_start(today)
        form.jurisdiction.data, form.currency.data = default_country(
            request.accept_languages, CURRENCIES, today)
        form.show_currency(suggested=True)
    if form.validate_on_submit():
        case = svc.create_case(current_user, **form.values())
        flash(_("Case created. Now add your income."), "success")
        return redirect(url_for("cases.show", case_id=case.public_id))
    return render_template("cases/form.html", form=form, case=None)


def _show_page(case, status: int = 200, reason_form=None, reason_for: str | None = None,
               note_form=None, task_form=None, reveal: bool = False):
    """The case page; ``reason_form`` (with its errors) beside ``reason_for``'s flag;
    for a counselor, the notes and tasks (``note_form``/``task_form`` with errors);
    account and ID numbers masked unless ``reveal``."""
    from ...charts import PROGRESS_COLOURS, progress_bars
    from ...services import calendar, negotiations, workspace
    from ..caseload.forms import NoteForm, TaskForm

    # The case as the domain reads it, made once for the three (it was a sixth
    # of an uncached page, three times over).
    domain = svc.to_domain(case)
    board = negotiations.dashboard(case, domain=domain)
    bars = progress_bars(board.progress.rows, _("All agreements")) if board.progress else []
    return render_template(
        "cases/show.html", case=case, summary=svc.summary(case, domain), confirm=ConfirmForm(),
        board=board, agreement_bars=bars, colours=PROGRESS_COLOURS,
        calendar_link=calendar.active_link(case),
        spending=spending.advice(case, domain), reason_form=reason_form, reason_for=reason_for,
        words=spending_words, workspace=workspace.panel(case, current_user),
        note_form=note_form or NoteForm(prefix="note"),
        task_form=task_form or TaskForm(prefix="task"), reveal=reveal), status


@bp.get("/<case_id>")
def show(case_id: str):
    case = get_case(current_user, case_id)
    # The reveal is logged on every request (``wants_reveal``), cached page or not;
    # ``?reveal=1`` is part of the page's cache key.
    reveal = wants_reveal(case)
    return page_cache.page(case, lambda: _show_page(case, reveal=reveal))


@bp.post("/<case_id>/reasons/<category>")
def save_reason(case_id: str, category: str):
    """Keep (or, empty, remove) the reason for spending in ``category``."""
    case = get_case(current_user, case_id)
    if category not in {c.value for c in ExpenseCategory}:
        raise NotFound()
    form = ReasonForm()
    if not form.validate_on_submit():
        return _show_page(case, 422, form, category)
    try:
        spending.save_reason(case, category, form.reason.data or "")
    except ValidationError as exc:
        form.reason.errors = [exc.errors[0].message]
        return _show_page(case, 422, form, category)
    flash(_("Reason saved: it goes in your budget statement.") if (form.reason.data or "").strip()
          else _("Reason removed."), "success")
    return redirect(url_for("cases.show", case_id=case_id, _anchor="spending-check"), 303)


@bp.get("/<case_id>/export/sfs")
def export_sfs(case_id: str):
    """The budget in the Standard Financial Statement's JSON shape (GBP cases)."""
    case = get_case(current_user, case_id)
    if case.currency != "GBP":
        raise NotFound()
    body = spending.sfs_json(case)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="sfs-{case.public_id}.json"'})


# --- when another browser got there first ---------------------------------------------

#: What the user is told when the thing they were changing was deleted meanwhile.
GONE = {
    "case": _l("This case was deleted (in another window, or by someone else), so your "
               "changes could not be saved."),
    "item": _l("This entry was deleted (in another window, or by someone else), so your "
               "changes could not be saved."),
    "debt": _l("This debt was deleted (in another window, or by someone else), so your "
               "changes could not be saved."),
}


def _gone(what: str):
    return render_template("errors/error.html", error=NotFound(), gone=GONE[what]), 404


def _stale(template: str, form, row, values: dict, **context):
    """The form again, 409: what the user typed is kept, the fields saved
    differently since are named, and the form now carries the stored version,
    so saving again is the user's informed choice to overwrite."""
    changed = [form[name].label.text for name, value in values.items()
               if getattr(row, name) != value]
    form.version.data = row.version
    return render_template(template, form=form, conflict=changed, **context), 409


def _refused_delete(case):
    flash(_("It was changed (in another window, or by someone else) after you opened this "
            "page, so it was not deleted. Check it, then delete it again if you still want "
            "to."), "error")
    return _show_page(case, 409)


@bp.route("/<case_id>/edit", methods=["GET", "POST"])
def edit(case_id: str):
    case = get_case(current_user, case_id)
    form = CaseForm(obj=case)
    if request.method == "GET":
        form.show_currency(suggested=False)
        form.car.data = CAR_FORM[case.has_car]
    if form.validate_on_submit():
        values = form.values()
        try:
            svc.update_case(case, expected_version=form.expected_version(), **values)
        except Conflict as exc:
            if exc.deleted:
                return _gone("case")
            return _stale("cases/form.html", form, case, values, case=case)
        flash(_("Case saved."), "success")
        return redirect(url_for("cases.show", case_id=case_id))
    return render_template("cases/form.html", form=form, case=case)


def _full(form, template: str, **context):
    """The case has as many rows of this kind as a case may hold: say so above the
    form, keep what was typed, save nothing (422)."""
    from ...domain.limits import MAX_DEBTS, MAX_EXPENSE_ITEMS, MAX_INCOME_ITEMS

    if "debt" in context:
        message = _("A case can hold at most %(n)d debts. Nothing was saved.", n=MAX_DEBTS)
    elif context["direction"] == "income":
        message = _("A case can hold at most %(n)d income items. Nothing was saved.",
                    n=MAX_INCOME_ITEMS)
    else:
        message = _("A case can hold at most %(n)d expense items. Nothing was saved.",
                    n=MAX_EXPENSE_ITEMS)
    flash(message, "error")
    return render_template(template, form=form, **context), 422


def _item(case, item_id: int):
    item = next((i for i in case.items if i.id == item_id), None)
    if item is None:
        raise NotFound()
    return item


@bp.route("/<case_id>/<direction>/new", methods=["GET", "POST"])
def new_item(case_id: str, direction: str):
    case = get_case(current_user, case_id)
    if direction not in DIRECTIONS:
        raise NotFound()
    form = ItemForm()
    if form.validate_on_submit():
        try:
            svc.add_item(case, direction, form_token=form.token(), **form.values(direction))
        except ValidationError:
            return _full(form, "cases/item_form.html", case=case, direction=direction, item=None)
        except Conflict:
            return _gone("case")
        flash(_("Saved."), "success")
        if request.form.get("again"):
            return redirect(url_for("cases.new_item", case_id=case_id, direction=direction))
        return redirect(url_for("cases.show", case_id=case_id, _anchor=direction))
    return render_template("cases/item_form.html", form=form, case=case, direction=direction,
                           item=None)


@bp.route("/<case_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(case_id: str, item_id: int):
    case = get_case(current_user, case_id)
    item = _item(case, item_id)
    direction = item.direction
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        values = form.values(direction)
        try:
            svc.update_item(item, expected_version=form.expected_version(), **values)
        except Conflict as exc:
            if exc.deleted:
                return _gone("item")
            return _stale("cases/item_form.html", form, item, values, case=case,
                          direction=direction, item=item)
        flash(_("Saved."), "success")
        return redirect(url_for("cases.show", case_id=case_id, _anchor=direction))
    return render_template("cases/item_form.html", form=form, case=case,
                           direction=direction, item=item)


@bp.post("/<case_id>/items/<int:item_id>/delete")
def delete_item(case_id: str, item_id: int):
    case = get_case(current_user, case_id)
    item = _item(case, item_id)
    if ConfirmForm().validate_on_submit():
        try:
            svc.delete_item(item)
        except Conflict as exc:
            if exc.deleted:
                return _gone("item")
            return _refused_delete(case)
        flash(_("Deleted."), "info")
    return redirect(url_for("cases.show", case_id=case_id))


def _debt(case, debt_id: int):
    debt = next((d for d in case.debts if d.id == debt_id), None)
    if debt is None:
        raise NotFound()
    return debt


@bp.route("/<case_id>/debts/new", methods=["GET", "POST"])
def new_debt(case_id: str):
    case = get_case(current_user, case_id)
    form = DebtForm(jurisdiction=case.jurisdiction)
    if form.validate_on_submit():
        try:
            svc.add_debt(case, form_token=form.token(), **form.values())
        except ValidationError:
            return _full(form, "cases/debt_form.html", case=case, debt=None)
        except Conflict:
            return _gone("case")
        flash(_("Debt saved."), "success")
        if request.form.get("again"):
            return redirect(url_for("cases.new_debt", case_id=case_id))
        return redirect(url_for("cases.show", case_id=case_id, _anchor="debts"))
    return render_template("cases/debt_form.html", form=form, case=case, debt=None)


@bp.route("/<case_id>/debts/<int:debt_id>/edit", methods=["GET", "POST"])
def edit_debt(case_id: str, debt_id: int):
    case = get_case(current_user, case_id)
    debt = _debt(case, debt_id)
    form = DebtForm(obj=debt, jurisdiction=case.jurisdiction)
    if request.method == "GET":
        form.priority.data = {None: "auto", True: "yes", False: "no"}[debt.priority]
    if form.validate_on_submit():
        values = form.values()
        try:
            svc.update_debt(debt, expected_version=form.expected_version(), **values)
        except Conflict as exc:
            if exc.deleted:
                return _gone("debt")
            return _stale("cases/debt_form.html", form, debt, values, case=case, debt=debt)
        flash(_("Debt saved."), "success")
        return redirect(url_for("cases.show", case_id=case_id, _anchor="debts"))
    return render_template("cases/debt_form.html", form=form, case=case, debt=debt)


@bp.post("/<case_id>/debts/<int:debt_id>/delete")
def delete_debt(case_id: str, debt_id: int):
    case = get_case(current_user, case_id)
    debt = _debt(case, debt_id)
    if ConfirmForm().validate_on_submit():
        try:
            svc.delete_debt(debt)
        except ValidationError:
            flash(_("This debt has letters sent or replies recorded, so it is kept with its "
                    "history. Record what happened instead (for example a final payment)."),
                  "error")
            return redirect(url_for("cases.show", case_id=case_id), 303)
        except Conflict as exc:
            if exc.deleted:
                return _gone("debt")
            return _refused_delete(case)
        flash(_("Deleted."), "info")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.get("/<case_id>/export")
def export(case_id: str):
    case = get_case(current_user, case_id)
    body = json.dumps(svc.export_case(case), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="parley-case-{case.public_id}.json"'})


@bp.route("/import", methods=["GET", "POST"])
def import_case():
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        text = upload.read() if upload and upload.filename else (form.text.data or "")
        if not text:
            form.text.errors.append(_("Choose a file or paste the case file."))
        else:
            try:
                case = svc.import_case(current_user, text)
            except ValidationError as exc:
                problems = exc.errors
            else:
                flash(_("Case imported."), "success")
                return redirect(url_for("cases.show", case_id=case.public_id))
    status = 422 if problems else 200
    return render_template("cases/import.html", form=form, problems=problems), status


@bp.context_processor
def labels():
    """Human names for stored codes, in the page's language."""
    from ...domain.model import PRIORITY_KINDS
    from .forms import CATEGORIES, FREQUENCIES, HOLDER_NAMES, JURISDICTIONS, KIND_NAMES

    return {
        "labels": {
            "frequency": dict(FREQUENCIES),
            "category": dict(CATEGORIES),
            "kind": KIND_NAMES,
            "jurisdiction": dict(JURISDICTIONS),
            "holder": dict(HOLDER_NAMES),
        },
        "priority_kinds": {k.value for k in PRIORITY_KINDS},
    }
