"""The plan page: strategies side by side, and saving one as the proposal."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import page_cache
from ...charts import balance_chart
from ...domain.errors import ValidationError
from ...services import proposals
from ...services.access import get_case
from ..cases.forms import KIND_NAMES
from . import bp, recommend_words
from .forms import SaveProposalForm
from .labels import (
    AT_RISK_TEXT,
    FREE_ADVICE,
    LONG_PLAN_OPTIONS,
    STRATEGY_TEXT,
    describe,
    reason_text,
)


@bp.before_request
@login_required
def require_login():
    """Every page here needs a logged-in user."""


@bp.get("/<case_id>/plan")
def show(case_id: str):
    case = get_case(current_user, case_id)
    return page_cache.page(case, lambda: _show_page(case))


def _show_page(case):
    budget, results, recovery, opening, advice = proposals.plan_with_advice(case)
    proposal = proposals.current_proposal(case)
    return render_template(
        "plans/show.html", case=case, budget=budget, results=results, recovery=recovery,
        advice=advice, free_advice=FREE_ADVICE.get(case.jurisdiction, ()),
        long_plan_options=LONG_PLAN_OPTIONS.get(case.jurisdiction, LONG_PLAN_OPTIONS["other"]),
        at_risk=AT_RISK_TEXT, kind_names=KIND_NAMES,
        chart=balance_chart(results, opening), proposal=proposal,
        stale=proposal is not None and proposals.is_stale(proposal),
        strategy_text=STRATEGY_TEXT, describe=describe, reason_text=reason_text,
        versions=proposals.versions(case) if proposal is not None else [],
        strategy_names={key: text[0] for key, text in STRATEGY_TEXT.items()},
        words=recommend_words,
        form=SaveProposalForm(),
        has_letters="letters.for_proposal" in current_app.view_functions,
    )


@bp.post("/<case_id>/plan")
def save(case_id: str):
    case = get_case(current_user, case_id)
    form = SaveProposalForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the repayment options."), "error")
        return redirect(url_for("plans.show", case_id=case_id)), 303
    try:
        proposals.save_proposal(case, form.strategy.data)
    except ValidationError as exc:
        flash(exc.errors[0].message, "error")
        return redirect(url_for("plans.show", case_id=case_id)), 303
    flash(_("Saved as your proposal. Next: write to your creditors."), "success")
    return redirect(url_for("plans.show", case_id=case_id, _anchor="proposal"))
