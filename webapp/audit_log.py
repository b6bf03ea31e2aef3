"""Writes each request's audit events once the response is ready (see
``services.audit``): the views never have to remember to."""

from __future__ import annotations

from flask import Flask, Response, g
from flask_login import current_user

from .services import audit


def _actor():
    # The API's caller is its token's user; the web's is the logged-in user.
    # (Never the session cookie on the API: it reads no cookies.)
    if g.get("api_user") is not None:
        return g.api_user
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def init_app(app: Flask) -> None:
    @app.after_request
    def write_audit_log(response: Response) -> Response:
        if g.get("audit_opened") or g.get("audit_committed"):
            audit.record_request(response.status_code, _actor())
        return response
