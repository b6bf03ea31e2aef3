from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_item
from webapp.extensions import db
from webapp.models import Proposal

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "us-with-priority.json"


@pytest.fixture
def case_url(client, auth):
    auth.register()
    response = client.post("/cases/import", data={"text": EXAMPLE.read_text()})
    return response.location


def test_the_plan_page_shows_every_strategy_with_its_figures(client, case_url):
    html = client.get(case_url + "/plan").get_data(as_text=True)
    for name in ("pro_rata", "avalanche", "snowball", "term_extension", "settlement"):
        assert f'id="strategy-{name}"' in html
    # issue 14.4: no token payments beside $1,323.66 a month
    assert 'id="strategy-token"' not in html
    assert "$1,323.66" in html  # what is left after essentials and rent
    assert "<polyline" in html and "The chart as a table" in html
    assert "What each creditor gets back" in html


def test_saving_a_strategy_freezes_the_case_and_offers(app, client, case_url):
    # the contractual payments fit (issue 13.1): the proposal keeps them, avalanche
    response = client.post(case_url + "/plan", data={"strategy": "avalanche"})
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.strategy == "avalanche"
        offers = {o["debt_id"]: Decimal(o["monthly"])
                  for o in proposal.plan_snapshot["strategy"]["offers"]}
        # SoFi keeps its contractual 290.00; the rest of 1,323.66 goes to Amex (29.24%)
        assert offers == {"amex": Decimal("1033.66"), "sofi": Decimal("290.00")}
        assert sum(offers.values()) == Decimal("1323.66")
        assert proposal.case_snapshot["debts"][1]["id"] == "amex"


def test_a_budget_change_marks_the_proposal_out_of_date_without_changing_it(
        app, client, case_url):
    client.post(case_url + "/plan", data={"strategy": "avalanche"})
    assert "have changed since" not in client.get(case_url + "/plan").get_data(as_text=True)
    make_item(client, case_url, "expense", label="Phone", amount="50", frequency="monthly")
    assert "have changed since" in client.get(case_url + "/plan").get_data(as_text=True)
    with app.app_context():
        offers = db.session.scalar(select(Proposal)).plan_snapshot["strategy"]["offers"]
        assert sum(Decimal(o["monthly"]) for o in offers) == Decimal("1323.66")
    client.post(case_url + "/plan", data={"strategy": "avalanche"})  # re-plan
    with app.app_context():
        latest = db.session.scalar(select(Proposal).order_by(Proposal.id.desc()))
        assert sum(Decimal(o["monthly"]) for o in latest.plan_snapshot["strategy"]["offers"]
                   ) == Decimal("1273.66")
        assert db.session.scalar(select(func.count(Proposal.id))) == 2


@pytest.mark.parametrize("strategy", ["", "nonsense", "<script>"])
def test_an_unknown_strategy_is_refused_and_nothing_saved(app, client, case_url, strategy):
    response = client.post(case_url + "/plan", data={"strategy": strategy})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_an_infeasible_strategy_cannot_be_saved(app, client, auth):
    auth.register(email="poor@example.com")
    from tests.factories import make_case, make_debt

    case_url = make_case(client)
    make_item(client, case_url, "income", amount="10", frequency="monthly")
    make_debt(client, case_url, balance="5000", contractual_payment="150")
    html = client.get(case_url + "/plan").get_data(as_text=True)
    assert "does not cover the contractual payments" in html
    assert "To clear it in 36 months you would need" in html
    response = client.post(case_url + "/plan", data={"strategy": "avalanche"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(Proposal.id))) == 0
