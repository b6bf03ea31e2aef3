"""Request ids, one structured log line per request, and the readiness check.

Every request gets an id (the proxy's ``X-Request-Id`` when it sends a sane one,
else a new one), returned in the ``X-Request-Id`` header and attached to every
log record made while the request runs (``logs.install``), so a user's error id,
the proxy's log and Parley's log lines can be matched. The request line carries
the method, the path without its query string, the endpoint, the status and the
time taken: never a form value, a query value or a header.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, g, request

from .logs import request_id_from

log = logging.getLogger("parley.request")


def _start() -> None:
    g.request_id = request_id_from(request.headers.get("X-Request-Id"))
    g.request_started = time.perf_counter()


def _finish(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers["X-Request-Id"] = request_id
        req = request._get_current_object()  # one proxy lookup, not five
        log_request(req.method, req.path, response.status_code, g.get("request_started"),
                    req.endpoint)
    return response


def log_request(method: str, path: str, status: int, started: float | None,  # float ok: a clock
                endpoint: str | None) -> None:
    """The request's one log line (``started``: its ``time.perf_counter()``)."""
    ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    log.info("%s %s %s", method, path, status,
             extra={"method": method, "path": path, "status": status, "ms": ms,
                    "endpoint": endpoint})


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
