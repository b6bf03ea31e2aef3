"""Guideline tables from an agency's own file (``parley-guidelines/1``).

The official UK figures are given to Standard Financial Statement members only,
the IRS Local Standards vary by county, and China has none nationally: an
agency writes its figures in a JSON file (``SPENDING_GUIDELINES_FILE``) and
they replace the shipped table of each jurisdiction the file names::

    {"format": "parley-guidelines/1",
     "tables": [{"jurisdiction": "GB", "currency": "GBP", "year": "2025",
                 "name": "SFS spending guidelines", "source": "Money and Pensions Service",
                 "guidelines": [
                   {"categories": ["food"],
                    "figure": {"first_adult": "310", "other_adult": "155", "child": "105"}},
                   {"categories": ["transport"],
                    "figure": {"with_car": {"per_person": "120"},
                               "without_car": {"by_persons": ["60", "110"],
                                               "each_additional": "40"}}}]}]}

A figure is one of: ``by_persons`` (a list of amounts for 1, 2, ... persons,
with an optional ``each_additional``), ``flat`` (one amount whatever the
household), ``per_person``, ``first_adult`` /
``other_adult`` / ``child``, ``with_car`` / ``without_car`` (two figures),
``total`` (a list of figures added up) or ``not_loaded`` (a note). Amounts are
decimal strings or numbers, ≥ 0, at most two decimal places. Every problem is
reported with its path (``tables[0].guidelines[1].figure.child``).

``"extends": "shipped"`` keeps the shipped table of that jurisdiction and
replaces only the guidelines whose categories the file names: how a US agency
adds its county's IRS Local Standards to the National Standards Parley ships.
The IRS housing and utilities table gives one figure per county for one to
"five or more" persons, and transportation an ownership cost per vehicle, an
operating cost per region and number of cars, and one public-transportation
figure per household::

    {"format": "parley-guidelines/1",
     "tables": [{"jurisdiction": "US", "currency": "USD", "extends": "shipped",
                 "name": "IRS Local Standards, Example County", "year": "2025",
                 "source": "irs.gov, Local Standards: Housing and Utilities; Transportation",
                 "guidelines": [
                   {"categories": ["housing", "utilities"],
                    "figure": {"by_persons": ["1", "2", "3", "4", "5"],
                               "each_additional": "0"}},
                   {"categories": ["transport"],
                    "figure": {"with_car": {"total": [{"flat": "OWNERSHIP"},
                                                      {"flat": "OPERATING_ONE_CAR"}]},
                               "without_car": {"flat": "PUBLIC_TRANSPORTATION"}}}]}]}

(the amounts are the county's and region's, copied from irs.gov; Parley ships
none of them, see ``shipped.py``).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import FieldError, ValidationError
from ..model import JURISDICTIONS, ExpenseCategory
from .figures import ByCar, ByPersons, Figure, Flat, NotLoaded, PerMember, PerPerson, Total
from .shipped import SHIPPED
from .table import Guideline, GuidelineTable

FORMAT = "parley-guidelines/1"
AMOUNT_MAX = Decimal("1000000000")
#: The keys that make each shape of figure (exactly one shape per figure).
SHAPES = {
    "by_persons": {"by_persons", "each_additional"},
    "flat": {"flat"},
    "per_person": {"per_person"},
    "first_adult": {"first_adult", "other_adult", "child"},
    "with_car": {"with_car", "without_car"},
    "total": {"total"},
    "not_loaded": {"not_loaded"},
}


class _Errors(list):
    def fail(self, path: str, message: str) -> None:
        self.append(FieldError(path, message))


def _amount(errors: _Errors, value: Any, path: str) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors.fail(path, 'must be an amount such as "310.00"')
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        errors.fail(path, f"{value!r} is not an amount")
        return None
    if not amount.is_finite() or amount < 0 or amount > AMOUNT_MAX:
        errors.fail(path, f"must be from 0 to {AMOUNT_MAX:,f}")
    elif amount != amount.quantize(Decimal("0.01")):
        errors.fail(path, "must have at most 2 decimal places")
    else:
        return amount
    return None


def _text(errors: _Errors, obj: dict, key: str, path: str, *, required: bool) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        errors.fail(f"{path}.{key}", "is required" if required else "must be text")
        return ""
    if len(value) > 1000:
        errors.fail(f"{path}.{key}", "must be at most 1000 characters")
        return ""
    return value.strip()


def _figure(errors: _Errors, raw: Any, path: str, depth: int = 0) -> Figure | None:
    if not isinstance(raw, dict) or not raw:
        errors.fail(path, "must be an object such as {\"per_person\": \"83\"}")
        return None
    shape = next((s for s in SHAPES if s in raw), None)
    if shape is None or not set(raw) <= SHAPES[shape] or depth > 4:
        names = ", ".join(SHAPES)
        errors.fail(path, f"must be one figure: {names}" if depth <= 4 else "nested too deep")
        return None
    if shape == "by_persons":
        items = raw["by_persons"]
        if not isinstance(items, list) or not items or len(items) > 20:
            errors.fail(f"{path}.by_persons", "must be a list of 1 to 20 amounts")
            return None
        amounts = [_amount(errors, v, f"{path}.by_persons[{i}]") for i, v in enumerate(items)]
        extra = raw.get("each_additional")
        each = None if extra is None else _amount(errors, extra, f"{path}.each_additional")
        if None in amounts or (extra is not None and each is None):
            return None
        return ByPersons(tuple(amounts), each)  # type: ignore[arg-type]
    if shape == "flat":
        value = _amount(errors, raw["flat"], f"{path}.flat")
        return None if value is None else Flat(value)
    if shape == "per_person":
        each = _amount(errors, raw["per_person"], f"{path}.per_person")
        return None if each is None else PerPerson(each)
    if shape == "first_adult":
        parts = [_amount(errors, raw.get(k), f"{path}.{k}")
                 for k in ("first_adult", "other_adult", "child")]
        return None if None in parts else PerMember(*parts)  # type: ignore[arg-type]
    if shape == "with_car":
        pair = [_figure(errors, raw.get(k), f"{path}.{k}", depth + 1)
                for k in ("with_car", "without_car")]
        return None if None in pair else ByCar(*pair)  # type: ignore[arg-type]
    if shape == "total":
        items = raw["total"]
        if not isinstance(items, list) or not 1 <= len(items) <= 10:
            errors.fail(f"{path}.total", "must be a list of 1 to 10 figures")
            return None
        parts = [_figure(errors, v, f"{path}.total[{i}]", depth + 1) for i, v in enumerate(items)]
        return None if None in parts else Total(tuple(parts))  # type: ignore[arg-type]
    note = raw["not_loaded"]
    if not isinstance(note, str):
        errors.fail(f"{path}.not_loaded", "must be text")
        return None
    return NotLoaded(note)


def _guidelines(errors: _Errors, raw: Any, path: str) -> tuple[Guideline, ...]:
    if not isinstance(raw, list) or len(raw) > 50:
        errors.fail(path, "must be a list of at most 50 guidelines")
        return ()
    out, seen = [], set()
    names = [c.value for c in ExpenseCategory]
    for i, item in enumerate(raw):
        here = f"{path}[{i}]"
        if not isinstance(item, dict):
            errors.fail(here, "must be an object")
            continue
        cats = item.get("categories")
        if not isinstance(cats, list) or not cats or any(c not in names for c in cats):
            errors.fail(f"{here}.categories", f"must be a list of: {', '.join(names)}")
            continue
        if again := [c for c in cats if c in seen]:
            errors.fail(f"{here}.categories", f"{again[0]} is in another guideline already")
            continue
        seen.update(cats)
        figure = _figure(errors, item.get("figure"), f"{here}.figure")
        if figure is not None:
            out.append(Guideline(tuple(ExpenseCategory(c) for c in cats), figure))
    return tuple(out)


def _extend(where: str, own: tuple[Guideline, ...], source: str
            ) -> tuple[tuple[Guideline, ...], str]:
    """The shipped table's guidelines with ``own`` in place of those sharing a
    category (in the shipped order, then the new ones), and a source naming both."""
    shipped = SHIPPED.get(where)
    if shipped is None:
        return own, source
    mine = {c for g in own for c in g.categories}
    kept, placed = [], set()
    for g in shipped.guidelines:
        if not mine & set(g.categories):
            kept.append(g)
            continue
        for o in own:
            if set(o.categories) & set(g.categories) and o.key not in placed:
                kept.append(o)
                placed.add(o.key)
    kept += [o for o in own if o.key not in placed]
    other = f"other figures: {shipped.name}, {shipped.year} ({shipped.source})"
    return tuple(kept), f"{source}; {other}" if source else other


def parse_guidelines(data: Any) -> dict[str, GuidelineTable]:
    """The tables of a decoded file by jurisdiction; ValidationError with every problem."""
    errors = _Errors()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError([FieldError("format", f"must be {FORMAT!r}")])
    tables = data.get("tables")
    if not isinstance(tables, list) or not tables:
        raise ValidationError([FieldError("tables", "must be a list of tables")])
    out: dict[str, GuidelineTable] = {}
    for i, raw in enumerate(tables):
        path = f"tables[{i}]"
        if not isinstance(raw, dict):
            errors.fail(path, "must be an object")
            continue
        where = raw.get("jurisdiction")
        if where not in JURISDICTIONS:
            errors.fail(f"{path}.jurisdiction", f"must be one of {', '.join(JURISDICTIONS)}")
        elif where in out:
            errors.fail(f"{path}.jurisdiction", f"{where} has a table already")
        currency = raw.get("currency")
        if not (isinstance(currency, str) and len(currency) == 3 and currency.isupper()):
            errors.fail(f"{path}.currency", "must be an ISO 4217 code such as GBP")
        texts = {k: _text(errors, raw, k, path, required=k in ("name", "source", "year"))
                 for k in ("name", "source", "year", "notes")}
        example = raw.get("example", False)
        if not isinstance(example, bool):
            errors.fail(f"{path}.example", "must be true or false")
        guidelines = _guidelines(errors, raw.get("guidelines", []), f"{path}.guidelines")
        extends = raw.get("extends")
        if extends not in (None, "shipped"):
            errors.fail(f"{path}.extends", 'must be "shipped" (or left out)')
        elif extends == "shipped" and where in JURISDICTIONS:
            guidelines, texts["source"] = _extend(where, guidelines, texts["source"])
        if where in JURISDICTIONS and where not in out:
            out[where] = GuidelineTable(where, str(currency), guidelines=guidelines,
                                        example=example is True, **texts)
    if errors:
        raise ValidationError(list(errors))
    return out


def load_guidelines(text: str | bytes) -> dict[str, GuidelineTable]:
    """Decode and parse a guidelines file; ValidationError naming the problem."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ValidationError([FieldError("", f"not valid JSON: {exc}")]) from None
    return parse_guidelines(data)
