"""Fixtures for the letter tests: example and hostile cases with their plans."""

from __future__ import annotations

import pytest

from tests.letters.support import EXAMPLES, hostile_raw, load_raw, with_lump_sum
from webapp.domain.casefile import parse_case
from webapp.domain.model import Case
from webapp.domain.plan import make_plan


@pytest.fixture(scope="session")
def examples() -> dict[str, tuple[Case, dict]]:
    """Each example case (with a lump sum, so every strategy runs) and its plan."""
    out = {}
    for name in EXAMPLES:
        case = parse_case(with_lump_sum(load_raw(name)))
        out[name] = (case, make_plan(case))
    return out


@pytest.fixture(scope="session")
def hostile() -> dict[str, tuple[Case, dict]]:
    """Hostile cases in two jurisdictions, with their plans."""
    out = {}
    for jurisdiction, currency in (("GB", "GBP"), ("CN", "CNY")):
        case = parse_case(hostile_raw(jurisdiction, currency))
        out[jurisdiction] = (case, make_plan(case))
    return out
