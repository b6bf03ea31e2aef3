from flask import Blueprint

bp = Blueprint("negotiations", __name__, url_prefix="/cases")

from . import contacts, routes  # noqa: E402,F401
