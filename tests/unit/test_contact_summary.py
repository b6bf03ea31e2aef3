"""Per-collector summary: the counts behind "14 calls in 7 days, 3 after 10 p.m."."""

from __future__ import annotations

import random
from datetime import time

from tests.unit.record_builders import case_file, contact, debt
from webapp.domain.casefile import parse_case
from webapp.domain.contact_summary import summarise


def facts(jurisdiction, contacts, debts=None, **kwargs):
    case = parse_case(case_file(debts, contacts=contacts, jurisdiction=jurisdiction))
    return summarise(case.jurisdiction, case.contacts, **kwargs)


def test_fourteen_calls_in_seven_days_three_at_night_two_to_family():
    log = []
    for day in range(7):
        log.append(contact(f"2027-01-{day + 4:02d}T10:00:00+08:00", collector="某催收公司"))
        log.append(contact(f"2027-01-{day + 4:02d}T15:00:00+08:00", collector="某催收公司"))
    log[0]["at"] = "2027-01-04T22:00:00+08:00"   # at the limit: night
    log[2]["at"] = "2027-01-05T23:30:00+08:00"
    log[5]["at"] = "2027-01-06T07:59:00+08:00"   # early morning
    log[3]["party"] = log[8]["party"] = "family"
    [s] = facts("CN", log)
    assert (s.caller, s.contacts, s.calls, s.days) == ("某催收公司", 14, 14, 7)
    assert (s.late, s.late_from, s.early, s.early_until) == (2, time(22), 1, time(8))
    assert s.third_parties == {"family": 2}
    assert s.rules == {"cn.night": 3, "cn.third_party": 2}
    assert s.most_calls_in_a_day == 2


def test_one_call_is_one_day_and_breaks_nothing():
    [s] = facts("CN", [contact("2027-01-04T21:59:59+08:00")])
    assert (s.contacts, s.calls, s.days, s.late, s.early, s.rules) == (1, 1, 1, 0, 0, {})
    assert s.late_from is None and s.third_parties == {}


def test_callers_are_counted_apart_and_the_worst_comes_first():
    log = [contact("2027-01-04T10:00:00-05:00", collector="Calm Co"),
           contact("2027-01-04T10:00:00-05:00", collector="Calm Co"),
           contact("2027-01-04T21:30:00-05:00", collector="Night Co", channel="sms"),
           contact("2027-01-05T10:00:00-05:00", collector="Night Co", party="employer",
                   channel="email")]
    night, calm = facts("US", log)
    assert (night.caller, night.contacts, night.calls, night.days) == ("Night Co", 2, 0, 2)
    assert night.rules == {"us.time": 1, "us.third_party": 1}
    assert (night.late, night.late_from) == (1, time(21))
    assert night.third_parties == {"employer": 1} and night.most_calls_in_a_day == 0
    assert (calm.caller, calm.rules, calm.most_calls_in_a_day) == ("Calm Co", {}, 2)


def test_a_caller_named_by_debt_takes_the_creditors_name():
    [s] = facts("CN", [contact("2027-01-04T10:00:00+08:00", debt_id="cmb")],
                debts=[debt("cmb", "100")], creditors={"cmb": "招商银行"})
    assert (s.key, s.caller) == ("cmb", "招商银行")


def test_the_order_of_the_log_changes_nothing():
    log = [contact(f"2027-01-0{d}T{h}:00:00+08:00", connected=True, collector="X",
                   party=p)
           for d, h, p in [(4, "09", "borrower"), (4, "10", "family"), (4, "11", "borrower"),
                           (4, "12", "borrower"), (5, "23", "friend"), (6, "06", "borrower")]]
    expected = facts("CN", log)
    shuffled = log[:]
    random.Random(9).shuffle(shuffled)
    assert facts("CN", shuffled) == expected
    assert expected[0].rules == {"cn.night": 2, "cn.calls_per_day": 1, "cn.third_party": 2}


def test_no_contacts_no_summary():
    assert facts("CN", []) == []
