"""The plan page: strategies side by side, and saving one as the proposal."""

from flask import render_template
from flask_login import current_user, login_required

from ...services.access import get_case
from . import bp


@bp.before_request
@login_required
def require_login():
    """Every page here needs a logged-in user."""


@bp.get("/<case_id>/plan")
def show(case_id: str):
    case = get_case(current_user, case_id)
    return render_template("plans/show.html", case=case)
