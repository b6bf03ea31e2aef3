"""A case's dates as an iCalendar file: a download, and a private subscription link."""

from flask import Blueprint

bp = Blueprint("calendar", __name__)

from . import routes  # noqa: E402,F401
