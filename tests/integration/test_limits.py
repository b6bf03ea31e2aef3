"""Issue 7, item 1: everything one request can make the server do is bounded.

The worst allowed case is planned; one over any limit is refused naming the
limit (413 for the body, 422 for a list), on the API, on import and through
the forms, and nothing is saved.
"""

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.factories import make_worst_case
from webapp.commands.plan import plan_command
from webapp.domain.limits import (
    MAX_API_BODY,
    MAX_DEBTS,
    MAX_EXPENSE_ITEMS,
    MAX_INCOME_ITEMS,
    MAX_SCHEDULE_ENTRIES,
)
from webapp.extensions import db
from webapp.models import BudgetItem, Case, Debt

OVER = [
    ("debts", {"debts": MAX_DEBTS + 1}, f"at most {MAX_DEBTS} debts"),
    ("income", {"income": MAX_INCOME_ITEMS + 1}, f"at most {MAX_INCOME_ITEMS} income items"),
    ("expenses", {"expenses": MAX_EXPENSE_ITEMS + 1},
     f"at most {MAX_EXPENSE_ITEMS} expense items"),
]


def _post(client, case: dict, query: str = ""):
    return client.post("/api/v1/plan" + query, data=json.dumps(case, ensure_ascii=False),
                       content_type="application/json")


# --- the API ------------------------------------------------------------------------


@pytest.mark.parametrize("schedule", ["yearly", "none"])
def test_the_api_plans_the_worst_allowed_case_in_a_compact_schedule(client, schedule):
    body = json.dumps(make_worst_case()).encode()
    assert len(body) < MAX_API_BODY
    response = client.post(f"/api/v1/plan?schedule={schedule}", data=body,
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json["schedule"] == schedule
    assert len(response.data) < 3_500_000


def test_the_api_refuses_a_monthly_schedule_over_its_bound_naming_it(client):
    response = _post(client, make_worst_case())
    assert response.status_code == 422
    [problem] = response.json
    assert problem["path"] == "schedule"
    assert f"at most {MAX_SCHEDULE_ENTRIES:,}" in problem["message"]


@pytest.mark.parametrize(("path", "counts", "message"), OVER, ids=[o[0] for o in OVER])
def test_the_api_refuses_one_over_a_list_limit_naming_it(client, path, counts, message):
    response = _post(client, make_worst_case(**counts), "?schedule=none")
    assert response.status_code == 422
    assert response.json == [{"path": path, "message": message}]


def test_the_api_refuses_a_body_over_its_limit_with_a_413_naming_it(client):
    case = make_worst_case(debts=1)
    case["title"] = "x"
    body = json.dumps(case).encode()
    body = body[:-1] + b', "padding": "' + b"x" * (MAX_API_BODY - len(body)) + b'"}'
    assert len(body) == MAX_API_BODY + len(b', "padding": ""')
    response = client.post("/api/v1/plan", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json == [{"path": "", "message":
                              f"the request body is larger than {MAX_API_BODY:,} bytes "
                              f"({MAX_API_BODY // 1024} KiB), the most this API takes"}]


def test_the_body_limit_is_the_apis_own_and_configurable(make_app):
    client = make_app(API_MAX_CONTENT_LENGTH=100).test_client()
    response = client.post("/api/v1/plan", data=b"{" + b" " * 200 + b"}",
                           content_type="application/json")
    assert response.status_code == 413
    assert "100 bytes" in response.json[0]["message"]


def test_the_cli_prints_a_yearly_schedule_on_request(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(make_worst_case(debts=3, income=1, expenses=1)))
    result = CliRunner().invoke(plan_command, [str(path), "--schedule", "yearly"])
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["schedule"] == "yearly"
    avalanche = next(s for s in plan["strategies"] if s["name"] == "avalanche")
    assert len(avalanche["schedule"]) == 50  # 600 months, one row a year


# --- import and the forms -----------------------------------------------------------


@pytest.fixture
def logged_in(auth):
    auth.register()


@pytest.mark.parametrize(("path", "counts", "message"), OVER, ids=[o[0] for o in OVER])
def test_an_import_one_over_a_limit_is_refused_naming_it_and_saves_nothing(
        app, client, logged_in, path, counts, message):
    text = json.dumps(make_worst_case(**counts))
    response = client.post("/cases/import", data={"text": text})
    assert response.status_code == 422
    assert f"<code>{path}</code>: {message}" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.fixture
def full_case(app, client, logged_in):
    """A case holding as many debts and budget items as a case may."""
    case = make_worst_case()
    for debt in case["debts"]:  # keep the import small and fast
        debt["creditor_address"] = ""
    response = client.post("/cases/import", data={"text": json.dumps(case)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.location


@pytest.mark.parametrize(("url", "data", "message"), [
    ("/debts/new", {"creditor": "One too many", "kind": "credit_card", "balance": "10",
                    "apr": "0", "contractual_payment": "1", "priority": "auto"},
     f"A case can hold at most {MAX_DEBTS} debts. Nothing was saved."),
    ("/income/new", {"label": "One too many", "amount": "1", "frequency": "monthly"},
     f"A case can hold at most {MAX_INCOME_ITEMS} income items. Nothing was saved."),
    ("/expense/new", {"label": "One too many", "amount": "1", "frequency": "monthly",
                      "category": "other"},
     f"A case can hold at most {MAX_EXPENSE_ITEMS} expense items. Nothing was saved."),
], ids=["debt", "income", "expense"])
def test_the_form_refuses_one_row_too_many_with_a_message_and_saves_nothing(
        app, client, full_case, url, data, message):
    with app.app_context():
        before = (db.session.scalar(select(func.count(Debt.id))),
                  db.session.scalar(select(func.count(BudgetItem.id))))
    response = client.post(full_case + url, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="One too many"' in page  # what was typed is kept
    with app.app_context():
        after = (db.session.scalar(select(func.count(Debt.id))),
                 db.session.scalar(select(func.count(BudgetItem.id))))
    assert after == before
    # ...and the full case still exports to a file that imports.
    exported = client.get(full_case + "/export").data
    assert client.post("/cases/import", data={"text": exported.decode()}).status_code == 302


@pytest.mark.parametrize(("extra", "status"), [(0, 422), (1, 413)])
def test_a_chunked_body_is_held_to_the_same_limit(client, extra, status):
    """No Content-Length (chunked): the stream is cut at the limit, so the API reads
    one byte more to tell "just at the limit" from "over it"."""
    import io

    body = b'{"title": "' + b"x" * (MAX_API_BODY - 13 + extra) + b'"}'
    assert len(body) == MAX_API_BODY + extra
    response = client.post("/api/v1/plan", input_stream=io.BytesIO(body),
                           content_type="application/json",
                           headers={"Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == status
