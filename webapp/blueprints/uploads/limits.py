"""The request-body limit of the forms that take a file.

Every form and import is held to ``MAX_CONTENT_LENGTH`` (2 MiB) and the JSON
API to its own 256 KiB; a form whose view is marked :func:`takes_upload`
accepts a body up to ``UPLOAD_MAX_BYTES`` plus room for its other fields, for
a logged-in user only (a stranger's body is refused at the usual limit).

The limit is raised in a hook registered *before* CSRF protection, because
Flask-WTF reads the whole form (the file included) to find the token; the
blueprint's own hooks run after the app's, too late.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, g, request
from flask_login import current_user

#: Room for the form's other fields (a 2,000-character note in Chinese is
#: 6 KB) and the multipart framing, on top of the file itself.
FORM_ROOM = 64 * 1024

F = TypeVar("F", bound=Callable)


def takes_upload(view: F) -> F:
    """Mark a view whose form may carry a file up to ``UPLOAD_MAX_BYTES``."""
    view.takes_upload = True  # type: ignore[attr-defined]
    return view


def body_limit(config) -> int:
    """The body limit of an upload form: never below the app's own."""
    return max(config["MAX_CONTENT_LENGTH"], config["UPLOAD_MAX_BYTES"] + FORM_ROOM)


def init_app(app: Flask) -> None:
    """Register the hook; call before ``csrf.init_app`` (see the module's doc)."""

    @app.before_request
    def raise_the_limit_for_uploads():
        view = current_app.view_functions.get(request.endpoint or "")
        if getattr(view, "takes_upload", False) and current_user.is_authenticated:
            request.max_content_length = body_limit(current_app.config)
            g.upload_limit = current_app.config["UPLOAD_MAX_BYTES"]
