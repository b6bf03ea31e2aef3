import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from webapp.commands.plan import plan_command

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"


@pytest.mark.parametrize(
    "name", ["cn-credit-cards.json", "gb-family.json", "us-with-priority.json"]
)
def test_plan_prints_the_plan_for_each_example(name):
    result = CliRunner().invoke(plan_command, [str(EXAMPLES / name)])
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["format"] == "parley-plan/1" and result.stderr == ""


def test_chinese_text_is_printed_as_is():
    result = CliRunner().invoke(plan_command, [str(EXAMPLES / "cn-credit-cards.json")])
    assert "工商银行信用卡中心" in result.stdout


def test_an_invalid_case_prints_one_path_per_line_and_exits_2(tmp_path):
    case = json.loads((EXAMPLES / "gb-family.json").read_text())
    case["debts"][1]["balance"] = "-5"
    case["income"][0]["frequency"] = "daily"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(case))
    result = CliRunner().invoke(plan_command, [str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "income[0].frequency: must be one of weekly, fortnightly, four_weekly, monthly,"
        " quarterly, yearly",
        "debts[1].balance: must be ≥ 0",
    ]


def test_malformed_json_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": NaN}')
    result = CliRunner().invoke(plan_command, [str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "NaN is not allowed" in result.stderr


def test_an_unreadable_file_exits_2(tmp_path):
    result = CliRunner().invoke(plan_command, [str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'missing.json'}: cannot read the file")


def test_the_case_can_come_from_stdin():
    text = (EXAMPLES / "gb-family.json").read_bytes()
    result = CliRunner().invoke(plan_command, ["-", "--strategy", "token"], input=text)
    assert [s["name"] for s in json.loads(result.stdout)["strategies"]] == ["token"]
