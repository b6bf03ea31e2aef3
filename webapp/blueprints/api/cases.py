"""JSON API v1, the workspace (``shared/API.md``): stored cases behind personal
access tokens.

Every call here needs ``Authorization: Bearer TOKEN`` (401 otherwise; no
cookie is ever read, so there is no CSRF to forge). A case the caller may not
open is 404 whether or not it exists; a counselor with a grant who asks for
what only the owner may do (grants, the audit log, erasure) gets 403, since the
case is no secret to them (see ``services.access``).
"""

from __future__ import annotations

import json
from datetime import date
from functools import wraps

from flask import Response, g, request, url_for
from werkzeug.exceptions import NotFound

from ...domain.casefile import MalformedJSON
from ...domain.errors import ValidationError
from ...errors import validation_body
from ...services import audit, case_files, erasure, sharing, tokens
from ...services.access import get_case, openable_cases
from ...services.cases import etag_for, export_case
from . import bp
from .routes import _body


def _json(body, status: int = 200, **headers) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json", headers=headers)


def _no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body, so no type
    return response


def _problem(path: str, message: str, status: int = 422) -> Response:
    return _json([{"path": path, "message": message}], status)


def token_required(*query: str):
    """Resolve the bearer token to ``g.api_user`` (else 401), and refuse query
    parameters other than ``query`` (422): a misspelt ``?tody=`` must not be
    silently ignored."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
            user = tokens.resolve(token.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                return _json({"error": "Unauthorized",
                              "message": "send Authorization: Bearer TOKEN with a live "
                                         "personal access token"}, 401,
                             **{"WWW-Authenticate": 'Bearer realm="parley"'})
            unknown = sorted(set(request.args) - set(query))
            if unknown:
                return _json([{"path": name, "message": "unknown query parameter"}
                              for name in unknown], 422)
            g.api_user = user
            return view(*args, **kwargs)
        return wrapped
    return decorate


def _case_file(case) -> Response:
    return _json(export_case(case), ETag=etag_for(case))


@bp.get("/cases")
@token_required()
def list_cases():
    rows = case_files.summaries(openable_cases(g.api_user))
    return _json({"cases": [r.as_json() for r in rows]})


@bp.post("/cases")
@token_required()
def create_case():
    try:
        case = case_files.create_from_file(g.api_user, _body())
    except MalformedJSON as exc:
        return _json(validation_body(exc), 400)
    except ValidationError as exc:
        return _json(validation_body(exc), 422)
    return _json({"id": case.public_id}, 201, ETag=etag_for(case),
                 Location=url_for("api.show_case", case_id=case.public_id))


@bp.get("/cases/<case_id>")
@token_required()
def show_case(case_id: str):
    return _case_file(get_case(g.api_user, case_id))


@bp.put("/cases/<case_id>")
@token_required()
def replace_case(case_id: str):
    case = get_case(g.api_user, case_id)
    if_match = request.headers.get("If-Match")
    if if_match is None:
        return _json({"error": "Precondition Required",
                      "message": "send If-Match with the ETag of the case file you changed "
                                 "(GET it first)"}, 428)
    try:
        case_files.replace(case, _body(), if_match)
    except case_files.PreconditionFailed:
        return _json({"error": "Precondition Failed",
                      "message": "the case changed since that ETag; nothing was written. "
                                 "GET it again, then send your change"}, 412,
                     ETag=etag_for(case))
    except MalformedJSON as exc:
        return _json(validation_body(exc), 400)
    except ValidationError as exc:
        return _json(validation_body(exc), 422)
    return _case_file(case)


@bp.delete("/cases/<case_id>")
@token_required()
def erase_case(case_id: str):
    erasure.erase_case(get_case(g.api_user, case_id, owner_only=True, record=False))
    return _no_content()


@bp.get("/cases/<case_id>/plan")
@token_required("schedule")
def case_plan(case_id: str):
    case = get_case(g.api_user, case_id)
    try:
        plan = case_files.plan_of(case, request.args.get("schedule", "monthly"))
    except ValidationError as exc:
        return _json(validation_body(exc), 422)
    return _json(plan)


@bp.get("/cases/<case_id>/status")
@token_required("today")
def case_status(case_id: str):
    case = get_case(g.api_user, case_id)
    raw = request.args.get("today")
    day = None
    if raw is not None:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            return _problem("today", "must be an ISO date such as 2027-03-20")
    try:
        return _json(case_files.status_of(case, day))
    except ValidationError as exc:
        return _json(validation_body(exc), 422)


@bp.post("/cases/<case_id>/grants")
@token_required()
def grant(case_id: str):
    case = get_case(g.api_user, case_id, owner_only=True, record=False)
    try:
        data = json.loads(_body() or b"null")
    except (ValueError, RecursionError):
        return _problem("", "not valid JSON", 400)
    email = data.get("email") if isinstance(data, dict) else None
    if not isinstance(email, str) or not email.strip():
        return _problem("email", "required: the e-mail address of a counselor's account")
    try:
        row, created = sharing.grant(case, email, g.api_user)
    except sharing.SharingError as exc:
        return _problem("email", exc.message)  # the API speaks English
    return _json({"email": row.counselor.email,
                  "granted_at": row.granted_at.isoformat().replace("+00:00", "Z")},
                 201 if created else 200)


@bp.delete("/cases/<case_id>/grants/<email>")
@token_required()
def revoke(case_id: str, email: str):
    case = get_case(g.api_user, case_id, owner_only=True, record=False)
    if not sharing.revoke(case, email, g.api_user):
        raise NotFound("This case has no live grant for that e-mail address.")
    return _no_content()


@bp.get("/cases/<case_id>/audit")
@token_required()
def case_audit(case_id: str):
    case = get_case(g.api_user, case_id, owner_only=True, record=False)
    return _json({"events": audit.as_json(audit.events_for(case))})
