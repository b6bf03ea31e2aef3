"""Error handling in one place: domain errors to 4xx, never a traceback to a user."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import Conflict as HTTPConflict
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from .domain.errors import ValidationError
from .extensions import db
from .logs import new_error_id, safe_traceback
from .services.concurrency import Conflict
from .storage import StorageError


def wants_json() -> bool:
    return request.path.startswith("/api/")


def validation_body(exc: ValidationError) -> list[dict[str, str]]:
    return [{"path": e.path, "message": e.message} for e in exc.errors]


#: PostgreSQL's SQLSTATEs for a transaction it aborted because of another one
#: (a deadlock, a serialization failure): nothing was saved, trying again works.
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})


def is_transient(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in TRANSIENT_SQLSTATES


def init_app(app: Flask) -> None:
    def log_failure(what: str, exc: Exception) -> str:
        """Log ``what`` happened, where, a new error id and the code lines only
        (the message stays out: it can quote personal data); the id."""
        error_id = new_error_id()
        app.logger.error("%s in %s, error id %s\n%s", what, request.endpoint or "(no endpoint)",
                         error_id, safe_traceback(exc))
        return error_id

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code and exc.code >= 500:
            db.session.rollback()
        # Keep the exception's own headers (Allow on 405, Retry-After on 429...).
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        if wants_json():
            body = {"error": exc.name, "message": exc.description}
            return jsonify(body), exc.code, headers
        return render_template("errors/error.html", error=exc), exc.code, headers

    @app.errorhandler(ValidationError)
    def validation_error(exc: ValidationError):
        db.session.rollback()
        if wants_json():
            return jsonify(validation_body(exc)), 422
        return render_template("errors/error.html", error=exc, problems=exc.errors), 422

    @app.errorhandler(Conflict)
    @app.errorhandler(StaleDataError)
    @app.errorhandler(ObjectDeletedError)
    def lost_race(exc: Exception):
        # The views answer a lost race themselves, with the form and a message;
        # this is the net for one they do not expect: 409, never a 500.
        db.session.rollback()
        message = _("Someone else (or another window) changed or deleted this at the same "
                    "moment, so nothing was saved. Reload the page and try again.")
        if wants_json():
            return jsonify({"error": "Conflict", "message": message}), 409
        return render_template("errors/error.html",
                               error=HTTPConflict(description=message)), 409

    @app.errorhandler(OperationalError)
    def database_error(exc: OperationalError):
        # A deadlock or serialization failure is a lost race the database
        # decided: answered as one (409), and logged as an error all the same,
        # since the services order their locks so that it should not happen.
        if not is_transient(exc):
            return server_error(exc)
        log_failure(type(exc.orig).__name__, exc)
        return lost_race(exc)  # (which rolls back)

    @app.errorhandler(StorageError)
    def store_unavailable(exc: StorageError):
        # The S3 upload store did not answer (or refused): the services put the
        # file before the row, so a form with a file saved nothing; a download
        # has nothing to show. 503: worth trying again.
        db.session.rollback()
        app.logger.error("upload store unavailable in %s: %s",
                         request.endpoint or "(no endpoint)", exc)
        if request.method == "GET":
            message = _("The store that keeps uploaded files did not answer. Try again in "
                        "a few minutes.")
        else:
            message = _("The store that keeps uploaded files did not answer, so nothing "
                        "was saved. Try again in a few minutes.")
        if wants_json():
            return jsonify({"error": "Service Unavailable", "message": message}), 503
        return render_template("errors/error.html",
                               error=ServiceUnavailable(description=message)), 503

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        # Roll back whatever half-done work the request left, then log it:
        # the type, the endpoint (not the path, which may carry a token) and
        # code lines only. The message stays out: it can quote personal data.
        db.session.rollback()
        error_id = log_failure(f"unhandled {type(exc).__name__}", exc)
        if wants_json():
            return jsonify({"error": "Internal Server Error", "error_id": error_id}), 500
        return render_template("errors/error.html", error=None, error_id=error_id), 500
