"""``parley letters``: files per creditor, and exit code 2 with ``path: message``
lines (never a traceback) for bad input."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from tests.letters.support import EXAMPLES, load_raw
from webapp.commands.letters import letters_command

TODAY = ["--today", "2026-12-01"]


def run(*args: str):
    return CliRunner().invoke(letters_command, [*map(str, args)], catch_exceptions=False)


def test_writes_one_pdf_per_creditor_and_the_budget_statement(tmp_path):
    result = run(
        EXAMPLES["cn-credit-cards"],
        "--strategy",
        "pro_rata",
        "--type",
        "proposal",
        "--lang",
        "zh_CN",
        "--format",
        "pdf",
        "--out",
        tmp_path / "out",
        *TODAY,
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["budget-statement.pdf", "icbc.pdf", "pab.pdf", "wld.pdf"]
    assert (tmp_path / "out" / "icbc.pdf").read_bytes().startswith(b"%PDF")
    assert str(tmp_path / "out" / "icbc.pdf") in result.stdout


def test_docx_in_the_case_language_by_default(tmp_path):
    result = run(
        EXAMPLES["cn-credit-cards"],
        "--type",
        "cn_instalment",
        "--format",
        "docx",
        "--out",
        tmp_path,
        *TODAY,
    )
    assert result.exit_code == 0, result.output
    doc = Document(io.BytesIO((tmp_path / "icbc.docx").read_bytes()))
    assert any("个性化分期" in p.text for p in doc.paragraphs)
    # 微粒贷 is an online loan, not a card: it gets an ordinary proposal (issue 13.7)
    doc = Document(io.BytesIO((tmp_path / "wld.docx").read_bytes()))
    text = "".join(p.text for p in doc.paragraphs)
    assert "还款方案申请" in text and "个性化分期" not in text and "信用卡" not in text


def test_letters_skip_priority_debts_and_take_extras(tmp_path):
    result = run(
        EXAMPLES["us-with-priority"],
        "--type",
        "confirmation",
        "--format",
        "html",
        "--extra",
        "call_date=2026-11-20",
        "--extra",
        "agent=Sam",
        "--out",
        tmp_path,
        *TODAY,
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "amex.html",
        "budget-statement.html",
        "sofi.html",
    ]
    html = (tmp_path / "amex.html").read_text(encoding="utf-8")
    assert "Nov 20, 2026" in html and "(Sam)" in html and "$556.85" in html


def test_zip(tmp_path):
    result = run(
        EXAMPLES["gb-family"],
        "--type",
        "proposal",
        "--format",
        "html",
        "--zip",
        "--out",
        tmp_path,
        *TODAY,
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "letters.zip") as archive:
        assert sorted(archive.namelist()) == ["budget-statement.html", "klarna.html", "vanq.html"]


@pytest.fixture
def bad_case(tmp_path):
    raw = load_raw("gb-family")
    raw["debts"][1]["balance"] = "-5"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--type", "grovel"], "type: unknown letter type 'grovel'"),
        (["--lang", "fr"], "lang: unknown language 'fr'"),
        (["--format", "odt"], "format: unknown format 'odt'"),
        (["--today", "yesterday"], "today: not a date"),
        (["--extra", "nonsense"], "extra: expected KEY=VALUE"),
        (["--type", "cn_instalment"], "type: a 'cn_instalment' letter is for CN only, not GB"),
        (["--type", "settlement"], "strategy: settlement is not feasible"),
        (["--strategy", "token"], "strategy: a 'proposal' letter carries"),
        (["--type", "confirmation"], "extras.call_date: required"),
        (["--type", "hold", "--extra", "offer_by=soon"], "extras.offer_by: not a date"),
    ],
)
def test_bad_options_exit_2_with_path_and_message(tmp_path, args, expected):
    result = run(EXAMPLES["gb-family"], *TODAY, *args, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_bad_case_file_exits_2_naming_the_field(bad_case, tmp_path):
    result = run(bad_case, "--out", tmp_path, *TODAY)
    assert result.exit_code == 2
    assert "debts[1].balance" in result.stderr and "Traceback" not in result.output


def test_unreadable_and_non_json_case_files_exit_2(tmp_path):
    missing = run(tmp_path / "nope.json", *TODAY)
    assert missing.exit_code == 2 and "cannot read the file" in missing.stderr
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    result = run(garbage, *TODAY)
    assert result.exit_code == 2 and result.stderr.strip() and "Traceback" not in result.output


def test_a_case_file_without_a_sender_exits_2_naming_what_is_missing(tmp_path):
    """The examples carry no borrower: letters from them used to go out unsigned,
    with no sender and no account line (issue 14.1)."""
    example = Path(__file__).resolve().parents[1] / "data" / "examples" / "gb-family.json"
    result = run(example, *TODAY, "--out", tmp_path / "out")
    assert result.exit_code == 2
    for line in ("borrower.name: ", "borrower.address: ", "debts[1].account_ref: ",
                 "debts[2].account_ref: "):
        assert line in result.stderr
    assert "debts[0]" not in result.stderr  # a priority debt gets no proposal letter
    assert not (tmp_path / "out").exists()
    raw = load_raw("gb-family")
    raw["debts"][1].pop("account_ref_unknown")
    raw["debts"][1]["account_ref"] = "  "
    path = tmp_path / "case.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    result = run(path, *TODAY, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "debts[1].account_ref: give the account" in result.stderr
    result = run(path, *TODAY, "--type", "prove_debt", "--out", tmp_path / "out")
    assert result.exit_code == 2  # every letter needs it, not only offers


def test_the_complaint_about_collection_goes_to_each_debt_whose_contacts_break_a_rule(tmp_path):
    """cn-negotiation logs a night call and a call to the family about ICBC's card,
    and a daytime text from a law firm about no debt: one complaint, to ICBC."""
    from tests.letters.support import sendable

    source = Path(__file__).resolve().parents[1] / "data" / "examples" / "cn-negotiation.json"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(sendable(json.loads(source.read_text(encoding="utf-8")))),
                    encoding="utf-8")
    result = run(path, "--type", "contact_complaint", "--lang", "en", "--format", "docx",
                 "--out", tmp_path / "out", *TODAY)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["icbc.docx"]
    [table] = Document(str(tmp_path / "out" / "icbc.docx")).tables
    assert [row.cells[0].text for row in table.rows][1:] == [
        "2027-02-25 22:40 +08:00", "2027-02-26 10:05 +08:00"]


def test_a_complaint_about_collection_with_nothing_flagged_exits_2(tmp_path):
    result = run(EXAMPLES["cn-credit-cards"], "--type", "contact_complaint", "--out",
                 tmp_path / "out", *TODAY)
    assert result.exit_code == 2
    assert "contacts: no debt's logged contacts break a collection rule" in result.output


# --- the settlement floor (issue 12): the web asks for a tick, the command for --insist ---

def _settlement_case(tmp_path: Path, lump_sum: str) -> Path:
    from tests.letters.test_arithmetic import raw_case

    path = tmp_path / "case.json"
    path.write_text(json.dumps(raw_case(lump_sum=lump_sum)), encoding="utf-8")
    return path


def test_a_settlement_below_the_floor_stops_with_exit_code_2_and_the_figures(tmp_path):
    # 1,200 against 6,000 owed is 20%, below the 30% floor; 40% is 2,400, 60% 3,600
    case = _settlement_case(tmp_path, "1200")
    result = run(case, "--type", "settlement", "--out", tmp_path / "out", *TODAY,
                 "--extra", "deadline=2026-12-22")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "insist: this settlement offers 20% of what you owe, below the 30% creditors usually "
        "accept (a lump sum of £2,400.00 would reach 40%, £3,600.00 60%): creditors are "
        "unlikely to accept it; pass --insist to write it anyway")
    assert not (tmp_path / "out").exists()  # nothing written


def test_insist_writes_the_settlement_below_the_floor(tmp_path):
    from tests.letters.test_careful_english import pdf_text

    case = _settlement_case(tmp_path, "1200")
    result = run(case, "--type", "settlement", "--out", tmp_path / "out", *TODAY,
                 "--extra", "deadline=2026-12-22", "--insist")
    assert result.exit_code == 0, result.output
    text = pdf_text((tmp_path / "out" / "card.pdf").read_bytes())
    assert "£800.00" in text  # the card's share of the 1,200: 4,000 / 6,000


def test_a_settlement_at_or_above_the_floor_needs_no_insist(tmp_path):
    case = _settlement_case(tmp_path, "2400")  # 40%
    result = run(case, "--type", "settlement", "--out", tmp_path / "out", *TODAY,
                 "--extra", "deadline=2026-12-22")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "card.pdf").exists()


def test_insist_changes_nothing_for_other_letters(tmp_path):
    case = _settlement_case(tmp_path, "1200")
    result = run(case, "--type", "proposal", "--out", tmp_path / "out", *TODAY, "--insist")
    assert result.exit_code == 0, result.output
