"""The workspace API of shared/API.md: tokens, cases, the case file with
ETag/If-Match, plan and status per stored case, grants, audit and erasure."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from tests.factories import bearer, make_token, make_user
from webapp.commands.plan import plan_command
from webapp.commands.status import status_command
from webapp.extensions import db
from webapp.models import ApiToken, AuditEvent, Case, CaseGrant, Debt
from webapp.models.types import now_utc

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
CN = EXAMPLES / "cn-negotiation.json"
OWNER, COUNSELOR, STRANGER, OTHER = ("owner@example.com", "counselor@example.com",
                                     "stranger@example.com", "other@example.com")


@pytest.fixture
def people(app):
    """Tokens of a borrower (the owner), a counselor, another counselor and
    another borrower."""
    make_user(app, OWNER)
    make_user(app, COUNSELOR, "counselor")
    make_user(app, STRANGER, "counselor")
    make_user(app, OTHER)
    return {who: make_token(app, who) for who in (OWNER, COUNSELOR, STRANGER, OTHER)}


@pytest.fixture
def case_id(client, people) -> str:
    response = client.post("/api/v1/cases", data=CN.read_bytes(), headers=bearer(people[OWNER]))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json["id"]


def call(client, method, path, token=None, **kwargs):
    headers = {**kwargs.pop("headers", {}), **(bearer(token) if token else {})}
    return client.open(path, method=method, headers=headers, **kwargs)


def grant(client, people, case_id, email=COUNSELOR):
    return call(client, "POST", f"/api/v1/cases/{case_id}/grants", people[OWNER],
                json={"email": email})


# --- tokens -------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic dXNlcjpwYXNz",
                                    "bearer parley_" + "x" * 43])
def test_no_or_an_unknown_token_is_a_401_in_json(client, people, case_id, header):
    headers = {"Authorization": header} if header else {}
    for method, path in [("GET", "/api/v1/cases"), ("GET", f"/api/v1/cases/{case_id}"),
                         ("POST", "/api/v1/cases"), ("DELETE", f"/api/v1/cases/{case_id}")]:
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == 401
        assert response.json["error"] == "Unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_a_401(app, client, people, case_id):
    with app.app_context():
        db.session.execute(update(ApiToken).values(revoked_at=now_utc()))
        db.session.commit()
    assert call(client, "GET", "/api/v1/cases", people[OWNER]).status_code == 401


def test_the_stateless_calls_need_no_token(client):
    assert client.post("/api/v1/plan", data=CN.read_bytes()).status_code == 200
    assert client.post("/api/v1/status?today=2027-04-01", data=CN.read_bytes()).status_code == 200


def test_only_the_tokens_hash_is_stored(app, people):
    raw = people[OWNER]
    with app.app_context():
        rows = db.session.execute(select(ApiToken.__table__)).all()
    stored = json.dumps([list(map(str, r)) for r in rows])
    assert raw not in stored and raw[len("parley_"):] not in stored
    assert hashlib.sha256(raw.encode()).hexdigest() in stored


def test_last_use_is_recorded_at_most_once_a_minute(app, client, people):
    token = people[OWNER]

    def last_used():
        with app.app_context():
            return db.session.scalar(select(ApiToken.last_used_at).where(
                ApiToken.token_hash == hashlib.sha256(token.encode()).hexdigest()))

    assert last_used() is None
    call(client, "GET", "/api/v1/cases", token)
    first = last_used()
    assert first is not None
    call(client, "GET", "/api/v1/cases", token)
    assert last_used() == first  # within the minute: no write
    with app.app_context():
        db.session.execute(update(ApiToken).values(last_used_at=first - timedelta(minutes=2)))
        db.session.commit()
    call(client, "GET", "/api/v1/cases", token)
    assert last_used() > first - timedelta(minutes=2)


# --- cases --------------------------------------------------------------------------


def test_a_new_case_is_201_with_its_location_and_reads_back_losslessly(client, people, case_id):
    response = call(client, "GET", f"/api/v1/cases/{case_id}", people[OWNER])
    assert response.status_code == 200
    from webapp.domain.casefile import loads

    # the same case (18.2500 % is 18.25 %: the store keeps 4 places of an APR)
    assert loads(response.data) == loads(CN.read_bytes())
    assert response.headers["ETag"].startswith('"')
    created = call(client, "POST", "/api/v1/cases", people[OWNER], data=CN.read_bytes())
    assert created.headers["Location"] == f"/api/v1/cases/{created.json['id']}"
    assert call(client, "GET", created.headers["Location"], people[OWNER]).status_code == 200


def test_an_invalid_case_file_is_a_422_by_path_and_stores_nothing(app, client, people):
    bad = json.loads(CN.read_text())
    bad["debts"][0]["balance"] = "-1"
    response = call(client, "POST", "/api/v1/cases", people[OWNER], json=bad)
    assert response.status_code == 422
    assert {"path": "debts[0].balance", "message": "must be ≥ 0"} in response.json
    assert call(client, "POST", "/api/v1/cases", people[OWNER], data=b"{").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0


def test_the_list_has_own_and_granted_cases_only(client, people, case_id):
    other = call(client, "POST", "/api/v1/cases", people[OTHER], data=CN.read_bytes()).json["id"]
    grant(client, people, case_id)
    listed = call(client, "GET", "/api/v1/cases", people[COUNSELOR]).json["cases"]
    assert [c["id"] for c in listed] == [case_id]
    assert listed[0] == {"id": case_id, "owner": OWNER, "currency": "CNY", "jurisdiction": "CN",
                         "total_owed": "79000.00", "next_action": listed[0]["next_action"],
                         "next_due": listed[0]["next_due"]}
    assert [c["id"] for c in call(client, "GET", "/api/v1/cases",
                                  people[OWNER]).json["cases"]] == [case_id]
    assert [c["id"] for c in call(client, "GET", "/api/v1/cases",
                                  people[STRANGER]).json["cases"]] == []
    assert other not in {c["id"] for c in listed}


def test_the_list_gives_the_most_pressing_next_step(client, people):
    from tests.unit.record_builders import case_file, debt, sent
    from webapp.models.types import local_date

    today = local_date(now_utc(), "GB")
    data = case_file([debt("a", "1000"), debt("b", "3000", "50")], negotiations=[
        {"debt_id": "b", "events": [sent((today - timedelta(days=40)).isoformat())]}])
    call(client, "POST", "/api/v1/cases", people[OWNER], json=data)
    [row] = call(client, "GET", "/api/v1/cases", people[OWNER]).json["cases"]
    # b's reply was due 10 days ago (follow up); a, not written to, has no date
    assert row["next_action"] == "follow_up"
    assert row["next_due"] == (today - timedelta(days=10)).isoformat()
    assert row["total_owed"] == "4000.00"


@pytest.mark.parametrize("who", [OTHER, STRANGER, "revoked"])
def test_a_case_the_caller_may_not_open_is_404_on_every_call(client, people, case_id, who):
    if who == "revoked":
        grant(client, people, case_id)
        call(client, "DELETE", f"/api/v1/cases/{case_id}/grants/{COUNSELOR}", people[OWNER])
        who = COUNSELOR
    token = people[who]
    for method, suffix, body in [("GET", "", None), ("PUT", "", CN.read_bytes()),
                                 ("DELETE", "", None), ("GET", "/plan", None),
                                 ("GET", "/status?today=2027-04-01", None),
                                 ("POST", "/grants", b'{"email": "x@example.com"}'),
                                 ("DELETE", f"/grants/{COUNSELOR}", None),
                                 ("GET", "/audit", None)]:
        response = call(client, method, f"/api/v1/cases/{case_id}{suffix}", token, data=body,
                         headers={"If-Match": "*"})
        assert response.status_code == 404, (method, suffix)
        assert response.json["error"] == "Not Found"
        nowhere = call(client, method, f"/api/v1/cases/no-such-case{suffix}", token, data=body,
                       headers={"If-Match": "*"})
        assert (nowhere.status_code, nowhere.json) == (404, response.json)


# --- the case file, ETag and If-Match ------------------------------------------------


def _changed(data: dict) -> dict:
    data = json.loads(json.dumps(data))
    data["title"] = "Changed by the API"
    data["debts"][0]["balance"] = "12345.67"
    return data


def test_put_needs_if_match_and_refuses_a_stale_one_writing_nothing(app, client, people,
                                                                    case_id):
    token = people[OWNER]
    first = call(client, "GET", f"/api/v1/cases/{case_id}", token)
    etag = first.headers["ETag"]
    response = call(client, "PUT", f"/api/v1/cases/{case_id}", token,
                    json=_changed(first.json))
    assert response.status_code == 428
    ok = call(client, "PUT", f"/api/v1/cases/{case_id}", token, json=_changed(first.json),
              headers={"If-Match": etag})
    assert ok.status_code == 200
    assert ok.headers["ETag"] != etag
    assert ok.json["title"] == "Changed by the API"
    stale = first.json
    stale["title"] = "Stale"
    refused = call(client, "PUT", f"/api/v1/cases/{case_id}", token, json=stale,
                   headers={"If-Match": etag})
    assert refused.status_code == 412
    again = call(client, "GET", f"/api/v1/cases/{case_id}", token)
    assert again.json["title"] == "Changed by the API"
    assert again.headers["ETag"] == ok.headers["ETag"]
    assert call(client, "PUT", f"/api/v1/cases/{case_id}", token, json=again.json,
                headers={"If-Match": f'W/{ok.headers["ETag"]}'}).status_code == 412


def test_an_invalid_put_writes_nothing(client, people, case_id):
    token = people[OWNER]
    first = call(client, "GET", f"/api/v1/cases/{case_id}", token)
    bad = _changed(first.json)
    bad["currency"] = "pounds"
    response = call(client, "PUT", f"/api/v1/cases/{case_id}", token, json=bad,
                    headers={"If-Match": first.headers["ETag"]})
    assert response.status_code == 422
    assert response.json[0]["path"] == "currency"
    after = call(client, "GET", f"/api/v1/cases/{case_id}", token)
    assert (after.json, after.headers["ETag"]) == (first.json, first.headers["ETag"])


def test_a_counselor_with_a_grant_reads_and_writes(client, people, case_id):
    assert grant(client, people, case_id).status_code == 201
    token = people[COUNSELOR]
    first = call(client, "GET", f"/api/v1/cases/{case_id}", token)
    assert first.status_code == 200
    response = call(client, "PUT", f"/api/v1/cases/{case_id}", token, json=_changed(first.json),
                    headers={"If-Match": first.headers["ETag"]})
    assert response.status_code == 200
    assert call(client, "GET", f"/api/v1/cases/{case_id}/plan",
                token).json["format"] == "parley-plan/1"


def test_two_puts_from_the_same_etag_one_wins(app, people, case_id):
    from tests.concurrency import race

    clients = [app.test_client(), app.test_client()]
    first = call(clients[0], "GET", f"/api/v1/cases/{case_id}", people[OWNER])
    bodies = []
    for n in range(2):
        body = _changed(first.json)
        body["title"] = f"Writer {n}"
        bodies.append(body)
    results = race(*[
        (lambda c=c, b=b: call(c, "PUT", f"/api/v1/cases/{case_id}", people[OWNER], json=b,
                               headers={"If-Match": first.headers["ETag"]}))
        for c, b in zip(clients, bodies, strict=True)])
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 412]
    winner = next(r for r in results if r.status_code == 200)
    assert call(clients[0], "GET", f"/api/v1/cases/{case_id}",
                people[OWNER]).json["title"] == winner.json["title"]


def _web_login(app, email):
    from tests.conftest import AuthActions

    browser = app.test_client()
    assert AuthActions(browser).login(email).status_code == 302
    return browser


@pytest.mark.parametrize("change", ["reply", "contact", "debt", "case", "budget"])
def test_the_etag_moves_with_every_change_made_on_the_web(app, client, people, case_id, change):
    from webapp.models.types import local_date

    token = people[OWNER]
    etag = call(client, "GET", f"/api/v1/cases/{case_id}", token).headers["ETag"]
    browser = _web_login(app, OWNER)
    url = f"/cases/{case_id}"
    today = local_date(now_utc(), "CN")
    if change == "reply":
        # The example's events are in 2027: put one letter sent in the past first.
        data = json.loads(CN.read_text())
        data["negotiations"] = [{"debt_id": "icbc", "events": [
            {"on": (today - timedelta(days=20)).isoformat(), "type": "sent",
             "letter": "proposal"}]}]
        data.pop("contacts", None)
        call(client, "PUT", url.replace("/cases", "/api/v1/cases"), token, json=data,
             headers={"If-Match": etag})
        etag = call(client, "GET", f"/api/v1/cases/{case_id}", token).headers["ETag"]
        response = browser.post(f"{url}/creditors/icbc", data={
            "on": today.isoformat(), "type": "rejected", "channel": "phone"})
    elif change == "contact":
        data = json.loads(CN.read_text())
        data.pop("negotiations")
        data.pop("contacts", None)
        call(client, "PUT", url.replace("/cases", "/api/v1/cases"), token, json=data,
             headers={"If-Match": etag})
        etag = call(client, "GET", f"/api/v1/cases/{case_id}", token).headers["ETag"]
        response = browser.post(f"{url}/contacts", data={
            "on": (today - timedelta(days=1)).isoformat(), "at": "10:30", "channel": "call",
            "party": "borrower", "debt_ref": "", "collector": "X", "notes": ""})
    elif change == "debt":
        with app.app_context():
            debt_id = db.session.scalar(select(Debt.id).order_by(Debt.id))
        response = browser.post(f"{url}/debts/{debt_id}/edit", data={
            "creditor": "Renamed", "kind": "credit_card", "balance": "100", "apr": "0",
            "contractual_payment": "10", "priority": "auto"})
    elif change == "budget":
        response = browser.post(f"{url}/income/new", data={
            "label": "Side job", "amount": "100", "frequency": "monthly"})
    else:
        form = browser.get(f"{url}/edit").get_data(as_text=True)
        from tests.concurrency import hidden

        response = browser.post(f"{url}/edit", data={
            "title": "Renamed", "currency": "CNY", "jurisdiction": "CN",
            "start_date": "2027-03-31", "adults": "1", "children": "0", "language": "",
            "min_offer": "100", "version": hidden(form, "version")})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    after = call(client, "GET", f"/api/v1/cases/{case_id}", token).headers["ETag"]
    assert after != etag
    # ...so a PUT based on the older ETag is refused
    assert call(client, "PUT", f"/api/v1/cases/{case_id}", token, data=CN.read_bytes(),
                headers={"If-Match": etag}).status_code == 412


# --- plan and status -----------------------------------------------------------------


def _exported(app, client, case_id, tmp_path) -> Path:
    browser = _web_login(app, OWNER)
    path = tmp_path / "exported.json"
    path.write_bytes(browser.get(f"/cases/{case_id}/export").data)
    return path


@pytest.mark.parametrize("today", ["2027-03-31", "2027-04-01", "2027-06-30"])
def test_the_status_is_the_clis_on_the_exported_file(app, client, people, case_id, today,
                                                     tmp_path):
    path = _exported(app, client, case_id, tmp_path)
    cli = CliRunner().invoke(status_command, [str(path), "--today", today])
    assert cli.exit_code == 0, cli.output
    response = call(client, "GET", f"/api/v1/cases/{case_id}/status?today={today}",
                    people[OWNER])
    assert response.status_code == 200
    assert response.json == json.loads(cli.output)


def test_the_plan_is_the_clis_on_the_exported_file(app, client, people, case_id, tmp_path):
    path = _exported(app, client, case_id, tmp_path)
    cli = CliRunner().invoke(plan_command, [str(path)])
    assert cli.exit_code == 0, cli.output
    response = call(client, "GET", f"/api/v1/cases/{case_id}/plan", people[OWNER])
    assert response.json == json.loads(cli.output)
    yearly = call(client, "GET", f"/api/v1/cases/{case_id}/plan?schedule=yearly", people[OWNER])
    assert yearly.json["schedule"] == "yearly"


@pytest.mark.parametrize("today", ["tomorrow", "2027-02-30", ""])
def test_a_bad_today_is_a_422_naming_it(client, people, case_id, today):
    response = call(client, "GET", f"/api/v1/cases/{case_id}/status?today={today}",
                    people[OWNER])
    assert response.status_code == 422
    assert response.json[0]["path"] == "today"


def test_an_event_after_today_is_a_422_at_its_date(client, people, case_id):
    response = call(client, "GET", f"/api/v1/cases/{case_id}/status?today=2027-03-01",
                    people[OWNER])
    assert response.status_code == 422
    assert "negotiations[0].events[1].on" in {p["path"] for p in response.json}


def test_an_unknown_query_parameter_is_refused_by_name(client, people, case_id):
    response = call(client, "GET", f"/api/v1/cases/{case_id}/status?tody=2027-04-01",
                    people[OWNER])
    assert response.status_code == 422
    assert response.json == [{"path": "tody", "message": "unknown query parameter"}]


# --- grants, audit, erasure ----------------------------------------------------------


def test_only_a_counselors_account_can_be_granted(client, people, case_id):
    for email in (OTHER, "nobody@example.com"):
        response = grant(client, people, case_id, email)
        assert response.status_code == 422
        # the same words whether the address is a borrower's or no one's
        assert response.json == [{"path": "email",
                                  "message": "There is no counselor account with that e-mail."}]
    for body in ({}, {"email": 3}, {"email": " "}, [], None):
        assert call(client, "POST", f"/api/v1/cases/{case_id}/grants", people[OWNER],
                    json=body).status_code == 422
    assert call(client, "POST", f"/api/v1/cases/{case_id}/grants", people[OWNER],
                data=b"{").status_code == 400


def test_a_grant_then_a_revoke(app, client, people, case_id):
    response = grant(client, people, case_id, COUNSELOR.upper())
    assert response.status_code == 201
    assert response.json["email"] == COUNSELOR
    assert grant(client, people, case_id).status_code == 200  # already granted: one grant
    assert call(client, "GET", f"/api/v1/cases/{case_id}", people[COUNSELOR]).status_code == 200
    revoked = call(client, "DELETE", f"/api/v1/cases/{case_id}/grants/{COUNSELOR}",
                   people[OWNER])
    assert revoked.status_code == 204 and revoked.data == b""
    assert call(client, "GET", f"/api/v1/cases/{case_id}", people[COUNSELOR]).status_code == 404
    assert call(client, "DELETE", f"/api/v1/cases/{case_id}/grants/{COUNSELOR}",
                people[OWNER]).status_code == 404
    with app.app_context():
        rows = db.session.scalars(select(CaseGrant)).all()
        assert len(rows) == 1 and rows[0].revoked_at is not None  # the record is kept
    assert grant(client, people, case_id).status_code == 201  # granted again: a new grant


@pytest.mark.parametrize(("method", "suffix"), [
    ("POST", "/grants"), ("DELETE", f"/grants/{STRANGER}"), ("GET", "/audit"), ("DELETE", "")])
def test_a_counselor_with_a_grant_may_not_do_what_only_the_owner_does(
        app, client, people, case_id, method, suffix):
    grant(client, people, case_id)
    grant(client, people, case_id, STRANGER)
    response = call(client, method, f"/api/v1/cases/{case_id}{suffix}", people[COUNSELOR],
                    json={"email": COUNSELOR} if method == "POST" else None)
    assert response.status_code == 403
    assert response.json["error"] == "Forbidden"
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 1
        assert db.session.scalar(select(func.count(CaseGrant.id)).where(
            CaseGrant.revoked_at.is_(None))) == 2


def test_the_audit_log_says_who_did_what_oldest_first(app, client, people, case_id):
    grant(client, people, case_id)
    token = people[COUNSELOR]
    first = call(client, "GET", f"/api/v1/cases/{case_id}", token)
    call(client, "PUT", f"/api/v1/cases/{case_id}", token, json=_changed(first.json),
         headers={"If-Match": first.headers["ETag"]})
    call(client, "GET", f"/api/v1/cases/{case_id}/status?today=2027-04-01", token)
    call(client, "PUT", f"/api/v1/cases/{case_id}", token, json=first.json,
         headers={"If-Match": first.headers["ETag"]})  # 412: no change, no event
    call(client, "DELETE", f"/api/v1/cases/{case_id}/grants/{COUNSELOR}", people[OWNER])
    call(client, "GET", f"/api/v1/cases/{case_id}", token)  # 404: no event
    response = call(client, "GET", f"/api/v1/cases/{case_id}/audit", people[OWNER])
    assert response.status_code == 200
    events = response.json["events"]
    assert [(e["actor"], e["action"]) for e in events] == [
        (OWNER, "create"), (OWNER, "grant"), (COUNSELOR, "view"), (COUNSELOR, "change"),
        (COUNSELOR, "view"), (OWNER, "revoke")]
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert all(e["at"].endswith("Z") and set(e) == {"at", "actor", "action"} for e in events)
    # reading the log is not itself logged
    assert call(client, "GET", f"/api/v1/cases/{case_id}/audit",
                people[OWNER]).json["events"] == events


def test_no_personal_value_is_in_the_audit_log(app, client, people, case_id):
    grant(client, people, case_id)
    data = json.loads(CN.read_text())
    data["borrower"] = {"name": "王小明", "address": "上海市浦东新区世纪大道100号",
                        "phone": "13812345678", "email": "xiaoming@example.cn"}
    data["debts"][0]["account_ref"] = "6222020200112233445"
    first = call(client, "GET", f"/api/v1/cases/{case_id}", people[COUNSELOR])
    call(client, "PUT", f"/api/v1/cases/{case_id}", people[COUNSELOR], json=data,
         headers={"If-Match": first.headers["ETag"]})
    call(client, "GET", f"/api/v1/cases/{case_id}/plan", people[COUNSELOR])
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.__table__)).all()
        assert len(rows) >= 5
    stored = json.dumps([list(map(str, r)) for r in rows], ensure_ascii=False)
    values = list(data["borrower"].values())
    values += [d[k] for d in data["debts"] for k in ("account_ref", "creditor_address",
                                                     "creditor_phone") if d.get(k)]
    assert values and not [v for v in values if v in stored]


def test_erasing_a_case_leaves_nothing_under_it(app, client, people, case_id):
    from datetime import date, time
    from pathlib import Path

    from tests import upload_samples
    from webapp.domain.uploads import accept
    from webapp.services.contact_log import add_contact

    with app.app_context():  # a logged call with its screenshot: erased with the case
        case = db.session.scalar(select(Case).where(Case.public_id == case_id))
        add_contact(case, date(2026, 11, 2), time(22, 30), channel="call", party="family",
                    attachment=accept("call.png", upload_samples.png(), {"png"}, 10**6))
    stored = [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]
    assert len(stored) == 1
    grant(client, people, case_id)
    call(client, "GET", f"/api/v1/cases/{case_id}", people[COUNSELOR])
    keep = call(client, "POST", "/api/v1/cases", people[OTHER], data=CN.read_bytes()).json["id"]
    with app.app_context():
        doomed = db.session.scalar(select(Case.id).where(Case.public_id == case_id))
    response = call(client, "DELETE", f"/api/v1/cases/{case_id}", people[OWNER])
    assert response.status_code == 204
    assert not stored[0].exists()
    assert call(client, "GET", f"/api/v1/cases/{case_id}", people[OWNER]).status_code == 404
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if "case_id" in table.c:
                left = db.session.scalar(select(func.count()).select_from(table).where(
                    table.c.case_id == doomed))
                assert left == 0, table.name
        assert db.session.scalar(select(Case.public_id)) == keep
