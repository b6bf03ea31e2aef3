import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_case, make_debt, make_item
from webapp.extensions import db
from webapp.models import Case, Debt

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = sorted((DATA / "examples").glob("*.json"))


@pytest.fixture
def logged_in(auth):
    auth.register()


def _import(client, text: str):
    return client.post("/cases/import", data={"text": text})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_importing_then_exporting_an_example_gives_the_same_case_file(client, logged_in, path):
    original = json.loads(path.read_text())
    response = _import(client, path.read_text())
    assert response.status_code == 302
    exported = json.loads(client.get(response.location + "/export").data)
    again = json.loads(client.get(
        _import(client, json.dumps(exported)).location + "/export").data)
    assert again == exported
    # Every field of the original is kept, amounts compared as numbers.
    assert exported["currency"] == original["currency"]
    assert exported["start_date"] == original["start_date"]
    assert [d["id"] for d in exported["debts"]] == [d["id"] for d in original["debts"]]
    for mine, theirs in zip(exported["debts"], original["debts"], strict=True):
        assert mine["creditor"] == theirs["creditor"]
        for key in ("balance", "apr", "contractual_payment"):
            assert float(mine[key]) == float(theirs[key])  # float ok: comparing in a test


def test_a_case_built_in_the_forms_round_trips_with_chinese_text(client, logged_in):
    case_url = make_case(client, title="我们家的预算", currency="CNY", jurisdiction="CN",
                         borrower_name="张三", borrower_address="北京市朝阳区某路 1 号")
    make_item(client, case_url, "income", label="工资", amount="8500", frequency="monthly")
    make_item(client, case_url, "expense", label="房租", amount="2800", category="housing",
              frequency="monthly")
    make_debt(client, case_url, creditor="招商银行信用卡中心", kind="credit_card",
              balance="45000.50", apr="18.25", contractual_payment="2250",
              account_ref="6225 **** 1234", creditor_address="深圳市福田区深南大道 7088 号",
              days_overdue="95")
    first = client.get(case_url + "/export")
    assert first.headers["Content-Disposition"].startswith("attachment;")
    exported = json.loads(first.data)
    assert exported["title"] == "我们家的预算"
    assert exported["debts"][0]["creditor"] == "招商银行信用卡中心"
    assert "招商银行" in first.get_data(as_text=True)  # not \u-escaped
    again = json.loads(client.get(_import(client, first.get_data(as_text=True)).location
                                  + "/export").data)
    assert again == exported


def test_a_file_upload_works_too(client, logged_in):
    text = EXAMPLES[0].read_bytes()
    response = client.post("/cases/import", data={"file": (io.BytesIO(text), "case.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 302


def test_a_bad_file_is_refused_with_every_problem_by_field_path_and_nothing_stored(
        app, client, logged_in):
    bad = json.loads(EXAMPLES[0].read_text())
    bad["debts"][1]["balance"] = "-5"
    bad["income"][0]["frequency"] = "hourly"
    bad["start_date"] = "2027-02-30"
    response = _import(client, json.dumps(bad))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<code>debts[1].balance</code>" in html
    assert "<code>income[0].frequency</code>" in html
    assert "<code>start_date</code>" in html
    assert "3 problems" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0
        assert db.session.scalar(select(func.count(Debt.id))) == 0


@pytest.mark.parametrize("text", ["{not json", "[]", '{"format": "parley-case/1", "balance": NaN}',
                                  '"just a string"'])
def test_garbage_is_refused_without_a_server_error(client, logged_in, text):
    response = _import(client, text)
    assert response.status_code == 422
    assert "nothing was imported" in response.get_data(as_text=True)


def test_nul_characters_are_refused_not_stored(app, client, logged_in):
    case = json.loads(EXAMPLES[0].read_text())
    case["debts"][0]["creditor"] = "bad\u0000name"
    response = _import(client, json.dumps(case))
    assert response.status_code in (200, 422)
    assert "nothing was imported" in response.get_data(as_text=True) or \
        "not allowed" in response.get_data(as_text=True)
    assert _import(client, "\x00").status_code == 200  # the form itself refuses NUL
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0


def test_plan_options_survive_import_and_export(app, client, logged_in):
    original = json.loads(EXAMPLES[0].read_text())
    original["jurisdiction"] = "GB"
    original["options"] = {"min_offer": "2.00", "pro_rata_basis": "contractual",
                           "term_months": 96, "term_apr": "3.25"}
    response = _import(client, json.dumps(original))
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.pro_rata_basis, case.term_months, case.term_apr) == (
            "contractual", 96, Decimal("3.25"))
    exported = json.loads(client.get(response.location + "/export").data)
    # Numeric(8, 4) stores 3.2500; the file gets back what was written.
    assert exported["options"] == original["options"]


def test_a_case_without_options_exports_none(client, logged_in):
    original = json.loads(EXAMPLES[0].read_text())
    original.pop("options", None)
    response = _import(client, json.dumps(original))
    assert "options" not in json.loads(client.get(response.location + "/export").data)


def test_an_imported_term_beyond_the_jurisdiction_limit_is_refused_by_path(client, logged_in):
    original = json.loads(EXAMPLES[0].read_text())
    original["jurisdiction"] = "CN"
    original["options"] = {"term_months": 72}
    response = _import(client, json.dumps(original))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "options.term_months" in html and "from 1 to 60 (the longest term for CN)" in html


def test_who_holds_each_debt_and_where_the_lump_sum_comes_from_survive_import_and_export(
        app, client, logged_in):
    from tests.letters.support import us_collectors_raw

    raw = us_collectors_raw() | {"lump_sum_source": "my tax refund"}
    response = _import(client, json.dumps(raw))
    assert response.status_code == 302
    with app.app_context():
        assert dict(db.session.execute(select(Debt.ref, Debt.holder)).all()) == {
            "car": "original_creditor", "chase": "original_creditor",
            "midland": "debt_buyer", "allied": "collection_agency"}
    exported = json.loads(client.get(response.location + "/export").data)
    assert [d.get("holder") for d in exported["debts"]] == [
        None, None, "debt_buyer", "collection_agency"]
    assert exported["lump_sum_source"] == "my tax refund"


def test_a_record_dated_after_today_still_opens_and_says_which_day_it_shows(client, logged_in):
    """A case file prepared ahead (the example's record is dated 2027) is kept as it
    is (the API's status must match `parley status --today` on it), and its page
    shows the statuses on the record's last day, saying so, instead of an error."""
    text = (DATA / "examples" / "cn-negotiation.json").read_text()
    response = _import(client, text)
    assert response.status_code == 302
    page = client.get(response.location, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "events dated after today" in html
    last = max(e["on"] for n in json.loads(text)["negotiations"] for e in n["events"])
    assert last == "2027-03-31" and "Mar 31, 2027" in html
    creditor = client.get(response.location + "/creditors/pab")
    assert creditor.status_code == 200
