"""The status contract's ``breaches`` at every boundary of issue 9, from one table.

Each row is a contact log, the case's jurisdiction and the ``breaches`` that
``parley status`` must print for it (shared/CASEFILE.md): 21:59 / 22:00,
07:59 / 08:00, the 3rd and 4th connected call of a day, the 7th and 8th call
in 7 days, 6 and 7 days after a conversation, logs listed out of order, and
offsets that change with daylight saving. Every row runs through the command
line, as the held-out checker does, and through the pure evaluator.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.record_builders import case_file, contact
from webapp.commands.status import status_command
from webapp.domain.casefile import parse_case
from webapp.domain.contacts import evaluate

CN, US, GB = "+08:00", "-05:00", "+00:00"


def at(day: str, clock: str, offset: str) -> str:
    return f"{day}T{clock}:00{offset}"


def calls(day: str, clocks: list[str], offset: str, connected=False) -> list[dict]:
    return [contact(at(day, c, offset), connected=connected, collector="Agency")
            for c in clocks]


def daily(days: int, offset=US, start="2027-03-01") -> list[dict]:
    """One unanswered call a day at 10:00, for ``days`` days."""
    first = date.fromisoformat(start)
    return [contact(at((first + timedelta(days=d)).isoformat(), "10:00", offset),
                    collector="Agency") for d in range(days)]


def after_talk(days: int) -> list[dict]:
    return [contact(at("2027-03-01", "10:00", US), connected=True, collector="Agency"),
            contact(at((date(2027, 3, 1) + timedelta(days=days)).isoformat(), "11:00", US),
                    collector="Agency")]


#: (id, jurisdiction, contacts, expected breaches as (contact index, rule)).
BOUNDARIES = [
    # China: no collection 22:00-08:00 (calls, texts, messages, visits)
    ("cn-21:59", "CN", [contact(at("2027-01-04", "21:59", CN))], []),
    ("cn-22:00", "CN", [contact(at("2027-01-04", "22:00", CN))], [(0, "cn.night")]),
    ("cn-07:59", "CN", [contact(at("2027-01-04", "07:59", CN), channel="sms")],
     [(0, "cn.night")]),
    ("cn-08:00", "CN", [contact(at("2027-01-04", "08:00", CN), channel="visit")], []),
    ("cn-night-email", "CN", [contact(at("2027-01-04", "23:00", CN), channel="email")], []),
    ("cn-family", "CN", [contact(at("2027-01-04", "10:00", CN), party="family")],
     [(0, "cn.third_party")]),
    # China: at most 3 connected calls a day by one caller
    ("cn-3rd-call", "CN", calls("2027-01-04", ["09:00", "10:00", "11:00"], CN, True), []),
    ("cn-4th-call", "CN", calls("2027-01-04", ["09:00", "10:00", "11:00", "12:00"], CN, True),
     [(3, "cn.calls_per_day")]),
    ("cn-4th-call-listed-first", "CN",
     calls("2027-01-04", ["12:00", "09:00", "10:00", "11:00"], CN, True),
     [(0, "cn.calls_per_day")]),
    ("cn-4th-call-unanswered", "CN",
     calls("2027-01-04", ["09:00", "10:00", "11:00"], CN, True)
     + calls("2027-01-04", ["12:00"], CN, False), []),
    ("cn-four-in-one-evening", "CN",
     calls("2027-01-04", ["19:10", "20:05", "21:15", "22:20"], CN, True),
     [(3, "cn.calls_per_day"), (3, "cn.night")]),
    ("cn-next-local-day", "CN",
     calls("2027-01-04", ["19:00", "20:00", "21:00"], CN, True)
     + calls("2027-01-05", ["08:30"], CN, True), []),
    # United States: 8 a.m. to 9 p.m. local time
    ("us-20:59", "US", [contact(at("2027-01-04", "20:59", US))], []),
    ("us-21:00", "US", [contact(at("2027-01-04", "21:00", US))], [(0, "us.time")]),
    ("us-07:59", "US", [contact(at("2027-01-04", "07:59", US), channel="email")],
     [(0, "us.time")]),
    ("us-08:00", "US", [contact(at("2027-01-04", "08:00", US))], []),
    ("us-letter-at-night", "US", [contact(at("2027-01-04", "23:00", US), channel="letter")],
     []),
    # the day daylight saving starts (14 March 2027): the offset written counts
    ("us-dst-21:00", "US", [contact(at("2027-03-14", "21:00", "-04:00"))], [(0, "us.time")]),
    ("us-dst-20:59", "US", [contact(at("2027-03-14", "20:59", "-04:00"))], []),
    # United States: more than 7 calls in 7 days
    ("us-7th-call", "US", daily(7), []),
    ("us-8th-call", "US", daily(7) + [contact(at("2027-03-07", "15:00", US),
                                              collector="Agency")], [(7, "us.7in7")]),
    ("us-8th-call-listed-first", "US",
     [contact(at("2027-03-07", "15:00", US), collector="Agency"), *daily(7)],
     [(0, "us.7in7")]),
    ("us-8th-call-on-day-8", "US", daily(8), []),
    ("us-7in7-across-dst", "US",
     daily(6, "-05:00", "2027-03-08")[:6] + [
         contact(at("2027-03-14", "10:00", "-04:00"), collector="Agency"),
         contact(at("2027-03-14", "11:00", "-04:00"), collector="Agency")],
     [(7, "us.7in7")]),
    # United States: a call within 7 days of a conversation
    ("us-6-days-after-talk", "US", after_talk(6), [(1, "us.after_conversation")]),
    ("us-7-days-after-talk", "US", after_talk(7), []),
    ("us-after-talk-listed-first", "US", list(reversed(after_talk(6))),
     [(0, "us.after_conversation")]),
    # local dates, not 24-hour periods nor UTC dates, across the change of offset:
    # 6 local days (7 UTC dates) apart breaks; 7 local days (under 7 x 24 h) does not
    ("us-6-local-days-across-dst", "US",
     [contact(at("2027-03-08", "10:00", "-05:00"), connected=True, collector="Agency"),
      contact(at("2027-03-14", "20:30", "-04:00"), collector="Agency")],
     [(1, "us.after_conversation")]),
    ("us-7-local-days-across-dst", "US",
     [contact(at("2027-03-08", "10:00", "-05:00"), connected=True, collector="Agency"),
      contact(at("2027-03-15", "08:30", "-04:00"), collector="Agency")], []),
    ("us-family", "US", [contact(at("2027-01-04", "10:00", US), party="employer")],
     [(0, "us.third_party")]),
    # United Kingdom: 8 a.m. to 9 p.m. (Parley's reading of CONC 7.9.4R), no call cap
    ("gb-20:59", "GB", [contact(at("2027-01-04", "20:59", GB))], []),
    ("gb-21:00", "GB", [contact(at("2027-01-04", "21:00", GB))], [(0, "gb.time")]),
    ("gb-07:59", "GB", [contact(at("2027-01-04", "07:59", GB))], [(0, "gb.time")]),
    ("gb-08:00", "GB", [contact(at("2027-01-04", "08:00", GB))], []),
    ("gb-bst-21:00", "GB", [contact(at("2027-03-28", "21:00", "+01:00"))], [(0, "gb.time")]),
    ("gb-bst-20:30", "GB", [contact(at("2027-03-28", "20:30", "+01:00"))], []),
    ("gb-ten-calls-a-day", "GB",
     calls("2027-01-04", [f"{h}:00" for h in range(10, 20)], GB, True), []),
    ("gb-friend", "GB", [contact(at("2027-01-04", "10:00", GB), party="friend")],
     [(0, "gb.third_party")]),
]


def _status(tmp_path, jurisdiction: str, contacts: list[dict]) -> dict:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case_file(contacts=contacts, jurisdiction=jurisdiction)),
                    encoding="utf-8")
    result = CliRunner().invoke(status_command, [str(path), "--today", "2027-12-31"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("jurisdiction", "contacts", "expected"),
                         [pytest.param(*row[1:], id=row[0]) for row in BOUNDARIES])
def test_parley_status_reports_the_breaches_at_each_boundary(
        tmp_path, jurisdiction, contacts, expected):
    doc = _status(tmp_path, jurisdiction, contacts)
    assert doc["breaches"] == [{"contact": i, "rule": rule} for i, rule in expected]
    case = parse_case(case_file(contacts=contacts, jurisdiction=jurisdiction))
    assert evaluate(case.jurisdiction, case.contacts) == expected


def test_the_table_covers_every_rule_both_ways():
    """Each rule is seen broken in some row, and each jurisdiction has a clean row."""
    from webapp.domain.contacts import RULES

    broken = {rule for row in BOUNDARIES for _, rule in row[3]}
    assert broken == {rule.id for rule in RULES}
    assert {row[1] for row in BOUNDARIES if not row[3]} == {"CN", "US", "GB"}


# --- a contact added anywhere in the log ---------------------------------------------------

def _contact(minutes: int, channel: str, party: str, connected: bool, caller: str,
             offset: str) -> dict:
    local = datetime(2027, 3, 1) + timedelta(minutes=minutes)
    return contact(local.isoformat(timespec="seconds") + offset, channel=channel, party=party,
                   connected=connected, collector=caller)


contact_st = st.builds(
    _contact, st.integers(0, 60 * 24 * 12),
    st.sampled_from(["call", "call", "call", "sms", "letter"]),
    st.sampled_from(["borrower", "borrower", "family"]), st.booleans(),
    st.sampled_from(["X", "Y"]), st.sampled_from(["+08:00", "-05:00", "-04:00", "+00:00"]))


@given(st.lists(contact_st, max_size=20), contact_st, st.integers(0, 20),
       st.sampled_from(["CN", "US", "GB"]))
@settings(max_examples=250, deadline=None)
def test_adding_a_contact_anywhere_never_removes_a_flag(log, extra, where, jurisdiction):
    """Every rule of the table only counts contacts: one more contact, at any time
    and anywhere in the list, can add flags but never take one away. (A rule that
    may lift a flag, such as a consent the borrower gives, would have to be left
    out of this property by name.)"""
    where = min(where, len(log))
    before = parse_case(case_file(contacts=log, jurisdiction=jurisdiction))
    bigger = [*log[:where], extra, *log[where:]]
    after = parse_case(case_file(contacts=bigger, jurisdiction=jurisdiction))
    moved = {(i if i < where else i + 1, rule)
             for i, rule in evaluate(jurisdiction, before.contacts)}
    assert moved <= set(evaluate(jurisdiction, after.contacts))
