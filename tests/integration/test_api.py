"""POST /api/v1/plan: the CLI's JSON over HTTP; checked against its OpenAPI document."""

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import func, select

from webapp import create_app
from webapp.commands.plan import plan_command
from webapp.extensions import db
from webapp.models import Case

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_api_returns_what_the_cli_prints(client, path):
    from click.testing import CliRunner

    cli = CliRunner().invoke(plan_command, [str(path)])
    assert cli.exit_code == 0, cli.output
    response = client.post("/api/v1/plan", data=path.read_bytes(),
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json == json.loads(cli.output)
    assert list(response.json) == list(json.loads(cli.output))  # same key order too


def test_amounts_travel_as_strings(client):
    body = client.post("/api/v1/plan", data=EXAMPLES[0].read_bytes()).json
    for key in ("monthly_income", "monthly_expenses", "priority_payments", "available"):
        assert isinstance(body["budget"][key], str)
    # the first feasible monthly strategy (pro rata is not offered when the
    # contractual payments fit, issue 13.1)
    feasible = next(s for s in body["strategies"] if s["feasible"] and s["offers"])
    assert isinstance(feasible["offers"][0]["monthly"], str)
    assert isinstance(body["budget"]["contractual_payments"], str)


def test_invalid_input_is_a_422_listing_every_problem_by_path(app, client):
    bad = json.loads(EXAMPLES[0].read_text())
    bad["debts"][1]["balance"] = "-1"
    bad["currency"] = "pounds"
    response = client.post("/api/v1/plan", json=bad)
    assert response.status_code == 422
    assert {p["path"] for p in response.json} == {"debts[1].balance", "currency"}
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize("body", [b"{", b"not json", b"\xff\xfe", b'{"a": NaN}'])
def test_malformed_json_is_a_400(client, body):
    response = client.post("/api/v1/plan", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json[0]["path"] == ""


def test_the_api_needs_no_login_and_no_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/api/v1/plan", data=EXAMPLES[0].read_bytes())
    assert response.status_code == 200


def test_the_api_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")
    client = app.test_client()
    codes = [client.post("/api/v1/plan", data=EXAMPLES[0].read_bytes()).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.post("/api/v1/plan", data=b"{}").json["error"] == "Too Many Requests"


def test_the_openapi_document_is_served(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/plan" in doc["paths"]


def _term_cap_in_document(doc: dict, jurisdiction: str) -> int:
    """The largest ``options.term_months`` the document allows for a jurisdiction."""
    case = doc["paths"]["/api/v1/plan"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    caps = [branch["properties"]["options"]["properties"]["term_months"]["maximum"]
            for part in case.get("allOf", [case]) for branch in part.get("anyOf", [])
            if jurisdiction in branch["properties"]["jurisdiction"]["enum"]]
    assert len(caps) == 1, caps
    return caps[0]


@pytest.mark.parametrize("jurisdiction", ["CN", "US", "GB", "other"])
def test_the_openapi_document_states_the_term_cap_the_server_enforces(client, jurisdiction):
    """Issue 7, item 11: the document allowed 120 months everywhere; China caps at 60."""
    from webapp.domain.strategies.term import TERM_LIMITS

    cap = _term_cap_in_document(client.get("/api/v1/openapi.json").json, jurisdiction)
    assert cap == TERM_LIMITS[jurisdiction]
    case = json.loads(EXAMPLES[0].read_text())
    case["jurisdiction"] = jurisdiction
    case["options"] = {"term_months": cap}
    assert client.post("/api/v1/plan?schedule=none", json=case).status_code == 200
    case["options"] = {"term_months": cap + 1}
    response = client.post("/api/v1/plan?schedule=none", json=case)
    assert response.status_code == 422
    assert response.json[0]["path"] == "options.term_months"


def test_the_openapi_document_states_the_limits(client):
    from webapp.domain.limits import MAX_API_BODY, MAX_DEBTS

    doc = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/plan"]["post"]
    [case] = [p for p in doc["requestBody"]["content"]["application/json"]["schema"]["allOf"]
              if "properties" in p]
    assert case["properties"]["debts"]["maxItems"] == MAX_DEBTS
    assert "413" in doc["responses"] and f"{MAX_API_BODY:,}" in doc["responses"]["413"][
        "description"]
    [param] = doc["parameters"]
    assert (param["name"], param["schema"]["enum"]) == ("schedule", ["monthly", "yearly", "none"])
def test_the_openapi_document_describes_who_holds_a_debt(client):
    doc = client.get("/api/v1/openapi.json").json
    body = doc["paths"]["/api/v1/plan"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    [case] = [p for p in schema.get("allOf", [schema]) if "properties" in p]
    holder = case["properties"]["debts"]["items"]["properties"]["holder"]
    assert holder["enum"] == ["original_creditor", "collection_agency", "debt_buyer", None]
    assert case["properties"]["lump_sum_source"]["maxLength"] == 300
    raw = json.loads(EXAMPLES[0].read_text())
    raw["debts"][0]["holder"] = "bailiff"
    response = client.post("/api/v1/plan", json=raw)
    assert response.status_code == 422
    assert [p["path"] for p in response.json] == ["debts[0].holder"]


_app = create_app({"TESTING": True, "SECRET_KEY": "x", "RATELIMIT_ENABLED": False,
                   "SQLALCHEMY_DATABASE_URI": "sqlite://", "PASSWORD_HASH_FAST": True})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _app)
#: The case the workspace calls are pointed at (made again after an erasure).
KNOWN_CASE = "schemathesis-case"


def _workspace_token() -> str:
    """A borrower with a token on the in-memory database of ``_app``."""
    from webapp.services import accounts, tokens

    with _app.app_context():
        db.create_all()
        owner = accounts.register("schemathesis@example.com", "correct horse battery",
                                  "borrower")
        return tokens.create(owner, "schemathesis")[1]


TOKEN = _workspace_token()


def _ensure_known_case() -> None:
    from webapp.services import accounts
    from webapp.services.cases import import_case

    with _app.app_context():
        if db.session.scalar(select(Case.id).where(Case.public_id == KNOWN_CASE)) is None:
            case = import_case(accounts.find_by_email("schemathesis@example.com"),
                               EXAMPLES[0].read_bytes())
            case.public_id = KNOWN_CASE
            db.session.commit()
        db.session.remove()


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_contract(case):
    """schemathesis: no 5xx, every response matches the documented schema, status
    codes and content types are documented, and schema-invalid input is refused.

    positive_data_acceptance is left out on purpose: the parser also refuses some
    values JSON Schema cannot express (e.g. any text with control characters in
    a field the document leaves open), and says so with a 422 naming the field.

    The workspace calls go with a live token, at a case that exists (random ids
    would only ever meet the 404).
    """
    from schemathesis import checks

    if case.path_parameters and "case_id" in case.path_parameters:
        _ensure_known_case()
        case.path_parameters["case_id"] = KNOWN_CASE
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
    case.call_and_validate(checks=[
        checks.not_a_server_error, checks.response_schema_conformance,
        checks.status_code_conformance, checks.content_type_conformance,
        checks.negative_data_rejection, checks.unsupported_method,
    ])
