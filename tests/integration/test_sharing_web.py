"""Consent on the web: a borrower lets a counselor in (by e-mail or a one-time
code), sees who has access and revokes it; a counselor's case handed over to
the client; the activity log; erasing a case and an account; API tokens."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.conftest import AuthActions
from tests.factories import make_case, make_debt, make_user
from webapp.extensions import db
from webapp.models import AccessCode, ApiToken, AuditEvent, Case, CaseGrant, User
from webapp.models.types import now_utc

OWNER, COUNSELOR, STRANGER, OTHER = ("owner@example.com", "counselor@example.com",
                                     "stranger@example.com", "other@example.com")
PASSWORD = "correct horse battery"


def browser(app, email):
    client = app.test_client()
    assert AuthActions(client).login(email, PASSWORD).status_code == 302
    return client


@pytest.fixture
def people(app):
    make_user(app, OWNER)
    make_user(app, COUNSELOR, "counselor")
    make_user(app, STRANGER, "counselor")
    make_user(app, OTHER)
    return {who: browser(app, who) for who in (OWNER, COUNSELOR, STRANGER, OTHER)}


@pytest.fixture
def case_url(people):
    url = make_case(people[OWNER], borrower_address="1 Private Road, Leeds",
                    borrower_phone="07700900123")
    make_debt(people[OWNER], url, account_ref="4929123412341234")
    return url


def invite(people, case_url, email=COUNSELOR):
    return people[OWNER].post(f"{case_url}/access", data={"email": email})


def test_a_borrower_lets_a_counselor_in_by_e_mail(people, case_url):
    page = people[OWNER].get(f"{case_url}/access").get_data(as_text=True)
    assert "No counselor can see this case." in page
    assert people[COUNSELOR].get(case_url).status_code == 404
    response = invite(people, case_url)
    assert response.status_code == 303
    page = people[OWNER].get(f"{case_url}/access").get_data(as_text=True)
    assert COUNSELOR in page and "Revoke access" in page
    # the counselor's dashboard lists it; the case opens; they can work on it
    dashboard = people[COUNSELOR].get("/").get_data(as_text=True)
    assert case_url in dashboard and OWNER in dashboard
    page = people[COUNSELOR].get(case_url).get_data(as_text=True)
    assert "gave you access" in page and "Erase this case" not in page
    make_debt(people[COUNSELOR], case_url, creditor="Added by counselor")
    assert "Added by counselor" in people[OWNER].get(case_url).get_data(as_text=True)
    # another counselor still sees nothing: access is per person and per case
    assert people[STRANGER].get(case_url).status_code == 404
    other_case = make_case(people[OWNER], title="Second")
    assert people[COUNSELOR].get(other_case).status_code == 404


@pytest.mark.parametrize("email", [OTHER, "nobody@example.com"])
def test_only_counselor_accounts_can_be_invited_and_borrowers_are_not_revealed(
        app, people, case_url, email):
    response = invite(people, case_url, email)
    assert response.status_code == 422
    assert "There is no counselor account with that e-mail." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(CaseGrant.id))) == 0


def test_revoking_takes_effect_on_the_counselors_next_request(app, people, case_url):
    invite(people, case_url)
    assert people[COUNSELOR].get(case_url).status_code == 200
    with app.app_context():
        grant_id = db.session.scalar(select(CaseGrant.id))
    response = people[OWNER].post(f"{case_url}/access/{grant_id}/revoke")
    assert response.status_code == 303
    for path in ("", "/edit", "/plan", "/export", "/contacts", "/debts/new", "/calendar.ics"):
        assert people[COUNSELOR].get(case_url + path).status_code == 404, path
    assert case_url not in people[COUNSELOR].get("/").get_data(as_text=True)
    assert "No counselor can see this case." in people[OWNER].get(
        f"{case_url}/access").get_data(as_text=True)


def test_a_one_time_code(app, people, case_url):
    page = people[OWNER].post(f"{case_url}/access/code").get_data(as_text=True)
    code = re.search(r"<output>([A-Z0-9-]{14})</output>", page).group(1)
    with app.app_context():
        stored = db.session.scalar(select(AccessCode.code_hash))
        assert code.replace("-", "") not in stored and code not in stored
    # a borrower cannot use it
    assert people[OTHER].post("/access/code", data={"code": code}).status_code == 422
    # typed in lower case with spaces: still the code
    response = people[COUNSELOR].post("/access/code", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 303 and response.location == case_url
    assert people[COUNSELOR].get(case_url).status_code == 200
    # used once
    response = people[STRANGER].post("/access/code", data={"code": code})
    assert response.status_code == 422
    assert "not valid" in response.get_data(as_text=True)


def test_an_expired_code_opens_nothing(app, people, case_url):
    page = people[OWNER].post(f"{case_url}/access/code").get_data(as_text=True)
    code = re.search(r"<output>([A-Z0-9-]{14})</output>", page).group(1)
    with app.app_context():
        db.session.execute(update(AccessCode).values(expires_at=now_utc() - timedelta(seconds=1)))
        db.session.commit()
    assert people[COUNSELOR].post("/access/code", data={"code": code}).status_code == 422
    assert people[COUNSELOR].get(case_url).status_code == 404


@pytest.mark.parametrize("path", ["/access", "/activity", "/delete"])
def test_only_the_owner_shares_reads_the_log_and_erases(people, case_url, path):
    invite(people, case_url)
    assert people[OWNER].get(case_url + path).status_code == 200
    assert people[COUNSELOR].get(case_url + path).status_code == 403
    assert people[STRANGER].get(case_url + path).status_code == 404
    assert people[OTHER].get(case_url + path).status_code == 404


def test_a_counselor_cannot_make_a_calendar_link_that_would_outlive_their_access(people,
                                                                                   case_url):
    invite(people, case_url)
    assert people[COUNSELOR].post(f"{case_url}/calendar/link").status_code == 403
    assert people[COUNSELOR].get(f"{case_url}/calendar.ics").status_code == 200


def test_a_counselor_hands_a_case_over_and_keeps_access_if_the_client_agrees(app, people):
    url = make_case(people[COUNSELOR], title="For my client")
    page = people[COUNSELOR].post(f"{url}/handover").get_data(as_text=True)
    link = re.search(r'value="(http://localhost/handover/[^"]+)"', page).group(1)
    path = link.removeprefix("http://localhost")
    # a counselor cannot take it; the client sees who hands it over
    assert COUNSELOR in people[OTHER].get(path).get_data(as_text=True)
    response = people[OTHER].post(path, data={"keep_counselor": "y"})
    assert response.status_code == 303 and response.location == url
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.owner.email == OTHER
        assert [g.counselor.email for g in case.grants if g.live] == [COUNSELOR]
    assert people[COUNSELOR].get(url).status_code == 200
    assert people[COUNSELOR].get(f"{url}/access").status_code == 403
    assert people[OTHER].get(f"{url}/access").status_code == 200
    # the link worked once
    assert people[OWNER].get(path).status_code == 404


def test_without_the_clients_agreement_the_counselor_loses_access(app, people):
    url = make_case(people[COUNSELOR], title="For my client")
    page = people[COUNSELOR].post(f"{url}/handover").get_data(as_text=True)
    path = re.search(r'value="http://localhost(/handover/[^"]+)"', page).group(1)
    assert people[STRANGER].post(path, data={"keep_counselor": "y"}).status_code == 200
    response = people[OTHER].post(path, data={})
    assert response.status_code == 303
    assert people[COUNSELOR].get(url).status_code == 404
    activity = people[OTHER].get(f"{url}/activity").get_data(as_text=True)
    assert "took the case over" in activity
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["create", "handover"]  # the new owner is no "change"


def test_a_borrower_cannot_make_a_handover_link(people, case_url):
    assert people[OWNER].post(f"{case_url}/handover").status_code == 400


def test_the_activity_log_shows_who_did_what_in_the_pages_language(app, people, case_url):
    invite(people, case_url)
    people[COUNSELOR].get(case_url)
    make_debt(people[COUNSELOR], case_url, creditor="Another")
    people[COUNSELOR].get(f"{case_url}/export")
    AuthActions(app.test_client()).login(OWNER, PASSWORD)
    page = people[OWNER].get(f"{case_url}/activity").get_data(as_text=True)
    rows = re.findall(r'<tr data-action="(\w+)">\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]*)</td>',
                      page)
    assert rows[:5] == [("login", "you"), ("export", COUNSELOR), ("change", COUNSELOR),
                        ("view", COUNSELOR), ("grant", "you")]
    assert "exported (downloaded a file)" in page
    people[OWNER].post("/language", data={"lang": "zh_CN"})
    page = people[OWNER].get(f"{case_url}/activity").get_data(as_text=True)
    assert "导出" in page and "操作记录" in page and "档案" in page


def test_no_personal_value_reaches_the_audit_log(app, people, case_url):
    invite(people, case_url)
    for path in ("", "/export", "/plan", "/edit"):
        people[COUNSELOR].get(case_url + path)
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.__table__)).all()
    stored = " ".join(str(v) for row in rows for v in row)
    assert len(rows) >= 5
    for value in ("Private Road", "07700900123", "4929123412341234", "Barclaycard"):
        assert value not in stored


def test_a_login_is_logged_on_the_borrowers_cases(app, people, case_url):
    AuthActions(app.test_client()).login(OWNER, PASSWORD)
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "login")) == 1


def test_erasing_a_case_needs_the_word(app, people, case_url):
    invite(people, case_url)
    response = people[OWNER].post(f"{case_url}/delete", data={"word": "delete"})
    assert response.status_code == 422
    assert people[COUNSELOR].post(f"{case_url}/delete", data={"word": "erase"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 1
    response = people[OWNER].post(f"{case_url}/delete", data={"word": " Erase "})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0
        for table in db.metadata.sorted_tables:
            if "case_id" in table.c:
                assert db.session.scalar(select(func.count()).select_from(table)) == 0, table
    assert people[COUNSELOR].get(case_url).status_code == 404


def test_the_word_may_be_typed_in_the_pages_language(app, people, case_url):
    people[OWNER].post("/language", data={"lang": "zh_CN"})
    assert "删除" in people[OWNER].get(f"{case_url}/delete").get_data(as_text=True)
    assert people[OWNER].post(f"{case_url}/delete", data={"word": "删除"}).status_code == 302


def test_erasing_an_account_needs_the_password_and_leaves_nothing(app, people, case_url):
    invite(people, case_url)
    people[OWNER].post("/auth/tokens", data={"name": "script"})
    response = people[OWNER].post("/auth/account/erase", data={"password": "wrong password"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 1
    response = people[OWNER].post("/auth/account/erase", data={"password": PASSWORD})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == OWNER)) is None
        assert db.session.scalar(select(func.count(Case.id))) == 0
        assert db.session.scalar(select(func.count(ApiToken.id))) == 0
        assert db.session.scalar(select(func.count(CaseGrant.id))) == 0
    assert people[OWNER].get("/auth/account").status_code == 302  # logged out
    assert AuthActions(app.test_client()).login(OWNER, PASSWORD).status_code == 200


def test_a_counselor_erasing_their_account_leaves_their_clients_cases(app, people, case_url):
    invite(people, case_url)
    people[COUNSELOR].get(case_url)
    people[COUNSELOR].post("/auth/account/erase", data={"password": PASSWORD})
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 1
        assert db.session.scalar(select(func.count(CaseGrant.id))) == 0
        views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "view")).all()
        assert views and all(v.actor_id is None and v.actor_email == COUNSELOR for v in views)
    assert COUNSELOR in people[OWNER].get(f"{case_url}/activity").get_data(as_text=True)


def test_tokens_are_made_shown_once_and_revoked_on_the_account_page(app, people, client):
    page = people[OWNER].post("/auth/tokens", data={"name": "Office sheet"}).get_data(
        as_text=True)
    token = re.search(r'id="new-token-value" type="text" readonly value="([^"]+)"', page).group(1)
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 200
    page = people[OWNER].get("/auth/account").get_data(as_text=True)
    assert "Office sheet" in page and token not in page
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
        assert token not in db.session.scalar(select(ApiToken.token_hash))
    # another user cannot revoke it
    people[OTHER].post(f"/auth/tokens/{token_id}/revoke")
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 200
    assert people[OWNER].post(f"/auth/tokens/{token_id}/revoke").status_code == 303
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 401
    assert people[OWNER].post("/auth/tokens", data={"name": "x" * 81}).status_code == 422


def test_an_erased_case_is_not_left_in_the_sqlite_file(app, people):
    from pathlib import Path

    from sqlalchemy.engine import make_url

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        pytest.skip("a SQLite file to read")
    marker = "Erased-Street-" + "7Q3ZK"
    # The address is encrypted at rest (never in the file); the case's title is
    # not, so it shows whether the erased row is really gone from the file.
    title = "Erased-Title-" + "8R4YL"
    case_url = make_case(people[OWNER], title=title, borrower_address=f"9 {marker}, Leeds")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert title.encode() in Path(url.database).read_bytes()
    assert marker.encode() not in Path(url.database).read_bytes()
    assert people[OWNER].post(f"{case_url}/delete", data={"word": "erase"}).status_code == 302
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert title.encode() not in Path(url.database).read_bytes()
    assert marker.encode() not in Path(url.database).read_bytes()
