from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/cases")

from . import routes  # noqa: E402,F401
