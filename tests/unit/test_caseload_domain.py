"""The caseload's stored rows give the status contract's answer on every later day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.unit.record_builders import accepted, case_file, debt, event, payment, sent
from webapp.domain.casefile import parse_case
from webapp.domain.caseload import Row, lines, next_line, project, row_for, summary_dates
from webapp.domain.status import NextAction, Status, creditor_statuses

D = date.fromisoformat

RECORDS = {
    "nothing sent": [],
    "a letter out": [{"debt_id": "a", "events": [sent("2027-02-01")]}],
    "asked for information": [{"debt_id": "a", "events": [
        sent("2027-02-01"), event("2027-02-10", "info_requested")]}],
    "refused": [{"debt_id": "a", "events": [sent("2027-02-01"), event("2027-02-10", "rejected")]}],
    "counter-offer": [{"debt_id": "a", "events": [
        sent("2027-02-01"), event("2027-02-10", "counter_offer", monthly="40.00")]}],
    "agreement, one payment made": [{"debt_id": "a", "events": [
        sent("2027-02-01"), accepted("2027-02-10", "100.00", "2027-03-01"),
        payment("2027-03-01", "100.00")]}],
    "agreement paid in full": [{"debt_id": "a", "events": [
        sent("2027-02-01"), accepted("2027-02-10", "500.00", "2027-03-01", total="1000.00"),
        payment("2027-03-01", "500.00"), payment("2027-03-20", "500.00")]}],
    "every kind at once": [
        {"debt_id": "a", "events": [sent("2027-02-01")]},
        {"debt_id": "b", "events": [sent("2027-02-01"), accepted("2027-02-10", "50.00",
                                                                 "2027-02-28")]},
        {"debt_id": "c", "events": [sent("2027-02-01"),
                                    event("2027-02-05", "counter_offer", monthly="80.00")]}],
}


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_the_stored_rows_project_to_the_contracts_status_on_every_later_day(name):
    case = parse_case(case_file(negotiations=RECORDS[name]))
    computed_on = D("2027-03-20")
    rows = [row_for(s) for s in creditor_statuses(case, computed_on)]
    for offset in range(0, 400, 3):
        day = computed_on + timedelta(days=offset)
        expected = creditor_statuses(case, day)
        got = [project(r, day) for r in rows]
        assert [(g.status, g.next_action, g.due, g.overdue) for g in got] == [
            (s.status, s.next_action, s.due, s.overdue) for s in expected], (name, day)


def test_a_letter_out_turns_to_no_reply_the_day_after_its_reply_by_date():
    row = Row("Lender", "awaiting", D("2027-03-03"))
    assert project(row, D("2027-03-03")).status == Status.AWAITING_REPLY
    late = project(row, D("2027-03-04"))
    assert (late.status, late.next_action, late.overdue) == (
        Status.NO_REPLY, NextAction.FOLLOW_UP, True)


def test_an_agreement_is_in_arrears_once_its_next_payment_date_has_passed():
    row = Row("Lender", "agreement", D("2027-04-01"))
    assert project(row, D("2027-04-01")).status == Status.AGREEMENT_ACTIVE
    assert project(row, D("2027-04-02")).status == Status.IN_ARREARS


def test_the_next_line_is_the_overdue_one_then_the_urgent_one():
    rows = [Row("A", "not_contacted", None), Row("B", "counter_offer", D("2027-03-10")),
            Row("C", "awaiting", D("2027-03-01")), Row("D", "completed", None)]
    day = D("2027-03-05")
    assert [x.creditor for x in lines(rows, day)] == ["C", "B", "A", "D"]
    assert next_line(rows, day).creditor == "C"
    assert next_line([Row("D", "completed", None)], day).next_action == NextAction.NONE
    assert next_line([], day) is None


def test_the_summary_dates_are_the_earliest_of_each_kind():
    rows = [Row("A", "awaiting", D("2027-03-09")), Row("B", "agreement", D("2027-03-01")),
            Row("C", "rejected", D("2027-02-20")), Row("E", "awaiting", D("2027-03-02"))]
    dates = summary_dates(rows)
    assert (dates.next_due, dates.reply_by, dates.payment_due) == (
        D("2027-02-20"), D("2027-03-02"), D("2027-03-01"))
    assert summary_dates([Row("A", "not_contacted", None)]).next_due is None


def test_rows_survive_json():
    row = Row("Lender 李", "awaiting", D("2027-03-09"))
    assert Row.from_json(row.to_json()) == row
    assert Row.from_json(Row("X", "completed", None).to_json()).due is None


def test_the_case_files_other_debts_are_listed_as_the_contract_lists_them():
    case = parse_case(case_file(debts=[debt("a", "100"), debt("h", "900", kind="rent_arrears")],
                                negotiations=[]))
    assert [r.creditor for r in (row_for(s) for s in creditor_statuses(case, D("2027-03-01")))] \
        == ["Creditor a"]  # a priority debt without a record is not in the status
