from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import reset, routes, tokens, twofactor, verify  # noqa: E402,F401
