"""Collection-contact rules, rule by rule at their boundaries (shared/CASEFILE.md)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.unit.record_builders import case_file, contact
from webapp.domain.casefile import parse_case
from webapp.domain.contacts import RULES, evaluate, rules_for
from webapp.domain.status import make_status


def flagged(jurisdiction: str, contacts: list[dict]) -> list[tuple[int, str]]:
    case = parse_case(case_file(contacts=contacts, jurisdiction=jurisdiction))
    return evaluate(case.jurisdiction, case.contacts)


def rules_of(jurisdiction, contacts, index=0):
    return sorted(r for i, r in flagged(jurisdiction, contacts) if i == index)


def test_the_table_has_the_contracts_rules():
    assert sorted(r.id for r in RULES) == sorted([
        "cn.night", "cn.calls_per_day", "cn.third_party", "us.time", "us.7in7",
        "us.after_conversation", "us.third_party", "gb.time", "gb.third_party"])
    assert rules_for("other") == ()
    assert all(r.source for r in RULES)
    # guidelines and readings are marked as such, so letters do not call them law
    assert {r.id for r in RULES if not r.statutory} == {
        "cn.night", "cn.calls_per_day", "gb.time", "gb.third_party"}


@pytest.mark.parametrize(("local", "night"), [
    ("21:59:59", False), ("22:00:00", True), ("23:30:00", True), ("00:00:00", True),
    ("07:59:59", True), ("08:00:00", False), ("12:00:00", False)])
@pytest.mark.parametrize("channel", ["call", "sms", "message", "visit"])
def test_cn_night_is_22_to_8_local_time(local, night, channel):
    at = f"2027-01-03T{local}+08:00"
    assert ("cn.night" in rules_of("CN", [contact(at, channel=channel)])) is night


@pytest.mark.parametrize("channel", ["email", "letter"])
def test_cn_night_leaves_email_and_letters_alone(channel):
    assert rules_of("CN", [contact("2027-01-03T23:00:00+08:00", channel=channel)]) == []


@pytest.mark.parametrize(("local", "late"), [
    ("07:59:00", True), ("08:00:00", False), ("20:59:59", False), ("21:00:00", True)])
@pytest.mark.parametrize(("jurisdiction", "rule"), [("US", "us.time"), ("GB", "gb.time")])
def test_us_and_gb_time_is_8_to_21_local(local, late, jurisdiction, rule):
    at = f"2027-01-03T{local}-05:00"
    assert (rule in rules_of(jurisdiction, [contact(at, channel="sms")])) is late
    assert rules_of(jurisdiction, [contact(at, channel="letter")]) == []


def test_local_time_is_the_offset_as_written_across_daylight_saving():
    # 21:30 in New York in winter (-05:00) and in summer (-04:00): both late locally,
    # although the UTC hours differ
    assert rules_of("US", [contact("2027-01-10T21:30:00-05:00")]) == ["us.time"]
    assert rules_of("US", [contact("2027-07-10T21:30:00-04:00")]) == ["us.time"]
    # 20:30 in summer is 00:30 UTC: not late where the borrower lives
    assert rules_of("US", [contact("2027-07-10T20:30:00-04:00")]) == []


@pytest.mark.parametrize(("jurisdiction", "rule"), [
    ("CN", "cn.third_party"), ("US", "us.third_party"), ("GB", "gb.third_party")])
@pytest.mark.parametrize("party", ["family", "friend", "employer", "colleague", "other"])
def test_third_parties(jurisdiction, rule, party):
    at = "2027-01-04T10:00:00+00:00"
    assert rule in rules_of(jurisdiction, [contact(at, party=party)])
    assert rule not in rules_of(jurisdiction, [contact(at)])


def calls(day: str, times: list[str], offset="+08:00", connected=True, **extra) -> list[dict]:
    return [contact(f"{day}T{t}{offset}", connected=connected, **extra) for t in times]


def test_cn_the_fourth_connected_call_of_a_day_breaks_the_limit():
    log = calls("2027-01-04", ["09:00:00", "10:00:00", "11:00:00", "12:00:00", "13:00:00"],
                debt_id="a")
    assert [i for i, r in flagged("CN", log) if r == "cn.calls_per_day"] == [3, 4]


def test_cn_unanswered_calls_and_other_callers_and_days_do_not_count():
    log = (calls("2027-01-04", ["09:00:00", "10:00:00", "11:00:00"], debt_id="a")
           + calls("2027-01-04", ["12:00:00"], connected=False, debt_id="a")
           + calls("2027-01-04", ["13:00:00"], debt_id="b")
           + calls("2027-01-05", ["09:00:00"], debt_id="a"))
    assert [r for _, r in flagged("CN", log) if r == "cn.calls_per_day"] == []


def test_the_caller_is_the_collector_when_no_debt_is_named():
    log = calls("2027-01-04", ["09:00:00", "10:00:00", "11:00:00", "12:00:00"],
                collector="Agency X")
    assert [i for i, r in flagged("CN", log) if r == "cn.calls_per_day"] == [3]
    mixed = log[:3] + calls("2027-01-04", ["12:00:00"], collector="Agency Y")
    assert [i for i, r in flagged("CN", mixed) if r == "cn.calls_per_day"] == []


def test_contacts_listed_out_of_order_are_counted_by_time():
    log = calls("2027-01-04", ["13:00:00", "09:00:00", "11:00:00", "10:00:00"], debt_id="a")
    # the 13:00 call is the fourth, although it is listed first
    assert [i for i, r in flagged("CN", log) if r == "cn.calls_per_day"] == [0]


def week(days: int, per_day: int = 1, start="2027-03-01", offset="-05:00", **kw) -> list[dict]:
    first = date.fromisoformat(start)
    return [contact(f"{first + timedelta(days=d)}T{10 + k:02d}:00:00{offset}", **kw)
            for d in range(days) for k in range(per_day)]


def test_us_the_eighth_call_in_seven_days_breaks_the_rule_not_the_seventh():
    seven = week(7, debt_id="a")
    assert [r for _, r in flagged("US", seven) if r == "us.7in7"] == []
    eight = [*seven, contact("2027-03-07T15:00:00-05:00", debt_id="a")]
    assert [i for i, r in flagged("US", eight) if r == "us.7in7"] == [7]


def test_us_seven_in_seven_is_a_rolling_window_of_local_dates():
    log = week(7, debt_id="a") + [contact("2027-03-08T10:00:00-05:00", debt_id="a")]
    # 2 to 8 March holds seven calls: the 8 March call is the 7th in its window
    assert [r for _, r in flagged("US", log) if r == "us.7in7"] == []


@pytest.mark.parametrize(("days_after", "breaks"), [(0, True), (6, True), (7, False)])
def test_us_a_call_within_seven_days_of_a_conversation(days_after, breaks):
    talk = contact("2027-03-01T10:00:00-05:00", connected=True, debt_id="a")
    later = (date(2027, 3, 1) + timedelta(days=days_after)).isoformat()
    log = [talk, contact(f"{later}T11:00:00-05:00", debt_id="a")]
    assert (1, "us.after_conversation") in flagged("US", log) if breaks else \
        (1, "us.after_conversation") not in flagged("US", log)
    assert (0, "us.after_conversation") not in flagged("US", log)


def test_us_an_unanswered_earlier_call_is_no_conversation():
    log = [contact("2027-03-01T10:00:00-05:00", debt_id="a"),
           contact("2027-03-02T10:00:00-05:00", debt_id="a")]
    assert flagged("US", log) == []


def test_breaches_are_sorted_by_contact_then_rule_in_the_status():
    contacts = [contact("2027-01-04T10:00:00+08:00"),
                contact("2027-01-03T23:00:00+08:00", party="family")]
    doc = make_status(parse_case(case_file(contacts=contacts, jurisdiction="CN")),
                      date(2027, 2, 1))
    assert doc["breaches"] == [{"contact": 1, "rule": "cn.night"},
                               {"contact": 1, "rule": "cn.third_party"}]


# --- properties ---------------------------------------------------------------------------

contact_st = st.builds(
    lambda minutes, channel, party, connected, caller, offset: contact(
        (datetime(2027, 3, 1) + timedelta(minutes=minutes)).isoformat(timespec="seconds")
        + offset, channel=channel, party=party, connected=connected, collector=caller),
    st.integers(0, 60 * 24 * 20), st.sampled_from(["call", "call", "sms", "letter"]),
    st.sampled_from(["borrower", "borrower", "family"]), st.booleans(),
    st.sampled_from(["X", "Y"]), st.sampled_from(["+08:00", "-05:00", "+00:00"]))


@given(st.lists(contact_st, max_size=25), st.sampled_from(["CN", "US", "GB"]), st.randoms())
@settings(max_examples=200, deadline=None)
def test_shuffling_a_log_never_changes_what_is_flagged(log, jurisdiction, rnd):
    # (contacts at the same instant are ordered by their place in the list, so
    # only a log without ties may be shuffled freely)
    assume(len({datetime.fromisoformat(c["at"]) for c in log}) == len(log))
    before = flagged(jurisdiction, log)
    order = list(range(len(log)))
    rnd.shuffle(order)
    after = flagged(jurisdiction, [log[i] for i in order])
    assert sorted((order[i], r) for i, r in after) == before


@given(st.lists(contact_st, min_size=1, max_size=25), contact_st,
       st.sampled_from(["CN", "US", "GB"]))
@settings(max_examples=200, deadline=None)
def test_adding_a_later_contact_never_removes_an_earlier_flag(log, extra, jurisdiction):
    """Every rule counts what came before; a contact added after all others
    (later in time) can only add flags."""
    last = max(datetime.fromisoformat(c["at"]) for c in log)
    extra = {**extra, "at": (last + timedelta(minutes=1)).isoformat(timespec="seconds")}
    before = set(flagged(jurisdiction, log))
    assert before <= set(flagged(jurisdiction, [*log, extra]))


def test_random_logs_do_not_crash_other_jurisdictions():
    rnd = random.Random(3)
    log = [contact(f"2027-03-{rnd.randint(1, 28):02d}T{rnd.randint(0, 23):02d}:00:00+01:00")
           for _ in range(30)]
    assert flagged("other", log) == []
