"""JSON API v1: stateless planning and status. Stores nothing and needs no login."""

from datetime import date

from flask import Response, current_app, json, jsonify, request

from ...domain.casefile import MalformedJSON, loads
from ...domain.errors import ValidationError
from ...domain.plan import make_plan
from ...domain.status import make_status
from ...errors import validation_body
from ...extensions import limiter
from ...models.types import local_date, now_utc
from . import bp
from .openapi import openapi_document


@bp.post("/plan")
@limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])
def plan():
    """The same ``parley-plan/1`` document ``parley plan`` prints."""
    try:
        case = loads(request.get_data(cache=False))
    except MalformedJSON as exc:
        return jsonify(validation_body(exc)), 400
    except ValidationError as exc:
        return jsonify(validation_body(exc)), 422
    body = json.dumps(make_plan(case), ensure_ascii=False)
    return Response(body, mimetype="application/json")


@bp.post("/status")
@limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])
def status():
    """The same ``parley-status/1`` document ``parley status`` prints.

    ``?today=YYYY-MM-DD`` sets the day; without it, today where the borrower
    lives (the case's jurisdiction's time zone).
    """
    today = request.args.get("today")
    day = None
    if today is not None:
        try:
            day = date.fromisoformat(today)
        except ValueError:
            return jsonify([{"path": "today",
                             "message": "must be an ISO date such as 2027-03-20"}]), 422
    try:
        case = loads(request.get_data(cache=False))
        body = make_status(case, day or local_date(now_utc(), case.jurisdiction))
    except MalformedJSON as exc:
        return jsonify(validation_body(exc)), 400
    except ValidationError as exc:
        return jsonify(validation_body(exc)), 422
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
