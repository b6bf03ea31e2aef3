"""Calendar views: thin; the service makes the file and keeps the tokens.

``/calendar/<token>.ics`` needs no login (a phone's calendar app cannot log
in): the token is the proof, and an unknown or revoked one is a 404. Nothing
here may be cached (the file lists creditors and amounts).
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from ...services import agenda_text as words
from ...services import calendar as svc
from ...services.access import get_case
from . import bp


def _ics(text: str, filename: str) -> Response:
    response = Response(text.encode("utf-8"), mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/cases/<case_id>/calendar.ics")
@login_required
def download(case_id: str):
    case = get_case(current_user, case_id)
    return _ics(svc.case_ics(case, words.language(str(get_locale()))), "parley-dates.ics")


@bp.post("/cases/<case_id>/calendar/link")
@login_required
def create_link(case_id: str):
    # The owner's alone: a link a counselor made would outlive their access.
    case = get_case(current_user, case_id, owner_only=True)
    token = svc.create_link(case)
    url = url_for("calendar.feed", token=token, _external=True)
    # Shown once, here: only the token's hash is kept.
    return render_template("calendar/link.html", case=case, url=url)


@bp.post("/cases/<case_id>/calendar/revoke")
@login_required
def revoke(case_id: str):
    case = get_case(current_user, case_id, owner_only=True)
    if svc.revoke_link(case):
        flash(_("The calendar link is revoked: calendars subscribed to it stop updating."),
              "success")
    return redirect(url_for("cases.show", case_id=case.public_id, _anchor="calendar"), 303)


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    case = svc.fetch_feed(token)  # (its fetch goes into the audit log once a day)
    if case is None:
        raise NotFound()
    # In the owner's language: a calendar app sends no useful Accept-Language.
    return _ics(svc.case_ics(case, words.language(case.owner.locale)), "parley-dates.ics")
