"""The case file's budget extensions for issue 12 (all optional, all round-trip):

* ``household.car`` (true/false): whether the household runs a car; spending
  guidelines that differ with a car (transport) are checked only once it is said;
* ``options.settlement_floor`` (percent, 0-100, two places, default 30): a
  settlement below this share of a balance is marked unlikely to be accepted;
* ``spending_reasons`` (``{"food": "text"}``): why spending in a category is what it
  is, in the borrower's words, at most 1000 characters each; the budget statement
  carries them. Keys are expense categories.

Read with the case file's reader (``casefile._Reader``), so problems are reported
with their paths like every other field.
"""

from __future__ import annotations

from decimal import Decimal

from .model import ExpenseCategory, Options

FLOOR_MAX = Decimal(100)
REASON_MAX = 1000
_MISSING = object()


def read_car(r, household: dict) -> bool | None:
    value = household.get("car", None)
    if value is None:
        return None
    if not isinstance(value, bool):
        r.fail("household.car", "must be true or false")
        return None
    return value


def read_floor(r, options: dict) -> Decimal | None:
    value = options.get("settlement_floor", None)
    if value is None:
        return None
    return r.number(value, "options.settlement_floor", places=2, maximum=FLOOR_MAX)


def read_reasons(r, top: dict) -> tuple[tuple[str, str], ...]:
    """``spending_reasons``: category → text, returned in ExpenseCategory order."""
    raw = top.get("spending_reasons", None)
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        r.fail("spending_reasons", "must be an object such as {\"food\": \"...\"}")
        return ()
    names = [c.value for c in ExpenseCategory]
    for key in raw:
        if key not in names:
            r.fail(f"spending_reasons.{key}", f"must be one of {', '.join(names)}")
    out = []
    for name in names:
        if name in raw:
            # the reader's text rule and its 1000-character limit (REASON_MAX)
            text = r.text(raw, name, "spending_reasons")
            if text.strip():
                out.append((name, text.strip()))
    return tuple(out)


def dump_household_car(car: bool | None) -> dict:
    return {} if car is None else {"car": car}


def dump_floor(options: Options) -> dict:
    if options.settlement_floor == Options().settlement_floor:
        return {}
    return {"settlement_floor": format(options.settlement_floor, "f")}


def dump_reasons(reasons: tuple[tuple[str, str], ...]) -> dict:
    return {"spending_reasons": dict(reasons)} if reasons else {}
