"""The archive pages: thin; ``services.archive`` makes, keeps and audits the ZIP.

Only the owner: the account's archive holds only the cases the account owns,
and a case's archive page answers a counselor with a grant 403 and everyone
else 404 (``services.access``), like the other owner-only pages. An archive
is someone's whole file: never cached, downloaded only by who asked for it.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound

from ...forms import BaseForm
from ...models.types import JURISDICTION_TIME_ZONES
from ...services import archive as svc
from ...services.access import get_case
from ...services.bundles import is_stale
from . import bp


class PrepareForm(BaseForm):
    """Just the CSRF token: the button that asks for an archive."""


def _page(case=None):
    job = svc.latest(current_user, case)
    ready = job is not None and job.status == "done" and not svc.expired(job)
    return render_template(
        "archive/page.html", case=case, job=job, ready=ready,
        lost=job is not None and is_stale(job), form=PrepareForm(),
        cases=[case] if case is not None else svc.owned_cases(current_user),
        keep_hours=int(svc.KEEP_FOR.total_seconds() // 3600),
        zone=JURISDICTION_TIME_ZONES.get(case.jurisdiction, "UTC") if case else "UTC")


def _prepared(job, back: str):
    if job.status == "done":
        flash(_("Your archive is ready."), "success")
    elif job.status == "failed":
        flash(_("The archive could not be prepared. Try again."), "error")
    else:
        flash(_("Preparing your archive. With many letters this takes a minute."), "info")
    return redirect(back, 303)


def _send(job):
    path = svc.downloaded(job, current_user)
    response = send_file(path, mimetype="application/zip", as_attachment=True,
                         download_name=job.result_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/auth/account/archive")
@login_required
def account_page():
    return _page()


@bp.post("/auth/account/archive")
@login_required
def prepare_account():
    if not PrepareForm().validate_on_submit():
        return redirect(url_for("archive.account_page"), 303)
    job = svc.request_archive(current_user._get_current_object())
    return _prepared(job, url_for("archive.account_page", _anchor="archive"))


@bp.get("/auth/account/archive/<job_id>.zip")
@login_required
def download_account(job_id: str):
    job = svc.get_ready(current_user, job_id)
    if job is None:
        raise NotFound()
    return _send(job)


def _own_case(case_id: str):
    # The download's own export rows are written by the service: no "view" here.
    return get_case(current_user, case_id, owner_only=True, record=False)


@bp.get("/cases/<case_id>/archive")
@login_required
def case_page(case_id: str):
    return _page(get_case(current_user, case_id, owner_only=True))


@bp.post("/cases/<case_id>/archive")
@login_required
def prepare_case(case_id: str):
    case = _own_case(case_id)
    back = url_for("archive.case_page", case_id=case.public_id, _anchor="archive")
    if not PrepareForm().validate_on_submit():
        return redirect(back, 303)
    return _prepared(svc.request_archive(current_user._get_current_object(), case), back)


@bp.get("/cases/<case_id>/archive/<job_id>.zip")
@login_required
def download_case(case_id: str, job_id: str):
    case = _own_case(case_id)
    job = svc.get_ready(current_user, job_id, case)
    if job is None:
        raise NotFound()
    return _send(job)
