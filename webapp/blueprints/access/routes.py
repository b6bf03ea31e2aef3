"""Sharing a case (owner only), entering a client's code (counselors), taking a
case over (the client) and the case's audit log (owner only). Thin views: the
rules are in ``services.sharing`` and ``services.audit``."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...extensions import limiter
from ...models import Role
from ...models.types import JURISDICTION_TIME_ZONES
from ...services import audit, sharing
from ...services.access import get_case
from . import bp
from .forms import ButtonForm, CodeForm, HandoverForm, InviteForm
from .labels import ACTIONS, CHANNELS

#: Events per page of the audit log.
PAGE = 50


@bp.before_request
@login_required
def require_login():
    """Every page here needs a logged-in user."""


def _owned(case_id: str):
    return get_case(current_user, case_id, owner_only=True, record=False)


def _sharing_page(case, status: int = 200, **context):
    context.setdefault("invite", InviteForm())
    return render_template("access/show.html", case=case, grants=sharing.live_grants(case),
                           button=ButtonForm(), **context), status


@bp.get("/cases/<case_id>/access")
def show(case_id: str):
    return _sharing_page(_owned(case_id))


@bp.post("/cases/<case_id>/access")
def invite(case_id: str):
    case = _owned(case_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            grant, created = sharing.grant(case, form.email.data, current_user)
        except sharing.SharingError as exc:
            form.email.errors.append(_(exc.message))
        else:
            flash(_("%(email)s can now see and work on this case.", email=grant.counselor.email)
                  if created else _("%(email)s already has access.", email=grant.counselor.email),
                  "success")
            return redirect(url_for("access.show", case_id=case_id), 303)
    return _sharing_page(case, 422, invite=form)


@bp.post("/cases/<case_id>/access/code")
def new_code(case_id: str):
    case = _owned(case_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    # Shown once, on this page: only the code's hash is kept.
    return _sharing_page(case, code=sharing.new_invite_code(case, current_user),
                         hours=sharing.INVITE_HOURS)


@bp.post("/cases/<case_id>/access/<int:grant_id>/revoke")
def revoke(case_id: str, grant_id: int):
    case = _owned(case_id)
    if ButtonForm().validate_on_submit() and sharing.revoke_grant(case, grant_id, current_user):
        flash(_("Access revoked. That counselor can no longer open this case."), "success")
    return redirect(url_for("access.show", case_id=case_id), 303)


@bp.post("/cases/<case_id>/handover")
def new_handover(case_id: str):
    case = _owned(case_id)
    if not ButtonForm().validate_on_submit() or current_user.role != Role.COUNSELOR:
        abort(400)
    link = url_for("access.handover", token=sharing.new_handover(case, current_user),
                   _external=True)
    return _sharing_page(case, handover_link=link, days=sharing.HANDOVER_DAYS)


@bp.route("/access/code", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"],
               key_func=lambda: f"code:{getattr(current_user, 'id', '')}")
def redeem():
    form = CodeForm()
    if form.validate_on_submit():
        try:
            case = sharing.redeem_invite(form.code.data, current_user)
        except sharing.SharingError as exc:
            form.code.errors.append(_(exc.message))
        else:
            flash(_("Your client gave you access to this case."), "success")
            return redirect(url_for("cases.show", case_id=case.public_id), 303)
    status = 422 if form.errors else 200
    return render_template("access/redeem.html", form=form), status


@bp.route("/handover/<token>", methods=["GET", "POST"])
def handover(token: str):
    row = sharing.handover_for(token)
    if row is None:
        abort(404)
    form = HandoverForm()
    if form.validate_on_submit():
        try:
            case = sharing.accept_handover(token, current_user,
                                           keep_counselor=form.keep_counselor.data)
        except sharing.SharingError as exc:
            flash(_(exc.message), "error")
        else:
            flash(_("This case is yours now."), "success")
            return redirect(url_for("cases.show", case_id=case.public_id), 303)
    return render_template("access/handover.html", form=form, case=row.case,
                           counselor=row.case.owner)


@bp.get("/cases/<case_id>/activity")
def activity(case_id: str):
    case = _owned(case_id)
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 100_000)
    events = audit.events_for(case, newest_first=True, limit=PAGE, offset=(page - 1) * PAGE)
    more = audit.count_for(case) > page * PAGE
    return render_template("access/activity.html", case=case, events=events, page=page,
                           more=more, actions=ACTIONS, channels=CHANNELS,
                           zone=JURISDICTION_TIME_ZONES.get(case.jurisdiction, "UTC"))
