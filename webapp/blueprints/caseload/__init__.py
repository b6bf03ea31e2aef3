"""A counselor's workspace: the caseload, notes and tasks on a case, the creditor playbook."""

from flask import Blueprint

bp = Blueprint("caseload", __name__)

from . import routes  # noqa: E402,F401
