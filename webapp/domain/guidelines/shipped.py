"""The guideline tables Parley ships, each with its source and year.

* **US**: the IRS Collection Financial Standards effective 22 April 2024. The
  most recent figures Parley could check (each figure below names where):

  - out-of-pocket health care, $83 a person under 65 and $158 from 65: read on
    irs.gov, "National Standards: Out-of-Pocket Health Care"
    (https://www.irs.gov/businesses/small-businesses-self-employed/national-standards-out-of-pocket-health-care,
    "These Standards are effective on April 22, 2024");
  - food, housekeeping supplies and apparel & services for one to four persons:
    the IRS's PDF "2024 Allowable Living Expenses National Standards" (SB/SE
    Research, April 22, 2024), read as quoted in a stored search result; the
    irs.gov page itself (national-standards-food-clothing-and-other-items)
    could not be read, so these rest on one quotation of the IRS's own text.

  Left out because no figure could be verified (never guessed): the personal
  care products & services and miscellaneous rows, the "more than four
  persons" amount for each additional person, the 2025 standards (irs.gov's
  transportation page says the 2025 set is effective 21 April 2025, but its
  tables could not be read) and every Local Standard: housing and utilities
  (per county, one to "five or more" persons), transportation ownership costs
  (per vehicle), operating costs (per region or metropolitan area, one or two
  cars) and public transportation (per household). The shapes are here, so a
  check says "not loaded" instead of a made-up figure; an agency adds them
  with a file that ``"extends": "shipped"`` (``loader.py``).
* **GB**: the Standard Financial Statement's categories with **example**
  trigger figures made up by Parley: the SFS spending guidelines are given to
  SFS member organisations only. An agency loads its own.
* **CN**: no national spending guideline exists, and no city's 最低生活保障
  standard could be verified from an official source: none is shipped. An
  agency may load local figures (for example its city's 最低生活保障 standard,
  citing the 民政局 notice it comes from).

Tables loaded from ``SPENDING_GUIDELINES_FILE`` (``loader.py``) replace these.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import ExpenseCategory as C
from .figures import ByCar, ByPersons, NotLoaded, PerMember, PerPerson, Total
from .table import Guideline, GuidelineTable


def _d(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


#: Where each shipped US figure was read.
IRS_SOURCES = {
    "out_of_pocket_health": "https://www.irs.gov/businesses/small-businesses-self-employed/"
                            "national-standards-out-of-pocket-health-care",
    "national_standards": "IRS, 2024 Allowable Living Expenses National Standards (PDF, "
                          "SB/SE Research, April 22, 2024), linked from "
                          "https://www.irs.gov/businesses/small-businesses-self-employed/"
                          "national-standards-food-clothing-and-other-items",
}
IRS_EFFECTIVE = "effective 22 April 2024"

#: IRS National Standards, 22 April 2024, one to four persons (monthly, USD).
IRS_2024 = {
    "food": ByPersons(_d("458", "820", "977", "1143")),
    "housekeeping_supplies": ByPersons(_d("44", "75", "83", "82")),
    "apparel_services": ByPersons(_d("87", "157", "187", "300")),
    # not verified: left out, never guessed
    "personal_care": NotLoaded("IRS personal care products and services (not verified)"),
    "miscellaneous": NotLoaded("IRS miscellaneous allowance (not verified)"),
    # per person under 65; 65 and older: 158 (Parley does not record ages)
    "out_of_pocket_health": PerPerson(Decimal("83")),
}
IRS_OUT_OF_POCKET_65_AND_OLDER = Decimal("158")

#: IRS Local Standards: their shape, no figure (they vary by county and region,
#: and the 2024 and 2025 tables could not be read).
IRS_LOCAL = {
    "housing_utilities": NotLoaded("IRS housing and utilities, per county, 1 to 5+ persons"),
    "ownership": NotLoaded("IRS transportation ownership costs, per vehicle"),
    "operating": NotLoaded("IRS transportation operating costs, per region, 1 or 2 cars"),
    "public": NotLoaded("IRS public transportation, per household"),
}

US = GuidelineTable(
    "US", "USD", "IRS Collection Financial Standards",
    "Internal Revenue Service, National Standards: Food, Clothing and Other Items, and "
    "Out-of-Pocket Health Care (irs.gov, collection financial standards)",
    IRS_EFFECTIVE,
    guidelines=(
        Guideline((C.FOOD,), Total((IRS_2024["food"], IRS_2024["housekeeping_supplies"]))),
        Guideline((C.PERSONAL,), Total((IRS_2024["apparel_services"],
                                        IRS_2024["personal_care"]))),
        Guideline((C.CARE_HEALTH,), IRS_2024["out_of_pocket_health"]),
        Guideline((C.OTHER,), IRS_2024["miscellaneous"]),
        Guideline((C.HOUSING, C.UTILITIES), IRS_LOCAL["housing_utilities"]),
        Guideline((C.TRANSPORT,), ByCar(Total((IRS_LOCAL["ownership"], IRS_LOCAL["operating"])),
                                        IRS_LOCAL["public"])),
    ),
    notes="Out-of-pocket health care is the figure for people under 65 ($158 from 65). "
          "Not built in, because Parley could not verify them: personal care, "
          "miscellaneous, the amount for each person above four, and the local standards "
          "for housing, utilities and transport, which vary by county and region. An agency "
          "can load them.",
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
