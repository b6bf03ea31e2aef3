"""Every route of a case × who asks: the owner, a counselor with a grant, a
counselor whose grant was revoked, a counselor never invited, another borrower,
nobody logged in. Built from ``app.url_map``, so a new route is checked the day
it is added: outsiders must get 404 on it whatever the method, and it must be
named below if only the owner may use it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import AuthActions
from tests.factories import bearer, make_case, make_debt, make_token, make_user
from webapp.extensions import db
from webapp.models import CaseGrant

PASSWORD = "correct horse battery"
#: Routes of a case only its owner may use: a counselor with a grant gets 403.
OWNER_ONLY = {"access.show", "access.invite", "access.new_code", "access.revoke",
              "access.new_handover", "access.activity", "cases.delete",
              "calendar.create_link", "calendar.revoke",
              "archive.case_page", "archive.prepare_case", "archive.download_case"}
#: Values for the other parts of a route's URL (a letter, a debt...): outsiders
#: must get 404 before any of them is looked at.
SUB_IDS = {"item_id": 1, "debt_id": 1, "letter_id": "x", "proposal_id": "x", "ref": "x",
           "email": "granted@example.com",
           "contact_id": 1, "direction": "income", "fmt": "pdf", "grant_id": 1,
           "upload_id": "x", "category": "food", "job_id": "x", "note_id": 1, "task_id": 1}
#: Routes of a case only counselors who may open it use (their private notes
#: and tasks): the owner, a borrower, gets 403.
COUNSELOR_ONLY = {"caseload.add_note", "caseload.delete_note", "caseload.add_task",
                  "caseload.toggle_task", "caseload.delete_task"}
#: Pages of a counselor's own workspace (no case in the URL): counselors only.
WORKSPACE_PAGES = {"caseload.index": "/caseload", "caseload.show_playbook": "/caseload/playbook"}


def _case_rules(app):
    for rule in app.url_map.iter_rules():
        if "case_id" in rule.arguments:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


@pytest.fixture
def world(app):
    for email, role in [("owner@example.com", "borrower"), ("granted@example.com", "counselor"),
                        ("revoked@example.com", "counselor"), ("uninvited@example.com",
                                                               "counselor"),
                        ("other@example.com", "borrower")]:
        make_user(app, email, role)
    clients = {}
    for who in ("owner", "granted", "revoked", "uninvited", "other"):
        clients[who] = app.test_client()
        assert AuthActions(clients[who]).login(f"{who}@example.com", PASSWORD).status_code == 302
    clients["anonymous"] = app.test_client()
    url = make_case(clients["owner"])
    make_debt(clients["owner"], url)
    for who in ("granted", "revoked"):
        clients["owner"].post(f"{url}/access", data={"email": f"{who}@example.com"})
    with app.app_context():
        grant_id = db.session.scalar(select(CaseGrant.id).join(CaseGrant.counselor).where(
            CaseGrant.counselor.has(email="revoked@example.com")))
    assert clients["owner"].post(f"{url}/access/{grant_id}/revoke").status_code == 303
    tokens = {who: make_token(app, f"{who}@example.com") for who in ("revoked", "uninvited",
                                                                      "other")}
    return {"case_id": url.rsplit("/", 1)[1], "clients": clients, "tokens": tokens}


def _url(app, rule, case_id: str) -> str:
    values = {k: SUB_IDS[k] for k in rule.arguments if k != "case_id"}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, case_id=case_id, **values)


def test_every_case_route_is_404_to_everyone_who_may_not_open_the_case(app, world):
    checked = 0
    for rule, method in _case_rules(app):
        url = _url(app, rule, world["case_id"])
        for who in ("revoked", "uninvited", "other"):
            # The API knows callers by their token, the web by their login.
            headers = bearer(world["tokens"][who]) if rule.endpoint.startswith("api.") else {}
            response = world["clients"][who].open(url, method=method, headers=headers)
            assert response.status_code == 404, (who, method, rule.rule, response.status_code)
        anonymous = world["clients"]["anonymous"].open(url, method=method)
        if rule.endpoint.startswith("api."):
            assert anonymous.status_code == 401, rule.rule
        else:
            assert anonymous.status_code in (302, 401), rule.rule
            assert "/auth/login" in anonymous.location, rule.rule
        checked += 1
    assert checked > 40


def test_the_owner_and_a_granted_counselor_open_every_page_but_owner_only_ones(app, world):
    unknown = {rule.endpoint for rule, _ in _case_rules(app)
               if rule.endpoint.startswith(("access.", "cases.", "calendar."))
               and "delete" in rule.endpoint} - OWNER_ONLY - {"cases.delete_item",
                                                              "cases.delete_debt"}
    counselor_routes = {rule.endpoint for rule, _ in _case_rules(app)
                        if rule.endpoint.startswith("caseload.")}
    assert counselor_routes == COUNSELOR_ONLY, "a new counselor route: name it in COUNSELOR_ONLY"
    assert unknown == set(), "a new delete route: is it owner-only? name it in OWNER_ONLY"
    for rule, method in _case_rules(app):
        if method != "GET" or rule.endpoint.startswith("api.") or set(rule.arguments) - {
                "case_id"}:
            continue
        url = _url(app, rule, world["case_id"])
        owner = world["clients"]["owner"].get(url)
        assert owner.status_code == 200, (rule.rule, owner.status_code)
        counselor = world["clients"]["granted"].get(url)
        expected = 403 if rule.endpoint in OWNER_ONLY else 200
        assert counselor.status_code == expected, (rule.rule, counselor.status_code)
    for endpoint in OWNER_ONLY:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        method = "POST" if "POST" in rule.methods else "GET"
        response = world["clients"]["granted"].open(_url(app, rule, world["case_id"]),
                                                      method=method)
        assert response.status_code in (403, 404), endpoint  # 404: its grant id is not theirs


#: Every route that is not about one case (besides ``static`` and logging out)
#: and what each asks for it gets, with an empty form (CSRF off): nobody logged
#: in, a borrower, a counselor with two-factor login, and a counselor without it,
#: who is sent to enrolment (303) from everything but enrolment itself. A new
#: route fails the test below until it has a row here.
WHO = ("anonymous", "borrower", "counselor", "unenrolled")
ACCOUNT_ROUTES = {
    ("main.index", "GET"): (200, 200, 200, 303),
    ("main.health", "GET"): (200, 200, 200, 200),
    ("main.ready", "GET"): (200, 200, 200, 200),
    ("main.set_language", "POST"): (302, 302, 302, 302),
    ("access.redeem", "GET"): (302, 200, 200, 303),
    ("access.redeem", "POST"): (302, 422, 422, 303),
    ("access.handover", "GET"): (302, 404, 404, 303),
    ("access.handover", "POST"): (302, 404, 404, 303),
    ("api.list_cases", "GET"): (401, 401, 401, 401),  # a token, never the cookie
    ("api.create_case", "POST"): (401, 401, 401, 401),
    ("api.openapi", "GET"): (200, 200, 200, 200),
    ("api.plan", "POST"): (400, 400, 400, 400),
    ("api.status", "POST"): (400, 400, 400, 400),
    ("auth.account", "GET"): (302, 200, 200, 303),
    ("auth.erase_account", "GET"): (302, 200, 200, 303),
    ("auth.erase_account", "POST"): (302, 422, 422, 303),
    ("auth.send_verification_link", "POST"): (302, 302, 302, 303),
    ("auth.verify", "GET"): (302, 302, 302, 302),
    ("auth.login", "GET"): (200, 302, 302, 303),
    ("auth.login", "POST"): (200, 302, 302, 303),
    ("auth.register", "GET"): (200, 302, 302, 303),
    ("auth.register", "POST"): (200, 302, 302, 303),
    ("auth.password", "GET"): (302, 200, 200, 303),
    ("auth.password", "POST"): (302, 200, 200, 303),
    ("auth.create_token", "POST"): (302, 200, 200, 303),
    ("auth.revoke_token", "POST"): (302, 303, 303, 303),
    # issue 10, account security: no mail server here, so "forgot" only explains
    ("auth.forgot_password", "GET"): (200, 200, 200, 303),
    ("auth.forgot_password", "POST"): (200, 200, 200, 303),
    ("auth.reset_password", "GET"): (302, 302, 302, 303),  # unknown token: to "forgot"
    ("auth.new_password", "GET"): (302, 302, 302, 303),  # no token in the session
    ("auth.new_password", "POST"): (302, 302, 302, 303),
    ("auth.login_code", "GET"): (302, 302, 302, 303),  # no password step: to login
    ("auth.login_code", "POST"): (302, 302, 302, 303),
    ("auth.two_factor", "GET"): (302, 200, 200, 200),
    ("auth.confirm_two_factor", "POST"): (302, 422, 422, 422),
    ("auth.disable_two_factor", "POST"): (302, 404, 422, 303),  # 404: it is not on
    ("calendar.feed", "GET"): (404, 404, 404, 404),  # a private link, no cookie needed
    ("cases.new", "GET"): (302, 200, 200, 303),
    ("cases.new", "POST"): (302, 200, 200, 303),
    ("cases.import_case", "GET"): (302, 200, 200, 303),
    ("cases.import_case", "POST"): (302, 200, 200, 303),
    # issue 10, the account's archive: its own cases only, so open to every account
    ("archive.account_page", "GET"): (302, 200, 200, 303),
    ("archive.prepare_account", "POST"): (302, 303, 303, 303),
    ("archive.download_account", "GET"): (302, 404, 404, 303),  # no such archive
    # issue 10, the counselor's workspace: counselors only
    ("caseload.index", "GET"): (302, 403, 200, 303),
    ("caseload.show_playbook", "GET"): (302, 403, 200, 303),
}
ACCOUNT_SUB_IDS = {"token": "x", "token_id": 1, "job_id": "x"}


def _account_rules(app):
    for rule in app.url_map.iter_rules():
        if "case_id" not in rule.arguments and rule.endpoint not in ("static", "auth.logout"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_route_outside_a_case_gives_each_kind_of_user_what_its_row_says(app):
    make_user(app, "b@example.com")
    make_user(app, "c@example.com", "counselor")  # two-factor login on
    make_user(app, "u@example.com", "counselor", totp=False)
    clients = {"anonymous": app.test_client()}
    for who, email in [("borrower", "b@example.com"), ("counselor", "c@example.com"),
                       ("unenrolled", "u@example.com")]:
        clients[who] = app.test_client()
        assert AuthActions(clients[who]).login(email, PASSWORD).status_code == 302
    seen = set()
    for rule, method in _account_rules(app):
        key = (rule.endpoint, method)
        assert key in ACCOUNT_ROUTES, f"a new route {key}: add its row to ACCOUNT_ROUTES"
        seen.add(key)
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **{k: ACCOUNT_SUB_IDS[k] for k in rule.arguments})
        got = tuple(clients[who].open(url, method=method).status_code for who in WHO)
        assert got == ACCOUNT_ROUTES[key], (key, dict(zip(WHO, got, strict=True)))
    assert seen == set(ACCOUNT_ROUTES)
def test_counselors_notes_and_tasks_are_refused_to_the_owner_and_open_to_a_granted_counselor(
        app, world):
    for endpoint in sorted(COUNSELOR_ONLY):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        url = _url(app, rule, world["case_id"])
        assert world["clients"]["owner"].post(url).status_code == 403, endpoint
        granted = world["clients"]["granted"].post(url)
        # Adding without the fields: the form's errors (422); note or task 1 is not there.
        assert granted.status_code == (422 if rule.arguments == {"case_id"} else 404), (
            endpoint, granted.status_code)


def test_workspace_pages_are_for_counselors_only(app, world):
    assert {r.endpoint for r in app.url_map.iter_rules()
            if r.endpoint.startswith("caseload.") and "case_id" not in r.arguments} == set(
        WORKSPACE_PAGES)
    for url in WORKSPACE_PAGES.values():
        anonymous = world["clients"]["anonymous"].get(url)
        assert anonymous.status_code == 302 and "/auth/login" in anonymous.location
        for who in ("owner", "other"):
            assert world["clients"][who].get(url).status_code == 403, (who, url)
        for who in ("granted", "revoked", "uninvited"):
            assert world["clients"][who].get(url).status_code == 200, (who, url)
    # The caseload lists the case to the counselor with a live grant only.
    title = world["case_id"]
    listed = {who: world["clients"][who].get("/caseload").get_data(as_text=True)
              for who in ("granted", "revoked", "uninvited")}
    assert title in listed["granted"]
    assert title not in listed["revoked"] and title not in listed["uninvited"]
