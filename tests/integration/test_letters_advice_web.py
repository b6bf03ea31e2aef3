"""Letters follow the plan's advice: the settlement acknowledgement (13.2) and
the letter made for each strategy (14.5)."""

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Letter, Proposal

DATA = Path(__file__).resolve().parents[1] / "data"


def import_case(client, path: Path) -> str:
    """Import an example, with the sender and account lines letters need (14.1)."""
    from tests.letters.support import sendable

    text = json.dumps(sendable(json.loads(path.read_text(encoding="utf-8"))))
    response = client.post("/cases/import", data={"text": text})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def save(app, client, case_url: str, strategy: str) -> str:
    response = client.post(case_url + "/plan", data={"strategy": strategy})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        proposal = db.session.scalar(select(Proposal).order_by(Proposal.id.desc()))
        return f"{case_url}/proposals/{proposal.public_id}/letters"


@pytest.fixture
def settlement_letters(app, client, auth):
    auth.register()
    # $1,323.66 a month (2,573.66 once the rent arrears are paid) clears the
    # $14,500 in 7 months; the lump sum is $1,500
    return save(app, client, import_case(client, DATA / "examples" / "us-with-priority.json"),
                "settlement")


def count_letters(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Letter.id)))


def test_the_letters_page_warns_before_a_settlement_beside_a_surplus(client, settlement_letters):
    html = client.get(settlement_letters).get_data(as_text=True)
    assert 'id="surplus-warning"' in html and "in 7 months" in html
    assert 'name="acknowledge_surplus"' in html


def test_a_settlement_letter_needs_the_acknowledgement(app, client, settlement_letters):
    data = {"letter_type": "settlement", "language": "en"}
    response = client.post(settlement_letters, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Tick this box to write the settlement letters anyway." in page
    assert page.count('id="acknowledge_surplus-error"') == 1  # one error, beside its box
    assert count_letters(app) == 0  # nothing half-saved
    # $1,500 is 10.34% of $14,500, below the 30% floor: the user insists too (issue 12)
    response = client.post(settlement_letters, data={**data, "acknowledge_surplus": "y",
                                                      "insist_below_floor": "y"})
    assert response.status_code == 302
    with app.app_context():
        html = db.session.scalar(select(Letter.html).where(Letter.debt_ref == "amex"))
    assert "$631.03" in html and "cannot offer more" not in html


def test_other_letters_of_the_proposal_need_no_acknowledgement(app, client, settlement_letters):
    response = client.post(settlement_letters, data={"letter_type": "hold", "language": "en"})
    assert response.status_code == 302


def test_a_tight_budget_needs_no_acknowledgement(app, client, auth):
    auth.register()
    from tests.letters.support import sendable

    raw = sendable(json.loads((DATA / "examples" / "us-car-loan.json").read_text(encoding="utf-8")))
    raw["debts"][1]["balance"] = "78000"
    raw["lump_sum"] = "3000"
    response = client.post("/cases/import", data={"text": json.dumps(raw)})
    letters = save(app, client, response.location, "settlement")
    assert 'name="acknowledge_surplus"' not in client.get(letters).get_data(as_text=True)
    # $3,000 is below the settlement floor (issue 12): written once the user insists
    response = client.post(letters, data={"letter_type": "settlement", "language": "en",
                                          "insist_below_floor": "y"})
    assert response.status_code == 302


def selected_type(html: str) -> str:
    select_html = html.split('name="letter_type"')[1].split("</select>")[0]
    return re.search(r'<option[^>]*selected[^>]*value="([^"]+)"|'
                     r'<option value="([^"]+)"[^>]*selected', select_html).group(1, 2)


def test_a_chinese_term_extension_defaults_to_the_personalised_instalment_letter(
        app, client, auth):
    auth.register()
    # the letters' copy of cn-credit-cards: contractual payments above the budget,
    # so the longer term is offered (13 months)
    letters = save(app, client, import_case(client, DATA / "letters" / "cn-credit-cards.json"),
                   "term_extension")
    html = client.get(letters).get_data(as_text=True)
    assert "cn_instalment" in [v for v in selected_type(html) if v]
