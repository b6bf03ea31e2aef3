"""What the budget page says about spending against the guidelines, in its language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ...domain.guidelines import CAR_UNKNOWN, HOUSEHOLD_SIZE, SHIPPED, GuidelineTable
from ...domain.guidelines.figures import persons
from ...domain.model import Household
from ...filters import money
from .forms import CATEGORIES

#: The shipped tables' name, source and notes, translated (a loaded table is
#: shown as its agency wrote it).
SHIPPED_TEXT = {
    "US": (
        _l("IRS Collection Financial Standards"),
        _l("Internal Revenue Service, National Standards for food, clothing and other "
           "items, and for out-of-pocket health care (irs.gov, collection financial "
           "standards)"),
        _l("Out-of-pocket health care is the figure for people under 65 ($158 a month from "
           "65). Not built in, because Parley could not verify the published figures: personal "
           "care, miscellaneous, the amount for each person above four, and the local "
           "standards for housing, utilities and transport, which vary by county and region. "
           "An advice agency can load them."),
        _l("effective 22 April 2024"),
    ),
    "GB": (
        _l("Standard Financial Statement categories, example figures"),
        _l("These are example figures chosen by Parley to show how the check works, not the "
           "Standard Financial Statement's own spending guidelines, which are given to SFS "
           "member organisations only. An advice agency can load its own."),
        "",
        "",  # the name says "example figures" already
    ),
    "CN": (
        _l("No spending guideline"),
        _l("China has no national spending guideline for repaying debts, so none is built "
           "in. An advice agency can load local figures, for example its city's minimum "
           "living standard (最低生活保障)."),
        "",
        "",
    ),
}


def table_words(table: GuidelineTable | None) -> dict[str, str]:
    """The table's name, source, notes and year in the page's language."""
    if table is None:
        return {}
    if SHIPPED.get(table.jurisdiction) is table:
        name, source, notes, year = (str(x) for x in SHIPPED_TEXT[table.jurisdiction])
        return {"name": name, "source": source, "notes": notes, "year": year}
    return {"name": table.name, "source": table.source, "notes": table.notes,
            "year": table.year}


def category_words(categories) -> str:
    """The check's categories as the page names them ("Housing + Utilities")."""
    names = dict(CATEGORIES)
    return " + ".join(str(names[c.value]) for c in categories)


def household_words(household: Household) -> str:
    n = persons(household)
    return ngettext("a household of %(num)d person", "a household of %(num)d people", n)


def flag_text(check, table: GuidelineTable, household: Household) -> str:
    """The plain-words flag for a category above its guideline."""
    args = {"category": category_words(check.categories), "household": household_words(household)}
    if check.percent_over is None:
        if table.example:
            return _("%(category)s is above Parley's example figure for %(household)s: "
                     "explain why in the letter, or check it.", **args)
        return _("%(category)s is above the figure creditors usually accept for "
                 "%(household)s: explain why in the letter, or check it.", **args)
    args["percent"] = check.percent_over
    if table.example:
        return _("%(category)s is %(percent)s%% above Parley's example figure for "
                 "%(household)s: explain why in the letter, or check it.", **args)
    return _("%(category)s is %(percent)s%% above the figure creditors usually accept for "
             "%(household)s: explain why in the letter, or check it.", **args)


def figures_text(check, currency: str, table: GuidelineTable | None = None) -> str:
    """What the household spends beside the figure (an example table says so)."""
    args = {"spent": money(check.spent, currency), "figure": money(check.guideline, currency)}
    if table is not None and table.example:
        return _("You spend %(spent)s a month; Parley's example figure is %(figure)s.", **args)
    return _("You spend %(spent)s a month; the figure is %(figure)s.", **args)


def missing_text(check, household: Household) -> str:
    """Why a category is not compared."""
    if check.missing == CAR_UNKNOWN:
        return _("the case does not say whether you run a car")
    if check.missing == HOUSEHOLD_SIZE:
        return _("no figure for %(household)s", household=household_words(household))
    return _("no figure loaded")


def within_text(checks, currency: str) -> str:
    """One sentence listing the categories within their figures."""
    items = [_("%(category)s (%(spent)s of %(figure)s)", category=category_words(c.categories),
               spent=money(c.spent, currency), figure=money(c.guideline, currency))
             for c in checks]
    return _("Within the figures: %(items)s.", items=_("; ").join(items))


def unchecked_text(checks, household: Household) -> str:
    """One sentence listing the categories not compared, and why."""
    items = [_("%(category)s (%(why)s)", category=category_words(c.categories),
               why=missing_text(c, household)) for c in checks]
    return _("Not compared: %(items)s.", items=_("; ").join(items))
