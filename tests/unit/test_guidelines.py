"""Spending guidelines as data: each shipped table per household size, with the
exact published (or, for the UK, example) figures; the check; an agency's file."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from webapp.domain.errors import ValidationError
from webapp.domain.guidelines import (
    CAR_UNKNOWN,
    HOUSEHOLD_SIZE,
    NOT_LOADED,
    SHIPPED,
    check_spending,
    load_guidelines,
    table_for,
)
from webapp.domain.guidelines.shipped import IRS_2024, IRS_OUT_OF_POCKET_65_AND_OLDER
from webapp.domain.model import BudgetItem, Case, ExpenseCategory, Frequency, Household

C = ExpenseCategory


def household(adults: int, children: int = 0, car: bool | None = None) -> Household:
    return Household(adults, children, car)


def figure(table: str, category: ExpenseCategory, home: Household) -> Decimal | None:
    guideline = next(g for g in SHIPPED[table].guidelines if category in g.categories)
    return guideline.figure.amount(home)


# --- US: IRS Collection Financial Standards, effective 22 April 2024 ---------------

#: The IRS's published figures (monthly, one to four persons).
IRS_FOOD = ["458", "820", "977", "1143"]
IRS_HOUSEKEEPING = ["44", "75", "83", "82"]
IRS_APPAREL = ["87", "157", "187", "300"]


@pytest.mark.parametrize("persons", [1, 2, 3, 4])
def test_the_irs_2024_national_standards_per_household_size(persons):
    home = household(persons)
    i = persons - 1
    assert IRS_2024["food"].amount(home) == Decimal(IRS_FOOD[i])
    assert IRS_2024["housekeeping_supplies"].amount(home) == Decimal(IRS_HOUSEKEEPING[i])
    assert IRS_2024["apparel_services"].amount(home) == Decimal(IRS_APPAREL[i])
    # Parley's "food and housekeeping" is both IRS rows together
    assert figure("US", C.FOOD, home) == Decimal(IRS_FOOD[i]) + Decimal(IRS_HOUSEKEEPING[i])
    # out-of-pocket health care: $83 a person under 65
    assert figure("US", C.CARE_HEALTH, home) == Decimal(83 * persons)


@pytest.mark.parametrize(("adults", "children", "food"), [
    (1, 0, "502.00"), (2, 0, "895.00"), (1, 2, "1060.00"), (2, 1, "1060.00"),
    (2, 2, "1225.00")])
def test_children_count_as_persons_in_the_irs_table(adults, children, food):
    assert figure("US", C.FOOD, household(adults, children)) == Decimal(food)


def test_the_irs_figures_are_the_2024_ones_with_their_source():
    us = SHIPPED["US"]
    assert us.name == "IRS Collection Financial Standards"
    assert us.year == "effective 22 April 2024"
    assert "irs.gov" in us.source and not us.example
    assert IRS_OUT_OF_POCKET_65_AND_OLDER == Decimal("158")


def test_the_us_table_names_where_each_figure_was_read_and_what_is_left_out():
    from webapp.domain.guidelines.shipped import IRS_SOURCES

    assert IRS_SOURCES["out_of_pocket_health"] == (
        "https://www.irs.gov/businesses/small-businesses-self-employed/"
        "national-standards-out-of-pocket-health-care")
    assert "2024 Allowable Living Expenses National Standards" in IRS_SOURCES[
        "national_standards"]
    notes = SHIPPED["US"].notes
    assert "$158 from 65" in notes
    for left_out in ("personal care", "miscellaneous", "each person above four",
                     "housing, utilities and transport"):
        assert left_out in notes


@pytest.mark.parametrize("car", [None, True, False])
def test_the_irs_local_standards_have_their_shape_and_no_figure(car):
    """Transport is ownership + operating costs with a car, public transportation
    without: none verified, so "not loaded" (never a question about the car)."""
    checks = {c.key: c for c in check_spending(case(home=Household(1, 0, car)),
                                               SHIPPED["US"])}
    assert checks["transport"].guideline is None
    assert checks["transport"].missing == NOT_LOADED
    assert checks["housing"].missing == NOT_LOADED


def test_what_the_irs_table_does_not_ship_is_not_compared():
    """Five persons need the IRS's additional-person amount, not shipped; personal care,
    miscellaneous and the local standards (county, region) are not shipped either."""
    big = household(3, 2)
    assert figure("US", C.FOOD, big) is None
    for category in (C.PERSONAL, C.OTHER, C.HOUSING, C.UTILITIES, C.TRANSPORT):
        assert figure("US", category, household(1)) is None
    assert figure("US", C.CARE_HEALTH, big) == Decimal("415.00")  # per person: any size


# --- GB: the SFS categories with Parley's example figures ---------------------------

@pytest.mark.parametrize(("adults", "children", "food", "comms", "personal"), [
    (1, 0, "300.00", "90.00", "70.00"),
    (2, 0, "450.00", "130.00", "115.00"),
    (2, 1, "550.00", "155.00", "155.00"),
    (1, 2, "500.00", "140.00", "150.00"),
    (3, 3, "900.00", "245.00", "280.00"),
])
def test_the_uk_example_figures_grow_with_each_adult_and_child(
        adults, children, food, comms, personal):
    home = household(adults, children)
    assert figure("GB", C.FOOD, home) == Decimal(food)
    assert figure("GB", C.COMMUNICATIONS, home) == Decimal(comms)
    assert figure("GB", C.PERSONAL, home) == Decimal(personal)


@pytest.mark.parametrize(("car", "travel"), [(True, "350.00"), (False, "160.00"),
                                             (None, None)])
def test_the_uk_example_travel_figure_depends_on_a_car(car, travel):
    assert figure("GB", C.TRANSPORT, household(2, 1, car)) == (
        None if travel is None else Decimal(travel))


def test_the_uk_table_says_its_figures_are_examples():
    gb = SHIPPED["GB"]
    assert gb.example and gb.year == "example"
    assert "not the Standard Financial Statement spending guidelines" in gb.source


def test_china_ships_no_figures_and_says_so():
    cn = SHIPPED["CN"]
    assert cn.guidelines == () and "最低生活保障" in cn.source
    assert table_for("other") is None


# --- the check ----------------------------------------------------------------------

THREE = Household(2, 1)


def case(*expenses: tuple[str, str, str, str], home: Household = THREE,
         jurisdiction: str = "US") -> Case:
    items = tuple(BudgetItem(label, Decimal(amount), Frequency(freq), C(cat))
                  for label, amount, freq, cat in [(e[0], e[1], e[2], e[3]) for e in expenses])
    return Case("USD", jurisdiction, date(2027, 1, 1), home, expenses=items)


def test_food_40_percent_above_the_figure_for_a_household_of_three():
    # three persons: food 977 + housekeeping 83 = 1,060; 1,484 is 40% above it
    checks = check_spending(case(("Groceries", "1484", "monthly", "food")), SHIPPED["US"])
    food = next(c for c in checks if c.key == "food")
    assert (food.spent, food.guideline) == (Decimal("1484.00"), Decimal("1060.00"))
    assert food.flagged and food.over == Decimal("424.00") and food.percent_over == 40


def test_the_check_uses_monthly_equivalents_of_every_line_in_the_category():
    # 150 a week (650.00) + 400 a month = 1,050.00: under 1,060
    checks = check_spending(case(("Shop", "150", "weekly", "food"),
                                 ("Market", "400", "monthly", "food")), SHIPPED["US"])
    food = next(c for c in checks if c.key == "food")
    assert food.spent == Decimal("1050.00") and not food.flagged and food.percent_over is None


def test_a_cent_above_is_flagged_as_at_least_one_percent():
    checks = check_spending(case(("Food", "1060.01", "monthly", "food")), SHIPPED["US"])
    assert next(c for c in checks if c.key == "food").percent_over == 1


def test_why_a_guideline_gives_no_figure():
    checks = {c.key: c for c in check_spending(
        case(home=Household(2, 4), jurisdiction="GB"), SHIPPED["GB"])}
    assert checks["transport"].missing == CAR_UNKNOWN
    us = {c.key: c for c in check_spending(case(home=Household(2, 4)), SHIPPED["US"])}
    assert us["food"].missing == HOUSEHOLD_SIZE
    assert us["other"].missing == NOT_LOADED and us["housing"].missing == NOT_LOADED
    assert us["housing"].categories == (C.HOUSING, C.UTILITIES)


def test_housing_and_utilities_are_compared_together_when_loaded():
    table = load_guidelines(json.dumps({"format": "parley-guidelines/1", "tables": [{
        "jurisdiction": "US", "currency": "USD", "name": "IRS Local Standards, Example County",
        "source": "irs.gov local standards", "year": "2024",
        "guidelines": [{"categories": ["housing", "utilities"],
                        "figure": {"by_persons": ["1800", "2100", "2200", "2400", "2450"]}}],
    }]}))["US"]
    c = case(("Rent", "1900", "monthly", "housing"), ("Power", "400", "monthly", "utilities"))
    [check] = check_spending(c, table)
    assert (check.spent, check.guideline, check.percent_over) == (
        Decimal("2300.00"), Decimal("2200.00"), 5)


#: A county table in the IRS's shape for a test: NOT IRS figures (Parley ships none).
COUNTY = {"format": "parley-guidelines/1", "tables": [{
    "jurisdiction": "US", "currency": "USD", "extends": "shipped",
    "name": "IRS Local Standards, Test County", "year": "test",
    "source": "test figures in the IRS's shape",
    "guidelines": [
        {"categories": ["housing", "utilities"],
         "figure": {"by_persons": ["1000", "1100", "1200", "1300", "1400"],
                    "each_additional": "0"}},
        {"categories": ["transport"],
         "figure": {"with_car": {"total": [{"flat": "600"}, {"flat": "250"}]},
                    "without_car": {"flat": "200"}}}]}]}


@pytest.mark.parametrize(("adults", "children", "housing"), [
    (1, 0, "1000.00"), (2, 0, "1100.00"), (2, 1, "1200.00"), (2, 2, "1300.00"),
    (2, 3, "1400.00"), (3, 4, "1400.00")])  # "five or more": the same figure from five
def test_a_county_table_in_the_irs_shape_per_family_size(adults, children, housing):
    us = load_guidelines(json.dumps(COUNTY))["US"]
    guideline = next(g for g in us.guidelines if C.HOUSING in g.categories)
    assert guideline.figure.amount(household(adults, children)) == Decimal(housing)


@pytest.mark.parametrize(("car", "transport"), [(True, "850.00"), (False, "200.00"),
                                                (None, None)])
def test_transport_in_the_irs_shape_ownership_and_operating_or_public(car, transport):
    us = load_guidelines(json.dumps(COUNTY))["US"]
    checks = {c.key: c for c in check_spending(case(home=Household(2, 1, car)), us)}
    assert checks["transport"].guideline == (None if transport is None else Decimal(transport))
    if car is None:
        assert checks["transport"].missing == CAR_UNKNOWN  # now a car makes a difference


def test_extending_the_shipped_table_keeps_the_national_standards():
    us = load_guidelines(json.dumps(COUNTY))["US"]
    keys = [g.key for g in us.guidelines]
    assert keys == ["food", "personal", "care_health", "other", "housing", "transport"]
    assert figure_of(us, C.FOOD, household(2, 1)) == Decimal("1060.00")  # shipped 977 + 83
    assert figure_of(us, C.CARE_HEALTH, household(2, 1)) == Decimal("249.00")
    assert us.source == ("test figures in the IRS's shape; other figures: IRS Collection "
                         "Financial Standards, effective 22 April 2024 (" + SHIPPED["US"].source
                         + ")")
    assert not us.example


def test_extends_accepts_only_shipped():
    data = json.loads(json.dumps(COUNTY))
    data["tables"][0]["extends"] = "mine"
    with pytest.raises(ValidationError) as info:
        load_guidelines(json.dumps(data))
    assert [e.path for e in info.value.errors] == ["tables[0].extends"]


def test_a_flat_figure_is_the_same_for_every_household():
    from webapp.domain.guidelines import Flat

    assert {Flat(Decimal("244")).amount(household(n)) for n in (1, 3, 7)} == {
        Decimal("244.00")}


def figure_of(table, category, home):
    return next(g for g in table.guidelines if category in g.categories).figure.amount(home)


# --- an agency's own file -----------------------------------------------------------

AGENCY = {
    "format": "parley-guidelines/1",
    "tables": [{
        "jurisdiction": "GB", "currency": "GBP", "name": "SFS spending guidelines",
        "source": "Money and Pensions Service, SFS member area", "year": "2025",
        "guidelines": [
            {"categories": ["food"],
             "figure": {"first_adult": "310", "other_adult": "155.50", "child": "105"}},
            {"categories": ["transport"],
             "figure": {"with_car": {"per_person": "120"},
                        "without_car": {"by_persons": ["60", "110"], "each_additional": "40"}}},
            {"categories": ["personal"], "figure": {"total": [{"per_person": "30"},
                                                              {"by_persons": ["20"]}]}},
            {"categories": ["other"], "figure": {"not_loaded": "to follow"}},
        ],
    }, {"jurisdiction": "CN", "currency": "CNY", "name": "上海市最低生活保障", "year": "2025",
        "source": "上海市民政局", "guidelines": [
            {"categories": ["food"], "figure": {"per_person": "1510"}}]}],
}


def test_an_agencys_file_replaces_the_shipped_table_of_its_jurisdictions():
    tables = load_guidelines(json.dumps(AGENCY))
    assert set(tables) == {"GB", "CN"}
    gb = table_for("GB", tables)
    assert gb.name == "SFS spending guidelines" and not gb.example
    assert table_for("US", tables) is SHIPPED["US"]
    food = gb.guidelines[0].figure
    assert food.amount(Household(2, 2)) == Decimal("675.50")
    travel = gb.guidelines[1].figure
    assert travel.amount(Household(1, 0, False)) == Decimal("60.00")
    assert travel.amount(Household(2, 2, False)) == Decimal("190.00")  # 110 + 2 × 40
    assert travel.amount(Household(2, 1, True)) == Decimal("360.00")
    personal = gb.guidelines[2].figure
    assert personal.amount(Household(1)) == Decimal("50.00")
    assert personal.amount(Household(2)) is None  # one part has no figure for two
    assert table_for("CN", tables).guidelines[0].figure.amount(Household(2, 1)) == Decimal(
        "4530.00")


@pytest.mark.parametrize(("change", "path", "message"), [
    (lambda d: d.update(format="x"), "format", "must be 'parley-guidelines/1'"),
    (lambda d: d.update(tables=[]), "tables", "must be a list of tables"),
    (lambda d: d["tables"][0].update(jurisdiction="FR"), "tables[0].jurisdiction",
     "must be one of CN, US, GB, other"),
    (lambda d: d["tables"][1].update(jurisdiction="GB"), "tables[1].jurisdiction",
     "GB has a table already"),
    (lambda d: d["tables"][0].update(currency="gbp"), "tables[0].currency", "ISO 4217"),
    (lambda d: d["tables"][0].pop("source"), "tables[0].source", "is required"),
    (lambda d: d["tables"][0]["guidelines"][0].update(categories=["food", "pets"]),
     "tables[0].guidelines[0].categories", "must be a list of: housing"),
    (lambda d: d["tables"][0]["guidelines"][1].update(categories=["food"]),
     "tables[0].guidelines[1].categories", "food is in another guideline already"),
    (lambda d: d["tables"][0]["guidelines"][0]["figure"].update(child="-1"),
     "tables[0].guidelines[0].figure.child", "must be from 0"),
    (lambda d: d["tables"][0]["guidelines"][0]["figure"].update(child="1.234"),
     "tables[0].guidelines[0].figure.child", "at most 2 decimal places"),
    (lambda d: d["tables"][0]["guidelines"][0]["figure"].update(child="NaN"),
     "tables[0].guidelines[0].figure.child", "must be from 0"),
    (lambda d: d["tables"][0]["guidelines"][0].update(figure={"per_person": "1",
                                                             "child": "2"}),
     "tables[0].guidelines[0].figure", "must be one figure"),
    (lambda d: d["tables"][0]["guidelines"][1]["figure"]["without_car"].update(by_persons=[]),
     "tables[0].guidelines[1].figure.without_car.by_persons", "list of 1 to 20 amounts"),
])
def test_a_bad_file_names_the_field_and_what_is_wrong(change, path, message):
    data = json.loads(json.dumps(AGENCY))
    change(data)
    with pytest.raises(ValidationError) as info:
        load_guidelines(json.dumps(data))
    found = {e.path: e.message for e in info.value.errors}
    assert path in found and message in found[path], found


def test_not_json_at_all_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="not valid JSON"):
        load_guidelines("{tables")


def test_the_documented_template_loads_and_says_it_is_an_example():
    """docs/spending-guidelines.example.json: the file an agency copies for
    SPENDING_GUIDELINES_FILE; its figures are Parley's examples, marked so."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "docs" / "spending-guidelines.example.json"
    gb = load_guidelines(path.read_text(encoding="utf-8"))["GB"]
    assert gb.example and "NOT the SFS spending guidelines" in gb.source
    home = household(2, 1, False)
    shipped = {g.key: g.figure.amount(home) for g in SHIPPED["GB"].guidelines}
    assert {g.key: g.figure.amount(home) for g in gb.guidelines} == shipped
