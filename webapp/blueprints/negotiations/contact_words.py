"""A caller's facts (``domain/contact_summary.py``) in a sentence the borrower can quote."""

from __future__ import annotations

from datetime import time

from flask_babel import format_time, gettext, ngettext

from ...domain.contact_summary import CallerFacts
from .labels import PARTIES


def _clock(t: time) -> str:
    return format_time(t, "short")


def sentence(f: CallerFacts) -> str:
    """"14 calls in 7 days, 3 after 10:00 PM, 1 before 8:00 AM, 2 to my family."."""
    if f.calls == f.contacts:
        what = ngettext("%(num)d call", "%(num)d calls", f.calls)
    else:
        what = ngettext("%(num)d contact", "%(num)d contacts", f.contacts)
    parts = [gettext("%(what)s in %(days)s", what=what,
                     days=ngettext("%(num)d day", "%(num)d days", f.days))]
    if f.calls and f.calls != f.contacts:
        parts.append(ngettext("%(num)d of them a call", "%(num)d of them calls", f.calls))
    if f.most_calls_in_a_day > 1 and f.days > 1:
        parts.append(ngettext("up to %(num)d call in one day", "up to %(num)d calls in one day",
                              f.most_calls_in_a_day))
    if f.late and f.late_from is not None:
        parts.append(gettext("%(n)s after %(time)s", n=f.late, time=_clock(f.late_from)))
    if f.early and f.early_until is not None:
        parts.append(gettext("%(n)s before %(time)s", n=f.early, time=_clock(f.early_until)))
    names = dict(PARTIES)
    for party, n in f.third_parties.items():
        parts.append(gettext("%(n)s to %(who)s", n=n, who=str(names[party]).lower()))
    return gettext("%(facts)s.", facts=gettext(", ").join(parts))
