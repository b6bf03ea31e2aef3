"""The caseload and the playbook (counselors only), and counselors' notes and
tasks on a case (a counselor who may open the case). Thin views: the rules
are in ``services.caseload``, ``services.workspace`` and ``services.playbook``."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...domain.errors import ValidationError
from ...models import Role
from ...services import caseload, playbook, workspace
from ...services.access import get_case
from ..cases.routes import labels as cases_labels
from . import bp
from .forms import NoteForm, TaskForm


@bp.before_request
@login_required
def require_login():
    """Every page here needs a logged-in user."""


def _counselor() -> None:
    if current_user.role != Role.COUNSELOR:
        abort(403)


@bp.get("/caseload")
def index():
    _counselor()
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    page = caseload.page(current_user, filter_=request.args.get("filter", ""),
                         q=request.args.get("q", ""), number=number)
    if page.page > page.pages:  # past the end (the caseload shrank): its last page
        return redirect(url_for("caseload.index", filter=page.filter or None,
                                q=page.q or None, page=page.pages))
    return render_template("caseload/index.html", page=page, filters=caseload.FILTERS)


@bp.get("/caseload/playbook")
def show_playbook():
    _counselor()
    return render_template("caseload/playbook.html", rows=playbook.for_counselor(current_user),
                           min_cases=playbook.MIN_CASES)


def _case_page(case, status: int, **forms):
    """The case page again, with the form's errors."""
    from ..cases.routes import _show_page

    return _show_page(case, status, **forms)


# The case page, when shown from here (a form's errors), needs the cases
# blueprint's own template names too.
bp.context_processor(cases_labels)


def _back(case_id: str):
    return redirect(url_for("cases.show", case_id=case_id, _anchor="workspace"), 303)


def _field_errors(form, exc: ValidationError) -> None:
    """The service's errors beside their fields, in the page's language."""
    for error in exc.errors:
        if error.code == "too_long":
            message = _("Too long: at most %(max)d characters.", max=error.params["max"])
        else:
            message = _("Fill this in.")
        getattr(form, error.path).errors = [message]


@bp.post("/cases/<case_id>/notes")
def add_note(case_id: str):
    case = get_case(current_user, case_id)
    _counselor()
    form = NoteForm(prefix="note")
    if form.validate_on_submit():
        try:
            workspace.add_note(case, current_user, form.body.data)
        except ValidationError as exc:
            _field_errors(form, exc)
        else:
            flash(_("Note saved. Only counselors see it."), "success")
            return _back(case_id)
    return _case_page(case, 422, note_form=form)


@bp.post("/cases/<case_id>/notes/<int:note_id>/delete")
def delete_note(case_id: str, note_id: int):
    case = get_case(current_user, case_id)
    _counselor()
    workspace.delete_note(case, current_user, note_id)
    flash(_("Note removed."), "success")
    return _back(case_id)


@bp.post("/cases/<case_id>/tasks")
def add_task(case_id: str):
    case = get_case(current_user, case_id)
    _counselor()
    form = TaskForm(prefix="task")
    if form.validate_on_submit():
        try:
            workspace.add_task(case, current_user, form.title.data, form.due_on.data)
        except ValidationError as exc:
            _field_errors(form, exc)
        else:
            flash(_("Task added."), "success")
            return _back(case_id)
    return _case_page(case, 422, task_form=form)


@bp.post("/cases/<case_id>/tasks/<int:task_id>/done")
def toggle_task(case_id: str, task_id: int):
    case = get_case(current_user, case_id)
    _counselor()
    done = request.form.get("done") == "1"
    workspace.set_done(case, current_user, task_id, done)
    flash(_("Task marked done.") if done else _("Task marked not done."), "success")
    return _back(case_id)


@bp.post("/cases/<case_id>/tasks/<int:task_id>/delete")
def delete_task(case_id: str, task_id: int):
    case = get_case(current_user, case_id)
    _counselor()
    workspace.delete_task(case, current_user, task_id)
    flash(_("Task removed."), "success")
    return _back(case_id)
