"""The budget in the Standard Financial Statement summary shape (SFS v1.1).

The required keys and types below are those of the published schema,
moneyadviceservice/sfs-developer-toolkit ``dds/v1.1/json/sfs-summary-schema.json``
(amounts are JSON numbers, multiples of 0.01), except ``client-date-of-birth``,
which Parley does not record and leaves out on purpose (see ``domain/sfs.py``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from webapp.domain.casefile import loads
from webapp.domain.sfs import dumps, sfs_summary

DATA = Path(__file__).resolve().parents[1] / "data"

TOP = ["client-name", "is-joint-application", "client-address",
       "dependent-children-under-16", "dependent-children-16-18", "other-dependents",
       "non-dependents", "total-number-in-household", "vehicles", "housing-tenure",
       "client-employment-status"]
OVERVIEW = ["total-monthly-income", "total-monthly-outgoings", "savings-contribution",
            "debt-admin-fee", "total-available-for-priority-debts",
            "total-available-for-non-priority-debts"]
INCOME = ["total-earnings", "total-benefits", "total-pensions", "total-other-income",
          "total-monthly-income"]
FIXED = ["rent", "mortgage", "secured-loans", "council-tax-rates", "other-home-contents", "gas",
         "electricity", "other-utilities", "total-water", "total-care-health",
         "total-transport-travel", "total-school", "total-pensions-insurances",
         "total-professional", "total-other-essential", "total-fixed-costs"]
FLEXIBLE = ["total-communications-leisure", "total-food-housekeeping", "total-personal",
            "total-flexible-costs"]
TENURES = {"Owner", "Mortgage", "Living with parents", "Tenant - private sector",
           "Tenant - social", "other"}


def gb_family(**changes):
    raw = json.loads((DATA / "letters" / "gb-family.json").read_text())
    raw.update(changes)
    return loads(json.dumps(raw))


def decoded(case, offers=None) -> dict:
    return json.loads(dumps(sfs_summary(case, offers)), parse_float=Decimal)


def is_amount(value) -> bool:
    return isinstance(value, Decimal) and value == value.quantize(Decimal("0.01"))


def test_the_export_has_every_required_key_with_the_schemas_types():
    out = decoded(gb_family())
    assert all(k in out for k in TOP)
    assert isinstance(out["is-joint-application"], bool)
    for key in TOP[3:9]:
        assert isinstance(out[key], int) and not isinstance(out[key], bool)
    assert out["housing-tenure"] in TENURES
    assert out["client-employment-status"] == ["Other"]
    assert all(is_amount(out["overview"][k]) for k in OVERVIEW)
    assert all(is_amount(out["monthly-income"][k]) for k in INCOME)
    assert all(is_amount(out["monthly-outgoings"]["fixed-costs"][k]) for k in FIXED)
    assert all(is_amount(out["monthly-outgoings"]["flexible-costs"][k]) for k in FLEXIBLE)
    assert is_amount(out["monthly-outgoings"]["total-monthly-outgoings"])
    debts = out["debts"]
    assert is_amount(debts["total-priority-debts"]) and is_amount(debts["total-non-priority-debts"])
    for row in debts["priority-debts"] + debts["non-priority-debts"]:
        assert isinstance(row["creditor"], str)
        assert is_amount(row["amount-owed"]) and is_amount(row["repayment-offer"])
    assert all(isinstance(n, str) for n in out["notes"])
    assert "client-date-of-birth" not in out


def test_the_figures_are_the_budgets_own():
    # wages 310 a week = 1,343.33; child benefit 169.60 every four weeks = 183.73
    # rent 725, food 95 a week = 411.67, energy 140; Octopus (priority) 35 a month
    out = decoded(gb_family())
    assert out["overview"]["total-monthly-income"] == Decimal("1527.07")
    assert out["overview"]["total-monthly-outgoings"] == Decimal("1276.67")
    assert out["overview"]["total-available-for-priority-debts"] == Decimal("250.40")
    assert out["overview"]["total-available-for-non-priority-debts"] == Decimal("215.40")
    fixed = out["monthly-outgoings"]["fixed-costs"]
    assert (fixed["rent"], fixed["mortgage"], fixed["other-utilities"]) == (
        Decimal("725.00"), Decimal("0.00"), Decimal("140.00"))
    flexible = out["monthly-outgoings"]["flexible-costs"]
    assert flexible["total-food-housekeeping"] == Decimal("411.67")
    assert out["debts"]["priority-debts"] == [
        {"creditor": "Octopus Energy", "amount-owed": Decimal("420.00"),
         "repayment-offer": Decimal("35.00")}]
    assert [d["creditor"] for d in out["debts"]["non-priority-debts"]] == ["Vanquis", "Klarna"]
    assert out["debts"]["total-non-priority-debts"] == Decimal("2410.00")
    assert out["total-number-in-household"] == 3 and out["dependent-children-under-16"] == 2
    assert out["is-joint-application"] is False and out["vehicles"] == 0


def test_amounts_are_written_as_numbers_with_two_decimals():
    text = dumps(sfs_summary(gb_family()))
    assert '"total-monthly-income": 1527.07,' in text
    assert '"savings-contribution": 0.00,' in text
    assert '"sfs-number-' not in text


def test_offers_and_reasons_and_a_car_go_in():
    case = gb_family(household={"adults": 2, "children": 2, "car": True},
                     spending_reasons={"food": "Coeliac diet for our son"})
    out = decoded(case, {"vanq": Decimal("150.40")})
    vanquis = out["debts"]["non-priority-debts"][0]
    assert vanquis["repayment-offer"] == Decimal("150.40") and vanquis["ccj"] is False
    assert out["notes"][0] == "Food and housekeeping: Coeliac diet for our son"
    assert out["vehicles"] == 1 and out["is-joint-application"] is True


def test_housing_is_a_mortgage_when_the_case_has_one():
    raw = json.loads((DATA / "letters" / "gb-family.json").read_text())
    raw["debts"].append({"id": "home", "creditor": "Nationwide", "kind": "mortgage",
                         "balance": "90000", "apr": "4", "contractual_payment": "600"})
    fixed = decoded(loads(json.dumps(raw)))["monthly-outgoings"]["fixed-costs"]
    assert (fixed["rent"], fixed["mortgage"]) == (Decimal("0.00"), Decimal("725.00"))
