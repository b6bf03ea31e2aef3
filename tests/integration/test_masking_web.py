"""Account and ID numbers are masked on the case and creditor pages (``**** 1098``);
``?reveal=1`` shows them, as a plain link, and the audit log records that they
were shown (the action, never the numbers). Letters keep the full numbers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import AuthActions
from tests.factories import make_case, make_debt, make_user
from webapp.extensions import db
from webapp.models import AuditEvent, Case, Debt

ACCOUNT_REF = "5412987623451098"
SHORT_REF = "A12"
ID_NUMBER = "QQ482915C"


@pytest.fixture
def case_url(app, client, auth):
    auth.register()
    url = make_case(client)
    make_debt(client, url, creditor="Lantern Bank", account_ref=ACCOUNT_REF)
    make_debt(client, url, creditor="Vanquis", account_ref=SHORT_REF)
    with app.app_context():  # the ID number is asked for by the letters page
        case = db.session.scalar(select(Case))
        case.borrower_id_number = ID_NUMBER
        db.session.commit()
        db.session.remove()
    return url


def visible_text(html: str) -> str:
    """Roughly what is read out: the page's text, aria-hidden parts left out."""
    html = re.sub(r'<span aria-hidden="true">.*?</span>', "", html)
    return re.sub(r"<[^>]+>", "", html)


def audit_actions(app) -> list[str]:
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        db.session.remove()
    return actions


def creditor_url(app, case_url: str, creditor: str) -> str:
    with app.app_context():
        ref = db.session.scalar(select(Debt.ref).where(Debt.creditor == creditor))
        db.session.remove()
    return f"{case_url}/creditors/{ref}"


def test_the_case_page_masks_account_and_id_numbers_by_default(app, client, case_url):
    page = client.get(case_url).get_data(as_text=True)
    assert ACCOUNT_REF not in page and ID_NUMBER not in page
    assert '<span aria-hidden="true">****</span><span class="visually-hidden">ending</span> 1098' \
        in page
    assert "ending 1098" in visible_text(page) and "ending 915C" in visible_text(page)
    # a reference of four characters or fewer is hidden whole
    assert SHORT_REF not in page and '<span class="visually-hidden">hidden</span>' in page
    assert f'href="{case_url.split("localhost")[-1]}?reveal=1#debts"' in page
    assert audit_actions(app)[-1] == "view"


def test_reveal_shows_the_numbers_and_is_recorded_without_them(app, client, case_url):
    page = client.get(f"{case_url}?reveal=1").get_data(as_text=True)
    assert ACCOUNT_REF in page and ID_NUMBER in page and SHORT_REF in page
    assert 'id="hide-numbers"' in page
    assert audit_actions(app)[-1] == "reveal"
    with app.app_context():
        rows = [r.__dict__ for r in db.session.scalars(select(AuditEvent))]
        db.session.remove()
    assert not any(ACCOUNT_REF in str(row) or ID_NUMBER in str(row) for row in rows)
    activity = client.get(f"{case_url}/activity").get_data(as_text=True)
    assert "showed the full account and ID numbers" in activity
    assert ACCOUNT_REF not in activity
    # the next plain view is masked again
    assert ACCOUNT_REF not in client.get(case_url).get_data(as_text=True)


def test_the_creditor_page_masks_and_reveals_the_same_way(app, client, case_url):
    url = creditor_url(app, case_url, "Lantern Bank")
    page = client.get(url).get_data(as_text=True)
    assert ACCOUNT_REF not in page and "ending 1098" in visible_text(page)
    assert audit_actions(app)[-1] == "view"
    page = client.get(f"{url}?reveal=1").get_data(as_text=True)
    assert ACCOUNT_REF in page
    assert audit_actions(app)[-1] == "reveal"


def test_only_reveal_1_reveals(app, client, case_url):
    for query in ("?reveal=yes", "?reveal=", "?reveal=0"):
        page = client.get(case_url + query).get_data(as_text=True)
        assert ACCOUNT_REF not in page, query
    assert "reveal" not in audit_actions(app)


def test_a_counselor_without_access_reveals_nothing(app, client, case_url):
    client.post("/auth/logout")
    other = app.test_client()
    make_user(app, "c@example.com", "counselor", password="correct horse x1")  # two factors on
    assert AuthActions(other).login("c@example.com", "correct horse x1").status_code == 302
    assert other.get(f"{case_url}?reveal=1").status_code == 404
    assert "reveal" not in audit_actions(app)
