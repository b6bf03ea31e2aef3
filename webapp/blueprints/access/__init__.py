"""Consent: who can see a case (grants, one-time codes, handover) and its audit log."""

from flask import Blueprint

bp = Blueprint("access", __name__)

from . import routes  # noqa: E402,F401
