"""Account and ID numbers are masked on pages (``**** 1098``); ``?reveal=1`` shows
them in full. A plain link, so it works without JavaScript; the page's view is
then logged as ``reveal`` in the case's audit log (the action, never the numbers)."""

from __future__ import annotations

from flask import request

from ..models import Case
from ..services import audit


def wants_reveal(case: Case) -> bool:
    """Whether this GET asks for the full numbers; if so, it is recorded."""
    if request.method != "GET" or request.args.get("reveal") != "1":
        return False
    audit.revealed(case)
    return True
