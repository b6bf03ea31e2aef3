"""The domain's refusals in the page's language.

The domain says what is wrong in English, for the case file's contract (the
CLI and the API show those messages as they are), and names it with a code
(:class:`webapp.domain.errors.FieldError`). A page shows the code's text in
its own language instead, with the event, status, date or number filled in.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from ...domain.errors import FieldError
from ...filters import day, money, number
from .labels import EVENT, STATUS

#: The text of each code a negotiation page may meet.
MESSAGES = {
    "transition": _l("“%(event)s” cannot be recorded now: with this creditor it stands at "
                     "“%(status)s”."),
    "event_type": _l("Choose what happened."),
    "choose_event": _l("Choose what happened."),
    "date_order": _l("This is before the last thing recorded (%(before)s): record what "
                     "happened in the order it happened."),
    "after_today": _l("This date is after today: record what has already happened."),
    "paid_in_full": _l("The agreement is already paid in full."),
    "too_many_payments": _l("At this amount the agreement would take more than %(max)s "
                            "payments."),
    "positive": _l("Must be more than 0."),
    "required": _l("Fill this in."),
    "number": _l("Enter an amount such as 120.50."),
    "date": _l("Enter a real date."),
    "too_long": _l("Use at most %(max)s characters."),
    "text": _l("Remove the special characters from this text."),
    "no_counter_offer": _l("There is no counter-offer from this creditor now."),
    "first_payment_required": _l("Give the date of the first payment."),
    "no_proposal": _l("Save a proposal first: the letter is written from it."),
    "counter_not_lower": _l("Your figure is not below theirs: accept their figure instead."),
    "counter_short": _l("At this figure your budget would be short by %(amount)s a month: "
                        "choose a smaller figure."),
    "too_many_months": _l("At this figure the debt would take %(months)s months to repay; no "
                          "plan offered here may run longer than %(max)s months."),
}
#: For a refusal without a code (there should be none): still in the page's language.
FALLBACK = _l("This cannot be recorded as it is: check the date and the figures.")


def error_text(error: FieldError, currency: str = "") -> str:
    """What the page says for ``error``, in the page's language (amounts in ``currency``)."""
    template = MESSAGES.get(error.code)
    if template is None:
        return str(FALLBACK)
    params = dict(error.params)
    if "event" in params:
        params["event"] = str(EVENT.get(params["event"], params["event"]))
    if "status" in params:
        params["status"] = str(STATUS.get(params["status"], params["status"]))
    if "before" in params:
        params["before"] = day(date.fromisoformat(params["before"]))
    for key in ("max", "months"):
        if key in params:
            params[key] = number(params[key])
    if "amount" in params:
        params["amount"] = money(params["amount"], currency) if currency \
            else number(params["amount"])
    return str(template) % params
