from flask import Blueprint

bp = Blueprint("uploads", __name__, url_prefix="/cases")

from . import labels, routes  # noqa: E402,F401
