"""The iCalendar writer (RFC 5545): line endings, folding, escaping, all-day events."""

from __future__ import annotations

from datetime import UTC, date, datetime

from webapp.ical import Event, calendar, escape_text, fold

STAMP = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_every_line_ends_with_crlf_and_no_bare_newline_is_left():
    text = calendar([Event("u1", date(2027, 3, 31), "Pay\nnow")], name="Case", stamp=STAMP)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_text_escapes_backslash_semicolon_comma_and_newlines():
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_long_lines_fold_at_75_octets_with_a_leading_space():
    line = "SUMMARY:" + "x" * 200
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_folding_never_cuts_a_chinese_character():
    line = "SUMMARY:" + "向招商银行还款" * 20
    parts = fold(line).split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    for p in parts:
        p.encode("utf-8").decode("utf-8")  # every piece is whole characters
    assert fold(line).replace("\r\n ", "") == line


def test_a_short_line_is_not_folded():
    assert fold("SUMMARY:" + "x" * 67) == "SUMMARY:" + "x" * 67
    assert "\r\n" in fold("SUMMARY:" + "x" * 68)


def test_an_event_is_all_day_with_uid_and_utc_stamp():
    text = calendar([Event("abc@parley", date(2027, 2, 28), "Pay, please; now",
                           "note")], name="My case", stamp=STAMP)
    lines = unfold(text)
    assert "UID:abc@parley" in lines
    assert "DTSTAMP:20270301T093000Z" in lines
    assert "DTSTART;VALUE=DATE:20270228" in lines
    assert "DTEND;VALUE=DATE:20270301" in lines
    assert "SUMMARY:Pay\\, please\\; now" in lines
    assert "DESCRIPTION:note" in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    assert lines[-2] == "END:VCALENDAR"
