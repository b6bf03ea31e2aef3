"""The borrower's archive: all their cases, or one case, as one ZIP (issue 10)."""

from flask import Blueprint

bp = Blueprint("archive", __name__)

from . import routes  # noqa: E402,F401
