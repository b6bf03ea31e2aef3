"""The one text rule (domain/text.py), shared by the forms and the case-file parser."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_worst_case
from webapp.domain.casefile import dump_case, parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.text import REFUSED, clean, normalise, text_problem


@pytest.mark.parametrize(("raw", "stored"), [
    ("1 High St\r\nLeeds\rLS1", "1 High St\nLeeds\nLS1"),
    ("Shift+Enter\x0bin Word", "Shift+Enter\nin Word"),
    ("page\x0cbreak\x85next\u2028line", "page\nbreak\nnext\u2028line"),
    ("Cafe\u0301 豈", "Cafe\u0301 豈"),  # not NFC: a name is kept as typed
    ("tab\tstays", "tab\tstays"),
])
def test_line_breaks_become_newlines_and_nothing_else_changes(raw, stored):
    assert normalise(raw) == stored
    assert text_problem(stored) is None


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00", "\x7f", "\x9b", "\ud800"])
def test_other_control_characters_are_refused(char):
    assert text_problem(normalise(f"a{char}b")) == "must not contain control characters"
    assert clean(f"a{char}b") == "ab"


@given(st.text())
def test_normalising_is_idempotent_and_clean_text_passes(value):
    once = normalise(value)
    assert normalise(once) == once
    assert text_problem(clean(value)) is None
    assert clean(clean(value)) == clean(value)


def _case_with(field: str, value: str) -> dict:
    case = make_worst_case(debts=1, income=1, expenses=1)
    if field == "label":
        case["income"][0]["label"] = value
    else:
        case["debts"][0][field] = value
    return case


@given(value=st.text(max_size=60), field=st.sampled_from(["creditor", "creditor_address",
                                                          "account_ref", "label"]))
def test_the_parser_applies_the_same_rule_as_the_forms(value, field):
    """Whatever the rule accepts the parser keeps (normalised) and writes back
    unchanged; whatever it refuses the parser refuses at that field's path."""
    stored = normalise(value)
    accepted = text_problem(stored) is None and (field in ("creditor_address", "account_ref")
                                                 or stored.strip())
    try:
        case = parse_case(_case_with(field, value))
    except ValidationError as exc:
        assert not accepted, exc
        return
    assert accepted
    got = case.income[0].label if field == "label" else getattr(case.debts[0], field)
    assert got == stored
    assert parse_case(dump_case(case)) == case


@pytest.mark.parametrize("char", ["\x1b", "\x07"])
def test_the_parser_names_the_field_with_a_control_character(char):
    with pytest.raises(ValidationError) as caught:
        parse_case(_case_with("creditor", f"Bad{char}Bank"))
    assert str(caught.value) == "debts[0].creditor: must not contain control characters"


def test_a_carriage_return_in_a_case_file_is_a_line_break_not_an_error():
    case = parse_case(_case_with("creditor_address", "PO Box 1\r\nLeeds\rLS1"))
    assert case.debts[0].creditor_address == "PO Box 1\nLeeds\nLS1"


def test_the_refused_set_is_what_the_schema_pattern_refuses():
    import re

    from webapp.domain.text import SCHEMA_PATTERN

    pattern = re.compile(SCHEMA_PATTERN)
    for code in range(0x100):
        char = chr(code)
        assert (pattern.match(char) is None) == bool(REFUSED.match(normalise(char))), hex(code)
