"""JSON for Parley: Decimal travels as a string, keys keep their contract order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider


class ParleyJSONProvider(DefaultJSONProvider):
    sort_keys = False
    ensure_ascii = False

    @staticmethod
    def default(o):
        if isinstance(o, Decimal):
            return str(o)
        if isinstance(o, date):
            return o.isoformat()
        return DefaultJSONProvider.default(o)
