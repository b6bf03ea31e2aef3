"""Accepting a counter-offer changes the proposal as a new version (issue 8):
the agreed figure replaces that creditor's offer, the others' shares follow
the re-plan, the old version and the letters sent under it stay readable, and
the letters written afterwards carry the new version."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import today_gb
from tests.unit.record_builders import case_file, debt, event, sent
from webapp.extensions import db
from webapp.models import Letter, Proposal
from webapp.models.types import now_utc


def ago(days: int) -> str:
    return (today_gb() - timedelta(days=days)).isoformat()


def offers(proposal: Proposal) -> dict[str, str]:
    return {o["debt_id"]: o["monthly"] for o in proposal.plan_snapshot["strategy"]["offers"]}


def proposals(app) -> list[Proposal]:
    with app.app_context():
        rows = db.session.scalars(select(Proposal).order_by(Proposal.version)).all()
        for p in rows:
            _ = p.plan_snapshot, p.cause, p.parent_id  # loaded before the session ends
        return rows


@pytest.fixture
def world(app, client, auth):
    """A GB case with 1000 a month for three creditors (offers 100, 300, 600),
    version 1 saved, its letters written and the one to b sent; a has
    countered with 300 a month."""
    auth.register()
    data = case_file(
        [debt(ref, bal, account_ref=f"{ref.upper()}-1") for ref, bal in
         (("a", "1000"), ("b", "3000"), ("c", "6000"))],
        negotiations=[{"debt_id": "a", "events": [
            sent(ago(20)), event(ago(5), "counter_offer", monthly="300")]}])
    data["borrower"] = {"name": "Sam Example", "address": "1 High Street, Leeds"}
    url = client.post("/cases/import", data={"text": json.dumps(data)}).location
    assert client.post(f"{url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    [v1] = proposals(app)
    letters = f"{url}/proposals/{v1.public_id}/letters"
    assert client.post(letters, data={"letter_type": "proposal", "language": "en"}
                       ).status_code == 302
    with app.app_context():
        to_b = db.session.scalar(select(Letter.public_id).where(Letter.debt_ref == "b"))
    assert client.post(f"{url}/letters/{to_b}/mark-sent", data={
        "sent_on": now_utc().date().isoformat(), "channel": "post"}).status_code == 302
    return {"case": url, "v1": v1, "letters_v1": letters, "sent_b": to_b}


def accept(client, world, first=None):
    first = first or (today_gb() + timedelta(days=10)).isoformat()
    return client.post(f"{world['case']}/creditors/a/accept",
                       data={"accept-first_payment": first})


def test_accepting_their_figure_makes_version_two_from_the_replan(app, client, world):
    v1 = world["v1"]
    assert (v1.version, v1.cause, offers(v1)) == (
        1, "saved", {"a": "100.00", "b": "300.00", "c": "600.00"})
    # the re-plan the creditor's page shows before accepting...
    page = client.get(f"{world['case']}/creditors/a").get_data(as_text=True)
    assert "£233.33" in page and "£466.67" in page
    first = (today_gb() + timedelta(days=10)).isoformat()
    response = accept(client, world, first)
    assert response.status_code == 303
    shown = client.get(response.location).get_data(as_text=True)
    assert "Your proposal is now version 2" in shown
    old, new = proposals(app)
    # ...is what version 2 offers: a at its figure, b and c sharing the rest
    assert (new.version, new.cause, new.cause_debt_ref, new.parent_id) == (
        2, "accepted", "a", old.id)
    assert offers(new) == {"a": "300.00", "b": "233.33", "c": "466.67"}
    a_offer = new.plan_snapshot["strategy"]["offers"][0]
    assert (a_offer["first_payment"], a_offer["agreed"]) == (first, True)
    assert new.plan_snapshot["strategy"]["replan"]["holds"] is True
    # version 1 is exactly as it was
    assert offers(old) == {"a": "100.00", "b": "300.00", "c": "600.00"}


def test_the_versions_list_marks_the_current_one_and_links_each_to_its_letters(
        app, client, world):
    accept(client, world)
    old, new = proposals(app)
    for page_url in (f"{world['case']}/plan", world["letters_v1"]):
        page = client.get(page_url).get_data(as_text=True)
        section = page[page.index('id="versions"'):]
        assert "Version 2</a> <mark class=\"badge\">current</mark>" in section
        assert f"/proposals/{new.public_id}/letters" in section
        assert f"/proposals/{old.public_id}/letters" in section
        assert "Creditor a agreed £300.00 a month" in section
        assert "1 letter sent" in section


def test_the_old_version_and_its_sent_letter_stay_readable_but_write_nothing(
        app, client, world):
    accept(client, world)
    page = client.get(world["letters_v1"]).get_data(as_text=True)
    assert 'id="old-version"' in page and 'id="generate"' not in page
    assert world["sent_b"] in page
    assert client.get(f"{world['case']}/letters/{world['sent_b']}").status_code == 200
    preview = client.get(f"{world['case']}/letters/{world['sent_b']}/preview")
    assert "£300.00" in preview.get_data(as_text=True)
    refused = client.post(world["letters_v1"], data={"letter_type": "proposal",
                                                     "language": "en"})
    assert refused.status_code == 422
    assert 'id="old-version"' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Letter.id).where(Letter.status == "draft",
                                                         Letter.debt_ref == "a")) is not None


def test_letters_written_afterwards_carry_the_new_version(app, client, world):
    accept(client, world)
    _old, new = proposals(app)
    letters_v2 = f"{world['case']}/proposals/{new.public_id}/letters"
    assert client.post(letters_v2, data={"letter_type": "proposal", "language": "en"}
                       ).status_code == 302
    with app.app_context():
        to_c = db.session.scalar(select(Letter).where(
            Letter.debt_ref == "c", Letter.proposal_id == new.id))
        assert "£466.67" in to_c.html and "£600.00" not in to_c.html
        statement = db.session.scalar(select(Letter).where(
            Letter.debt_ref.is_(None), Letter.proposal_id == new.id))
        assert "£233.33" in statement.html and "£300.00" in statement.html


def test_the_next_letter_of_a_negotiation_is_written_from_the_current_version(
        app, client, world):
    accept(client, world)
    _old, new = proposals(app)
    # b's letter went out under version 1; its follow-up comes from version 2
    client.post(f"{world['case']}/creditors/b", data={
        "type": "rejected", "on": today_gb().isoformat()})
    page = client.get(f"{world['case']}/creditors/b").get_data(as_text=True)
    href = re.search(r'<p id="next-letter"><a role="button" href="([^"]+)"', page).group(1)
    assert f"/proposals/{new.public_id}/letters" in href


def test_an_agreement_at_the_offered_figure_makes_no_new_version(app, client, world):
    response = client.post(f"{world['case']}/creditors/b", data={
        "type": "accepted", "on": today_gb().isoformat(), "monthly": "300.00",
        "first_payment": today_gb().isoformat()})
    assert response.status_code == 303
    assert [p.version for p in proposals(app)] == [1]


def test_an_agreement_recorded_at_another_figure_makes_a_new_version(app, client, world):
    response = client.post(f"{world['case']}/creditors/b", data={
        "type": "accepted", "on": today_gb().isoformat(), "monthly": "250.00",
        "first_payment": today_gb().isoformat()})
    assert response.status_code == 303
    _old, new = proposals(app)
    # b locked at 250; a (a counter-offer, not agreed) and c share the other 750 pro rata
    assert offers(new) == {"a": "107.14", "b": "250.00", "c": "642.86"}


def test_a_version_that_does_not_hold_says_so(app, client, world):
    first = (today_gb() + timedelta(days=10)).isoformat()
    client.post(f"{world['case']}/creditors/a", data={
        "type": "sent", "on": today_gb().isoformat(), "letter": "reconsider"})
    client.post(f"{world['case']}/creditors/a", data={
        "type": "accepted", "on": today_gb().isoformat(), "monthly": "999.50",
        "first_payment": first})
    _old, new = proposals(app)
    replan = new.plan_snapshot["strategy"]["replan"]
    assert (replan["holds"], replan["shortfall"]) == (False, "1.50")
    assert offers(new) == {"a": "999.50", "b": "1.00", "c": "1.00"}
    page = client.get(f"{world['case']}/proposals/{new.public_id}/letters").get_data(
        as_text=True)
    assert "your budget is short by £1.50 a month" in page


def test_without_a_saved_proposal_an_agreement_makes_no_version(app, client, auth):
    auth.register()
    data = case_file([debt("a", "1000")], negotiations=[{"debt_id": "a", "events": [
        sent(ago(20)), event(ago(5), "counter_offer", monthly="300")]}])
    url = client.post("/cases/import", data={"text": json.dumps(data)}).location
    response = client.post(f"{url}/creditors/a/accept",
                           data={"accept-first_payment": today_gb().isoformat()})
    assert response.status_code == 303
    assert proposals(app) == []


def test_two_versions_cannot_share_a_number(app, world):
    from webapp.services.concurrency import Conflict
    from webapp.services.proposals import commit_version

    with app.app_context():
        v1 = db.session.get(Proposal, world["v1"].id)
        db.session.add(Proposal(case_id=v1.case_id, strategy="pro_rata", case_revision=1,
                                case_snapshot={}, plan_snapshot={}, version=1))
        with pytest.raises(Conflict):
            commit_version()
        assert [p.version for p in db.session.scalars(select(Proposal))] == [1]


def test_saving_an_option_again_is_the_next_version(app, client, world):
    assert client.post(f"{world['case']}/plan", data={"strategy": "pro_rata"}
                       ).status_code == 302
    assert [(p.version, p.cause) for p in proposals(app)] == [(1, "saved"), (2, "saved")]
    page = client.get(f"{world['case']}/plan").get_data(as_text=True)
    assert "Version 2" in page


def test_the_version_figures_are_exact_decimals(app, client, world):
    accept(client, world)
    _old, new = proposals(app)
    total = sum(Decimal(m) for m in offers(new).values())
    assert total == Decimal(new.plan_snapshot["strategy"]["replan"]["available"]) == Decimal(
        "1000.00")


def test_a_case_with_versions_and_their_letters_is_deleted_whole(app, client, world):
    from webapp.models import Case

    accept(client, world)
    response = client.post(f"{world['case']}/delete", data={"word": "erase"})
    assert response.status_code in (302, 303)
    with app.app_context():
        assert db.session.scalar(select(Case.id)) is None
        assert db.session.scalar(select(Proposal.id)) is None
        assert db.session.scalar(select(Letter.id)) is None


def test_an_arrangement_with_a_priority_creditor_makes_no_version(app, client, auth):
    auth.register(email="priority@example.com")
    data = case_file([debt("a", "1000", account_ref="A-1"),
                      debt("rent", "900", kind="rent_arrears", account_ref="R-1")],
                     negotiations=[{"debt_id": "rent", "events": [sent(ago(20))]}])
    url = client.post("/cases/import", data={"text": json.dumps(data)}).location
    assert client.post(f"{url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    response = client.post(f"{url}/creditors/rent", data={
        "type": "accepted", "on": today_gb().isoformat(), "monthly": "50.00",
        "first_payment": today_gb().isoformat()})
    assert response.status_code == 303
    assert [p.version for p in proposals(app)] == [1]


def _draft_to_a_v1(app, world) -> str:
    with app.app_context():
        return db.session.scalar(select(Letter.public_id).where(
            Letter.debt_ref == "a", Letter.proposal_id == world["v1"].id,
            Letter.status == "draft"))


def test_a_draft_of_an_old_version_says_so_and_is_not_marked_sent_without_a_confirmation(
        app, client, world):
    accept(client, world)
    draft = _draft_to_a_v1(app, world)
    letter_url = f"{world['case']}/letters/{draft}"
    page = client.get(letter_url).get_data(as_text=True)
    warning = page[page.index('id="old-version-warning"'):]
    assert ("This draft belongs to version 1 of your proposal; the current version is 2."
            in warning)
    _old, new = proposals(app)
    assert f"/proposals/{new.public_id}/letters" in warning
    assert 'name="confirm_old_version"' in page
    sent_on = now_utc().date().isoformat()
    refused = client.post(f"{letter_url}/mark-sent", data={"sent_on": sent_on,
                                                           "channel": "post"})
    assert refused.status_code == 422
    assert "Tick this box if you sent it anyway." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Letter.status).where(Letter.public_id == draft)) \
            == "draft"
    confirmed = client.post(f"{letter_url}/mark-sent", data={
        "sent_on": sent_on, "channel": "post", "confirm_old_version": "y"})
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Letter.status).where(Letter.public_id == draft)) \
            == "sent"


def test_a_draft_of_the_current_version_shows_no_warning_and_needs_no_confirmation(
        app, client, world):
    with app.app_context():
        draft = db.session.scalar(select(Letter.public_id).where(
            Letter.debt_ref == "c", Letter.status == "draft"))
    letter_url = f"{world['case']}/letters/{draft}"
    page = client.get(letter_url).get_data(as_text=True)
    assert 'id="old-version-warning"' not in page and "confirm_old_version" not in page
    assert client.post(f"{letter_url}/mark-sent", data={
        "sent_on": now_utc().date().isoformat(), "channel": "post"}).status_code == 302


def test_e_mailing_a_draft_of_an_old_version_needs_the_confirmation_too(app, client, world):
    from webapp.services import letters, mail_queue
    from webapp.services.accounts import find_by_email

    accept(client, world)
    draft = _draft_to_a_v1(app, world)
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.public_id == draft))
        assert letters.old_version(letter).version == 1
        with pytest.raises(letters.ValidationError) as refused:
            mail_queue.send_letter(letter, app.config, find_by_email("borrower@example.com"))
        assert refused.value.errors[0].path == "confirm_old_version"
        assert "version 1" in refused.value.errors[0].message
    # the web form: nothing sent, the page says why (409)
    response = client.post(f"{world['case']}/letters/{draft}/send")
    assert response.status_code == 409
    assert "older version of your proposal, so it was not sent" in response.get_data(
        as_text=True)
    with app.app_context():  # nothing queued, nothing claimed
        from webapp.models import SentMail

        assert db.session.scalar(select(func.count()).select_from(SentMail)) == 0
        assert db.session.scalar(select(Letter.status).where(Letter.public_id == draft)) \
            == "draft"
