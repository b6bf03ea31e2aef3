"""parley status and POST /api/v1/status: the same parley-status/1, the same refusals."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest
from click.testing import CliRunner

from webapp.blueprints.api.openapi import STATUS, openapi_document
from webapp.commands.status import status_command
from webapp.domain.record import LETTER_TYPES
from webapp.letters.catalogue import BUDGET_STATEMENT, CATALOGUE

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "cn-negotiation.json"


def _schema(schema: dict) -> dict:
    """OpenAPI 3.0's ``nullable`` as JSON Schema, for jsonschema."""
    if isinstance(schema, dict):
        out = {k: _schema(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable") and "type" in schema:
            out["type"] = [schema["type"], "null"]
        return out
    if isinstance(schema, list):
        return [_schema(v) for v in schema]
    return schema


@pytest.mark.parametrize("today", ["2027-03-31", "2027-04-01", "2027-06-30"])
def test_the_api_returns_what_the_cli_prints(client, today):
    cli = CliRunner().invoke(status_command, [str(EXAMPLE), "--today", today])
    assert cli.exit_code == 0, cli.output
    response = client.post(f"/api/v1/status?today={today}", data=EXAMPLE.read_bytes(),
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json == json.loads(cli.output)
    assert response.json["today"] == today
    jsonschema_rs.validate(_schema(STATUS), response.json)


def test_without_today_the_api_uses_the_borrowers_date(client):
    from webapp.models.types import local_date, now_utc

    data = json.loads(EXAMPLE.read_text())
    data["negotiations"] = [{"debt_id": "wld", "events": [
        {"on": "2020-01-02", "type": "sent", "letter": "proposal"}]}]
    response = client.post("/api/v1/status", json=data)
    assert response.status_code == 200
    assert response.json["today"] == local_date(now_utc(), "CN").isoformat()
    # the 2027 example's events have not happened yet today
    assert client.post("/api/v1/status", data=EXAMPLE.read_bytes()).status_code == 422


def test_an_event_after_today_is_a_422_at_its_date(client):
    response = client.post("/api/v1/status?today=2027-03-01", data=EXAMPLE.read_bytes())
    assert response.status_code == 422
    assert {p["path"] for p in response.json} == {
        "negotiations[0].events[1].on", "negotiations[1].events[1].on",
        "negotiations[1].events[2].on"}


def test_an_invalid_transition_is_a_422_at_its_type(client):
    data = json.loads(EXAMPLE.read_text())
    data["negotiations"][2]["events"].append({"on": "2027-03-01", "type": "payment",
                                              "amount": "10.00"})
    response = client.post("/api/v1/status?today=2027-04-01", json=data)
    assert response.status_code == 422
    assert response.json == [{"path": "negotiations[2].events[1].type",
                              "message": "payment cannot follow a negotiation that is "
                                         "awaiting_reply"}]


@pytest.mark.parametrize("today", ["tomorrow", "2027-02-30", ""])
def test_a_bad_today_is_a_422_naming_it(client, today):
    response = client.post(f"/api/v1/status?today={today}", data=EXAMPLE.read_bytes())
    assert response.status_code == 422
    assert response.json[0]["path"] == "today"


def test_the_cli_exits_2_with_field_paths(tmp_path):
    runner = CliRunner()
    result = runner.invoke(status_command, [str(EXAMPLE), "--today", "2027-02-01"])
    assert result.exit_code == 2
    assert "negotiations[0].events[0].on: is after today" in result.output
    assert runner.invoke(status_command, [str(EXAMPLE), "--today", "soon"]).exit_code == 2
    missing = runner.invoke(status_command, [str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_the_openapi_document_describes_the_status_call():
    doc = openapi_document()
    call = doc["paths"]["/api/v1/status"]["post"]
    assert call["parameters"][0]["name"] == "today"
    assert set(call["responses"]) >= {"200", "400", "422"}


def test_every_catalogue_letter_can_be_recorded_as_sent():
    assert {*CATALOGUE, BUDGET_STATEMENT.key} <= LETTER_TYPES
