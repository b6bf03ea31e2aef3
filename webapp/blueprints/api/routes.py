"""JSON API v1: stateless planning and status. Stores nothing and needs no login.

Everything a request can make the server do is bounded (``domain/limits.py``):
the body (``API_MAX_CONTENT_LENGTH``, 413), the case (at most 100 debts... ,
422 from the parser) and the answer (a monthly schedule of at most
``MAX_SCHEDULE_ENTRIES`` payment lines, else 422 suggesting ``?schedule=yearly``).
"""

from datetime import date

from flask import Response, current_app, json, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from ... import answer_cache
from ...domain.casefile import MalformedJSON, loads
from ...domain.errors import ValidationError
from ...domain.limits import MAX_SCHEDULE_ENTRIES
from ...domain.plan import make_plan
from ...domain.status import make_status
from ...errors import validation_body
from ...extensions import limiter
from ...models.types import local_date, now_utc
from . import bp
from .openapi import openapi_document


def _too_large_message() -> str:
    limit = current_app.config["API_MAX_CONTENT_LENGTH"]
    return (f"the request body is larger than {limit:,} bytes ({limit // 1024} KiB), "
            "the most this API takes")


@bp.before_request
def limit_body():
    """The API's own, smaller body limit (Flask 3.1 reads it per request).

    One byte more than the limit: a chunked body (no Content-Length) is cut
    off silently at ``max_content_length``, so reading one byte past the limit
    is how :func:`_body` tells a body over the limit from one just at it.
    """
    request.max_content_length = current_app.config["API_MAX_CONTENT_LENGTH"] + 1


def _body() -> bytes:
    data = request.get_data(cache=False)
    if len(data) > current_app.config["API_MAX_CONTENT_LENGTH"]:
        raise RequestEntityTooLarge()
    return data


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc):
    return jsonify([{"path": "", "message": _too_large_message()}]), 413


@bp.post("/plan")
@limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])
def plan():
    """The same ``parley-plan/1`` document ``parley plan`` prints."""
    data = _body()
    schedule = request.args.get("schedule", "monthly")
    cache = answer_cache.plans()
    key = answer_cache.key(data, schedule)
    body = cache.get(key) if cache is not None else None
    if body is None:
        try:
            plan = make_plan(loads(data), schedule=schedule,
                             max_schedule_entries=MAX_SCHEDULE_ENTRIES)
        except MalformedJSON as exc:
            return jsonify(validation_body(exc)), 400
        except ValidationError as exc:
            return jsonify(validation_body(exc)), 422
        body = json.dumps(plan, ensure_ascii=False).encode()
        if cache is not None:
            cache.put(key, body)
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
        case = loads(_body())
        body = make_status(case, day or local_date(now_utc(), case.jurisdiction))
    except MalformedJSON as exc:
        return jsonify(validation_body(exc)), 400
    except ValidationError as exc:
        return jsonify(validation_body(exc)), 422
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
