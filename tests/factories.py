"""Builders for test data: ``make_*`` functions with sensible defaults."""

from __future__ import annotations

import time

CASE_FORM = {
    "title": "Our household",
    "currency": "GBP",
    "jurisdiction": "GB",
    "start_date": "2027-01-31",
    "adults": "2",
    "children": "1",
    "language": "",
    "lump_sum": "",
    "min_offer": "1.00",
}


def make_case(client, **overrides) -> str:
    """Create a case through the form; returns its URL."""
    response = client.post("/cases/new", data={**CASE_FORM, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def make_item(client, case_url: str, direction: str = "income", **overrides):
    data = {"label": "Wages", "amount": "400", "frequency": "weekly", "category": "other"}
    response = client.post(f"{case_url}/{direction}/new", data={**data, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def make_debt(client, case_url: str, **overrides):
    data = {"creditor": "Barclaycard", "kind": "credit_card", "balance": "3000",
            "apr": "24.9", "contractual_payment": "90", "priority": "auto"}
    response = client.post(f"{case_url}/debts/new", data={**data, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def verify_account(client, app, email: str):
    """Verify ``email``'s account by following the link Parley would e-mail."""
    from webapp.extensions import db
    from webapp.services import accounts

    with app.app_context():
        user = accounts.find_by_email(email)
        token = accounts.verification_token(user, app.config)
        db.session.remove()
    response = client.get(f"/auth/verify/{token}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response
def make_worst_case(*, debts: int | None = None, income: int | None = None,
                    expenses: int | None = None) -> dict:
    """The heaviest case file the limits allow (``domain/limits.py``), as a dict.

    Every list at its limit, debt ids and texts at their longest, and a budget
    that keeps all debts owing for about 600 months in pro rata, avalanche and
    snowball at once (each contractual payment clears its debt in about 598
    months, with a trace of interest): the largest schedules and the longest
    engine run. Counts can be overridden to go one over a limit.
    """
    from decimal import ROUND_CEILING, Decimal

    from webapp.domain.limits import MAX_DEBTS, MAX_EXPENSE_ITEMS, MAX_INCOME_ITEMS

    n = MAX_DEBTS if debts is None else debts
    rows = []
    paying = Decimal(0)
    for i in range(n):
        balance = Decimal(10**10 + i * 1000)
        payment = (balance / 598).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
        paying += payment
        rows.append({
            "id": f"debt-{i:03d}-".ljust(40, "x"), "creditor": f"Creditor {i} ".ljust(300, "c"),
            "kind": "credit_card", "balance": str(balance), "apr": "0.01",
            "contractual_payment": str(payment), "account_ref": "9" * 80,
            "creditor_address": ("Line\n" * 200)[:1000],
        })
    n_income = MAX_INCOME_ITEMS if income is None else income
    n_expenses = MAX_EXPENSE_ITEMS if expenses is None else expenses
    incomes = [{"label": f"Income {i} ".ljust(120, "i"), "amount": "1.00",
                "frequency": "monthly"} for i in range(n_income)]
    # The first income line carries what the debts need on top of the others.
    incomes[0]["amount"] = str(paying + n_expenses - (n_income - 1))
    return {
        "format": "parley-case/1", "currency": "GBP", "jurisdiction": "GB",
        "start_date": "2027-01-31", "household": {"adults": 2, "children": 3},
        "income": incomes,
        "expenses": [{"label": f"Expense {i} ".ljust(120, "e"), "amount": "1.00",
                      "frequency": "monthly", "category": "other"}
                     for i in range(n_expenses)],
        "debts": rows, "lump_sum": "5000",
    }


def make_user(app, email: str, role: str = "borrower",
              password: str = "correct horse battery", totp: bool | None = None) -> None:
    """An account made directly (no login): for the API tests.

    A counselor gets two-factor login switched on (they must have it), unless
    ``totp=False``; ``AuthActions.login`` then enters a code like a person would."""
    from webapp.extensions import db
    from webapp.services import accounts

    with app.app_context():
        assert accounts.register(email, password, role) is not None
        db.session.remove()
    if totp if totp is not None else role == "counselor":
        enrol_totp(app, email)


def enrol_totp(app, email: str) -> str:
    """Switch two-factor login on for ``email``'s account as the enrolment page
    does (a secret, then a code from the app); returns the secret.

    The confirming code is the previous 30-second step's, so two logins right
    after this each still have a fresh step (a code is good once)."""
    import pyotp

    from webapp.extensions import db
    from webapp.services import accounts, twofactor

    with app.app_context():
        user = accounts.find_by_email(email)
        secret = twofactor.begin(user)
        twofactor.confirm(user, pyotp.TOTP(secret).at(time.time() - twofactor.STEP))
        db.session.remove()
    return secret


def totp_code(app, email: str) -> str:
    """A code ``email``'s account accepts now: for the current step, or the next
    one when the current step was used already (waiting if both were)."""
    import pyotp

    from webapp.extensions import db
    from webapp.services import accounts, twofactor

    with app.app_context():
        user = accounts.find_by_email(email)
        secret, last = user.totp_secret, user.totp_last_step
        db.session.remove()
    now = int(time.time() // twofactor.STEP)
    step = max(now, (last if last is not None else now - 1) + 1)
    if step > now + 1:  # both used: wait until ``step`` is within one step of now
        time.sleep((step - 1) * twofactor.STEP - time.time() + 0.05)
    return pyotp.TOTP(secret).generate_otp(step)


def make_token(app, email: str, name: str = "test") -> str:
    """A personal access token for ``email``'s account (the raw token)."""
    from webapp.extensions import db
    from webapp.services import accounts, tokens

    with app.app_context():
        raw = tokens.create(accounts.find_by_email(email), name)[1]
        db.session.remove()
    return raw


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def seed_letters(app, email: str, example: str = "gb-family", *, password: str,
                 year_back: bool = False, prepare=None) -> dict:
    """``email``'s account holding one of the shared example cases (with a sender
    and an account reference on every debt), its first feasible strategy saved as
    a proposal and that proposal's letters written. ``year_back``: the example's
    2027 dates moved to 2026 (so that its record has happened); ``prepare(user,
    case)`` runs before the proposal is saved. Returns the ids the tests use."""
    import json
    from pathlib import Path

    from webapp.extensions import db
    from webapp.services import accounts, cases, proposals
    from webapp.services.letters import default_type, generate_for_proposal

    text = (Path(__file__).resolve().parent / "data" / "examples" / f"{example}.json").read_text()
    with app.app_context():
        user = accounts.register(email, password, "borrower")
        data = json.loads(text.replace('"2027-', '"2026-') if year_back else text)
        data["borrower"] = {"name": "Sam Lee", "address": "1 High Street"}
        for n, debt in enumerate(data["debts"]):
            debt["account_ref"] = f"ACC-{n:04d}"
        case = cases.import_case(user, json.dumps(data))
        if prepare is not None:
            prepare(user, case)
        _budget, results, *_rest = proposals.plan_with_advice(case)
        strategy = next(r.name for r in results if r.feasible)
        proposal = proposals.save_proposal(case, strategy)
        letters = generate_for_proposal(proposal, default_type(strategy, case.jurisdiction), "en")
        db.session.commit()
        ids = {"case": case.public_id, "case_id": case.id, "proposal": proposal.public_id,
               "letter": letters[0].public_id, "letter_id": letters[0].id,
               "debt": case.debts[0].ref, "user_id": user.id}
        db.session.remove()
    return ids


def today_gb():
    """Today where a GB borrower lives, asked when a test runs (computed at
    import, a run crossing midnight compared yesterday with the app's today)."""
    from webapp.models.types import local_date, now_utc

    return local_date(now_utc(), "GB")
