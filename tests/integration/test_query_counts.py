"""No N+1: the key pages run the same number of SQL statements whatever the size of
the case (1 debt or 40, each with its negotiation record and contacts) and of the
user's case list (issue 11: "a test counts queries per page")."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AuthActions
from tests.factories import enrol_totp
from tests.sql_support import statements_sent
from webapp.extensions import db
from webapp.services import accounts, cases, proposals

PASSWORD = "correct horse battery"


def _case_file(debts: int) -> dict:
    return {
        "format": "parley-case/1", "currency": "GBP", "jurisdiction": "GB",
        "start_date": "2026-01-31", "household": {"adults": 1, "children": 0},
        "borrower": {"name": "Sam Lee", "address": "1 High Street"},
        "income": [{"label": "Wages", "amount": "2000.00", "frequency": "monthly",
                    "category": "other"}],
        "expenses": [{"label": "Rent", "amount": "900.00", "frequency": "monthly",
                      "category": "housing"}],
        "debts": [{"id": f"d{n}", "creditor": f"Lender {n}", "kind": "credit_card",
                   "balance": "5000.00", "apr": "19.9",
                   "contractual_payment": f"{2000 // debts + 1}.00",
                   "account_ref": f"ACC-{n:04d}"} for n in range(debts)],
        "negotiations": [{"debt_id": f"d{n}", "events": [
            {"on": "2026-02-01", "type": "sent", "letter": "proposal", "channel": "post"},
            {"on": "2026-02-20", "type": "accepted", "monthly": "20.00",
             "first_payment": "2026-03-01", "channel": "phone"},
            {"on": "2026-03-01", "type": "payment", "amount": "20.00"},
        ]} for n in range(debts)],
        "contacts": [{"at": f"2026-02-{1 + n % 27:02d}T21:{n % 60:02d}:00+00:00",
                      "debt_id": f"d{n % debts}", "collector": "Collections Ltd",
                      "channel": "call", "connected": True, "party": "borrower"}
                     for n in range(2 * debts)],
    }


def _seed(app, email: str, debts: int, copies: int = 1) -> dict[str, str]:
    with app.app_context():
        user = accounts.register(email, PASSWORD, "borrower")
        for _ in range(copies):
            case = cases.import_case(user, json.dumps(_case_file(debts)))
        _budget, results, *_rest = proposals.plan_with_advice(case)
        proposal = proposals.save_proposal(case, next(r.name for r in results if r.feasible))
        ids = {"case": case.public_id, "proposal": proposal.public_id,
               "debt": case.debts[-1].ref}
        db.session.remove()
    return ids


def _counts(app, email: str, ids: dict[str, str]) -> dict[str, int]:
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    case = f"/cases/{ids['case']}"
    urls = ["/", case, f"{case}/plan", f"{case}/proposals/{ids['proposal']}/letters",
            f"{case}/creditors/{ids['debt']}", f"{case}/contacts", f"{case}/export"]
    out = {}
    with statements_sent(app) as statements:
        for url in urls:
            statements.clear()
            assert client.get(url).status_code == 200, url
            out[url.replace(ids["case"], "ID").replace(ids["proposal"], "P")
                .replace(ids["debt"], "D")] = len(statements)
    return out


@pytest.mark.parametrize("big", [40])
def test_pages_run_as_many_queries_for_a_big_case_as_for_a_small_one(make_app, big):
    app = make_app()
    small = _counts(app, "small@example.com", _seed(app, "small@example.com", 1))
    large = _counts(app, "large@example.com", _seed(app, "large@example.com", big, copies=8))
    assert large == small
    assert all(n <= 12 for n in small.values()), small  # and few in the first place


def _counselor_home_statements(app, clients: int) -> int:
    from webapp.models import User
    from webapp.services import sharing

    counselor = f"adviser{clients}@example.com"
    with app.app_context():
        accounts.register(counselor, PASSWORD, "counselor")
        for n in range(clients):
            owner = accounts.register(f"client{clients}-{n}@example.com", PASSWORD, "borrower")
            case = cases.import_case(owner, json.dumps(_case_file(2)))
            sharing.grant(case, counselor, db.session.get(User, owner.id))
        db.session.remove()
    enrol_totp(app, counselor)  # counselors log in with a second factor
    client = app.test_client()
    assert AuthActions(client).login(counselor, PASSWORD).status_code == 302
    with statements_sent(app) as statements:
        assert client.get("/").status_code == 200
    return len(statements)


def test_a_counselors_home_runs_as_many_queries_for_ten_clients_as_for_one(make_app):
    app = make_app()
    assert _counselor_home_statements(app, 10) == _counselor_home_statements(app, 1)
