from flask import Blueprint

bp = Blueprint("negotiations", __name__, url_prefix="/cases")

from . import contact_letters, contacts, routes  # noqa: E402,F401
