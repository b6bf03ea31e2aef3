"""JSON API v1: stateless planning. Stores nothing and needs no login."""

from flask import Response, current_app, json, jsonify, request

from ...domain.casefile import MalformedJSON, loads
from ...domain.errors import ValidationError
from ...domain.plan import make_plan
from ...errors import validation_body
from ...extensions import limiter
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


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
