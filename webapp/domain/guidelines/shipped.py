"""The guideline tables Parley ships, each with its source and year.

* **US**: the IRS Collection Financial Standards effective 22 April 2024
  (irs.gov, "National Standards: Food, Clothing and Other Items" and "National
  Standards: Out-of-Pocket Health Care"). Shipped are the figures Parley could
  check against the IRS's own publications: food, housekeeping supplies and
  apparel & services for one to four persons, and out-of-pocket health care
  per person. Not shipped, so not compared until an agency loads them: the
  personal care and miscellaneous rows and the amount for each person above
  four (not verified), and the Local Standards for housing and utilities
  (by county) and transportation (by region, and whether there is a car).
* **GB**: the Standard Financial Statement's categories with **example**
  trigger figures made up by Parley: the SFS spending guidelines are given to
  SFS member organisations only. An agency loads its own.
* **CN**: no national spending guideline exists; none is shipped. An agency
  may load local figures (for example the local 最低生活保障 standard).

Tables loaded from ``SPENDING_GUIDELINES_FILE`` (``loader.py``) replace these.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import ExpenseCategory as C
from .figures import ByCar, ByPersons, NotLoaded, PerMember, PerPerson, Total
from .table import Guideline, GuidelineTable


def _d(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


#: IRS National Standards, 22 April 2024, one to four persons (monthly, USD).
IRS_2024 = {
    "food": ByPersons(_d("458", "820", "977", "1143")),
    "housekeeping_supplies": ByPersons(_d("44", "75", "83", "82")),
    "apparel_services": ByPersons(_d("87", "157", "187", "300")),
    "personal_care": NotLoaded("IRS personal care products and services"),
    "miscellaneous": NotLoaded("IRS miscellaneous allowance"),
    # per person under 65; 65 and older: 158 (Parley does not record ages)
    "out_of_pocket_health": PerPerson(Decimal("83")),
}
IRS_OUT_OF_POCKET_65_AND_OLDER = Decimal("158")

US = GuidelineTable(
    "US", "USD", "IRS Collection Financial Standards",
    "Internal Revenue Service, National Standards: Food, Clothing and Other Items, and "
    "Out-of-Pocket Health Care (irs.gov, collection financial standards)",
    "effective 22 April 2024",
    guidelines=(
        Guideline((C.FOOD,), Total((IRS_2024["food"], IRS_2024["housekeeping_supplies"]))),
        Guideline((C.PERSONAL,), Total((IRS_2024["apparel_services"],
                                        IRS_2024["personal_care"]))),
        Guideline((C.CARE_HEALTH,), IRS_2024["out_of_pocket_health"]),
        Guideline((C.OTHER,), IRS_2024["miscellaneous"]),
        Guideline((C.HOUSING, C.UTILITIES), NotLoaded("IRS Local Standards by county")),
        Guideline((C.TRANSPORT,), NotLoaded("IRS Local Standards by region")),
    ),
    notes="Out-of-pocket health care is the figure for people under 65 ($158 from 65). "
          "Housing, utilities and transport follow Local Standards that vary by county "
          "and region: an agency loads its own.",
)

#: Parley's example trigger figures for the UK (monthly, GBP): NOT the SFS's own.
GB_EXAMPLE = {
    "food_housekeeping": PerMember(Decimal("300"), Decimal("150"), Decimal("100")),
    "communications_leisure": PerMember(Decimal("90"), Decimal("40"), Decimal("25")),
    "personal": PerMember(Decimal("70"), Decimal("45"), Decimal("40")),
    "travel": ByCar(PerMember(Decimal("250"), Decimal("100"), Decimal("0")),
                    PerMember(Decimal("80"), Decimal("60"), Decimal("20"))),
}

GB = GuidelineTable(
    "GB", "GBP", "Standard Financial Statement categories, example figures",
    "Example figures chosen by Parley to show how the check works. They are not the "
    "Standard Financial Statement spending guidelines, which are published to SFS member "
    "organisations only; an agency loads its own.",
    "example",
    guidelines=(
        Guideline((C.FOOD,), GB_EXAMPLE["food_housekeeping"]),
        Guideline((C.COMMUNICATIONS,), GB_EXAMPLE["communications_leisure"]),
        Guideline((C.PERSONAL,), GB_EXAMPLE["personal"]),
        Guideline((C.TRANSPORT,), GB_EXAMPLE["travel"]),
    ),
    example=True,
)

CN = GuidelineTable(
    "CN", "CNY", "No spending guideline",
    "China has no national spending guideline for debt repayment; none is shipped. An "
    "agency may load local figures, for example its city's 最低生活保障 (minimum living "
    "standard).",
    "",
)

SHIPPED: dict[str, GuidelineTable] = {t.jurisdiction: t for t in (US, GB, CN)}
