import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.domain.casefile import MONEY_MAX, MalformedJSON, dump_case, loads, parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.model import (
    JURISDICTIONS,
    Borrower,
    BudgetItem,
    Case,
    Debt,
    DebtKind,
    ExpenseCategory,
    Frequency,
    Holder,
    Household,
    Options,
    ProRataBasis,
)
from webapp.domain.strategies import TERM_LIMITS

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"


def minimal(**changes) -> dict:
    data = {
        "format": "parley-case/1",
        "currency": "GBP",
        "jurisdiction": "GB",
        "start_date": "2027-01-31",
        "household": {"adults": 1, "children": 0},
        "income": [{"label": "Wages", "amount": "1500", "frequency": "monthly"}],
        "expenses": [
            {"label": "Rent", "category": "housing", "amount": "700", "frequency": "monthly"}
        ],
        "debts": [
            {
                "id": "a",
                "creditor": "A Bank",
                "kind": "credit_card",
                "balance": "1000.50",
                "apr": "19.9",
                "contractual_payment": "30",
            },
        ],
    }
    data.update(changes)
    return data


def errors_of(data) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        parse_case(data)
    return {e.path: e.message for e in caught.value.errors}


@pytest.mark.parametrize(
    "name", ["cn-credit-cards.json", "gb-family.json", "us-with-priority.json"]
)
def test_every_shipped_example_parses_and_survives_a_round_trip(name):
    case = loads((EXAMPLES / name).read_bytes())
    assert parse_case(json.loads(json.dumps(dump_case(case)))) == case


def test_a_minimal_case_parses_to_exact_decimals():
    case = parse_case(minimal())
    assert case.start_date == date(2027, 1, 31)
    assert case.debts[0].balance == Decimal("1000.50")
    assert case.debts[0].apr == Decimal("19.9")
    assert case.options.min_offer == Decimal("1")


def test_json_numbers_are_read_through_their_decimal_text():
    debt = minimal()["debts"][0] | {"balance": 0.1, "apr": 18, "contractual_payment": 30.25}
    case = parse_case(minimal(debts=[debt]))
    assert case.debts[0].balance == Decimal("0.10")
    assert case.debts[0].contractual_payment == Decimal("30.25")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "must be ≥ 0"),
        ("1.005", "must have at most 2 decimal places"),
        ("NaN", "'NaN' is not a decimal number"),
        ("Infinity", "'Infinity' is not a decimal number"),
        ("1e3", "'1e3' is not a decimal number"),
        (True, 'must be a decimal string such as "1234.50"'),
        (None, 'must be a decimal string such as "1234.50"'),
        ("1000000000000.00", "must be at most 999,999,999,999.99"),  # Numeric(14, 2)
        (float("nan"), "must be a finite number"),
    ],
)
def test_a_bad_balance_is_refused_with_its_path(value, message):
    debt = minimal()["debts"][0] | {"balance": value}
    assert errors_of(minimal(debts=[debt])) == {"debts[0].balance": message}


def test_every_problem_is_reported_at_once_with_its_path():
    data = minimal(
        format="parley-case/2",
        currency="gbp",
        jurisdiction="FR",
        start_date="2027-02-30",
        household={"adults": 0, "children": True},
        income=[{"label": "", "amount": "1", "frequency": "daily"}],
    )
    data["expenses"][0]["category"] = "toys"
    data["debts"].append(data["debts"][0] | {"kind": "loan", "apr": "12.34567"})
    assert set(errors_of(data)) == {
        "format",
        "currency",
        "jurisdiction",
        "start_date",
        "household.adults",
        "household.children",
        "income[0].label",
        "income[0].frequency",
        "expenses[0].category",
        "debts[1].kind",
        "debts[1].apr",
        "debts[1].id",
    }


def test_a_duplicate_debt_id_is_named_on_the_second_debt():
    debt = minimal()["debts"][0]
    assert errors_of(minimal(debts=[debt, debt])) == {"debts[1].id": "duplicate id 'a'"}


@pytest.mark.parametrize("apr", ["1000.0001", "-0.5", "12.34567"])
def test_an_apr_outside_0_to_1000_or_with_five_places_is_refused(apr):
    debt = minimal()["debts"][0] | {"apr": apr}
    assert list(errors_of(minimal(debts=[debt]))) == ["debts[0].apr"]


def test_missing_required_fields_are_named():
    data = minimal()
    del data["start_date"]
    del data["debts"][0]["creditor"]
    assert errors_of(data) == {"start_date": "is required", "debts[0].creditor": "is required"}


def test_optional_extensions_are_read():
    debt = minimal()["debts"][0] | {
        "priority": True,
        "days_overdue": 75,
        "account_ref": "4929 **** 1234",
        "creditor_address": "1 High St",
        "creditor_email": "c@example.com",
        "creditor_phone": "0800",
    }
    case = parse_case(
        minimal(
            debts=[debt],
            title="Our plan",
            language="zh_CN",
            borrower={"name": "王芳", "email": "w@example.com"},
            lump_sum=500,
            options={"min_offer": "5"},
        )
    )
    assert case.debts[0].is_priority and case.debts[0].days_overdue == 75
    assert case.debts[0].account_ref == "4929 **** 1234"
    assert case.borrower == Borrower(name="王芳", email="w@example.com")
    assert case.lump_sum == Decimal("500.00") and case.options.min_offer == Decimal("5")


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("days_overdue", -1, "debts[0].days_overdue"),
        ("days_overdue", 1.5, "debts[0].days_overdue"),
        ("priority", "yes", "debts[0].priority"),
        ("creditor", "  ", "debts[0].creditor"),
    ],
)
def test_bad_debt_extensions_are_refused(field, value, path):
    debt = minimal()["debts"][0] | {field: value}
    assert list(errors_of(minimal(debts=[debt]))) == [path]


def test_who_holds_a_debt_is_read_and_written_back_only_when_not_the_default():
    raw = minimal()
    buyer = raw["debts"][0] | {"id": "b", "holder": "debt_buyer"}
    agency = raw["debts"][0] | {"id": "c", "holder": "collection_agency"}
    lender = raw["debts"][0] | {"id": "l", "holder": None}
    case = parse_case(minimal(debts=[raw["debts"][0], buyer, agency, lender]))
    assert [d.holder for d in case.debts] == [
        Holder.ORIGINAL_CREDITOR, Holder.DEBT_BUYER, Holder.COLLECTION_AGENCY,
        Holder.ORIGINAL_CREDITOR,
    ]
    dumped = dump_case(case)
    assert [d.get("holder") for d in dumped["debts"]] == [
        None, "debt_buyer", "collection_agency", None]
    assert "holder" not in dumped["debts"][0]
    assert parse_case(dumped) == case


@pytest.mark.parametrize("value", ["collector", "", 1, True])
def test_an_unknown_holder_is_refused_with_its_path(value):
    debt = minimal()["debts"][0] | {"holder": value}
    assert errors_of(minimal(debts=[debt])) == {
        "debts[0].holder": "must be one of original_creditor, collection_agency, debt_buyer"}


def test_where_the_lump_sum_comes_from_round_trips_and_is_bounded():
    case = parse_case(minimal(lump_sum="900", lump_sum_source="my redundancy pay"))
    assert case.lump_sum_source == "my redundancy pay"
    assert dump_case(case)["lump_sum_source"] == "my redundancy pay"
    assert "lump_sum_source" not in dump_case(parse_case(minimal()))
    assert errors_of(minimal(lump_sum_source="x" * 301)) == {
        "lump_sum_source": "must be at most 300 characters"}


def test_a_zero_min_offer_is_refused():
    assert list(errors_of(minimal(options={"min_offer": "0"}))) == ["options.min_offer"]


def test_a_case_that_is_not_an_object_is_refused():
    assert errors_of([1, 2]) == {"": "must be an object"}


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": -Infinity}', "{", b"\xff\xfe{", "[1,]"])
def test_text_that_is_not_json_raises_malformed_json(text):
    with pytest.raises(MalformedJSON) as caught:
        loads(text)
    assert caught.value.errors[0].path == ""


def test_malformed_json_says_where():
    with pytest.raises(MalformedJSON, match="line 2 column 1"):
        loads('{"format":\n}')


def test_a_valid_json_that_breaks_the_contract_is_a_plain_validation_error():
    with pytest.raises(ValidationError) as caught:
        loads("{}")
    assert not isinstance(caught.value, MalformedJSON)


def test_loads_reads_a_utf8_bom_and_exact_decimals():
    text = json.dumps(minimal()).replace('"1000.50"', "1000.10").encode("utf-8-sig")
    assert loads(text).debts[0].balance == Decimal("1000.10")


# ---- round trip -----------------------------------------------------------

# Valid case-file text: any Unicode but surrogates and control characters.
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               max_size=12)
names = st.one_of(
    st.sampled_from(["工商银行", "微粒贷", "Vanquis", "Crédit Agricole"]), text
).filter(lambda s: s.strip())
money = st.decimals(min_value=0, max_value=MONEY_MAX, places=2, allow_nan=False,
                   allow_infinity=False)
aprs = st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def cases(draw) -> Case:
    def item(category):
        return BudgetItem(
            draw(names),
            draw(money),
            draw(st.sampled_from(list(Frequency))),
            draw(st.sampled_from(list(ExpenseCategory))) if category else None,
        )

    ids = draw(st.lists(names, max_size=4, unique=True))
    debts = tuple(
        Debt(
            i,
            draw(names),
            draw(st.sampled_from(list(DebtKind))),
            draw(money),
            draw(aprs),
            draw(money),
            draw(st.none() | st.booleans()),
            draw(st.none() | st.integers(0, 1000)),
            draw(text),
            draw(text),
            draw(text),
            draw(text),
            draw(st.sampled_from(list(Holder))),
        )
        for i in ids
    )
    jurisdiction = draw(st.sampled_from(JURISDICTIONS))
    options = Options(
        draw(money.filter(lambda m: m > 0)),
        draw(st.sampled_from(list(ProRataBasis))),
        draw(st.none() | st.integers(1, TERM_LIMITS[jurisdiction])),
        draw(st.decimals(min_value=0, max_value=100, places=4, allow_nan=False,
                         allow_infinity=False)),
    )
    return Case(
        draw(st.sampled_from(["CNY", "GBP", "USD", "EUR"])),
        jurisdiction,
        draw(st.dates(date(1990, 1, 1), date(2300, 12, 31))),
        Household(draw(st.integers(1, 9)), draw(st.integers(0, 9))),
        tuple(item(False) for _ in range(draw(st.integers(0, 3)))),
        tuple(item(True) for _ in range(draw(st.integers(0, 3)))),
        debts,
        draw(st.none() | money),
        options,
        draw(text),
        draw(st.sampled_from(["", "en", "zh_CN"])),
        Borrower(draw(text), draw(text), draw(text), draw(text)),
        draw(text),
    )


@settings(max_examples=150, deadline=None)
@given(cases())
def test_every_valid_case_survives_dump_and_parse(case):
    dumped = json.loads(json.dumps(dump_case(case), ensure_ascii=False))
    assert parse_case(dumped) == case


@pytest.mark.parametrize(("field", "value", "message"), [
    ("creditor", "x" * 301, "must be at most 300 characters"),
    ("id", "i" * 41, "must be at most 40 characters"),
    ("creditor", "bad\x00name", "must not contain control characters"),
    ("creditor_address", "line 1\x1bline 2", "must not contain control characters"),
])
def test_text_that_the_database_cannot_hold_is_refused_with_its_path(field, value, message):
    data = json.loads((EXAMPLES / "gb-family.json").read_text())
    data["debts"][0][field] = value
    with pytest.raises(ValidationError) as caught:
        parse_case(data)
    assert [(e.path, e.message) for e in caught.value.errors] == [(f"debts[0].{field}", message)]


def test_newlines_in_an_address_are_fine():
    data = json.loads((EXAMPLES / "gb-family.json").read_text())
    data["debts"][0]["creditor_address"] = "1 High Street\nLeeds\tLS1 1AA"
    assert parse_case(data).debts[0].creditor_address == "1 High Street\nLeeds\tLS1 1AA"


def test_a_letter_language_parley_cannot_write_is_refused():
    data = json.loads((EXAMPLES / "gb-family.json").read_text())
    data["language"] = "fr"
    with pytest.raises(ValidationError) as caught:
        parse_case(data)
    assert [e.path for e in caught.value.errors] == ["language"]
