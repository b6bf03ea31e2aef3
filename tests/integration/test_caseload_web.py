"""The counselor's caseload: what it lists, how it filters and searches, that
its summaries follow every change, and that it runs the same SQL for ten cases
or a thousand. Counselors' notes and tasks: private, audited, erased with the case."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bench.caseload import seed
from tests.conftest import AuthActions
from tests.factories import enrol_totp, today_gb
from tests.sql_support import statements_sent
from webapp.extensions import db
from webapp.models import AuditEvent, Case, CaseNote, CaseSummary, CaseTask, User
from webapp.models.types import now_utc
from webapp.services import accounts, cases, negotiations, sharing

PASSWORD = "correct horse battery"
BENCH_PASSWORD = "correct horse battery staple"


def _file(title: str, creditor: str, events: list[dict], borrower: str = "Sam Lee") -> str:
    return json.dumps({
        "format": "parley-case/1", "currency": "GBP", "jurisdiction": "GB", "title": title,
        "start_date": "2026-01-31", "household": {"adults": 1, "children": 0},
        "borrower": {"name": borrower, "address": "1 High Street"},
        "income": [{"label": "Wages", "amount": "2000.00", "frequency": "monthly"}],
        "expenses": [],
        "debts": [{"id": "d1", "creditor": creditor, "kind": "credit_card", "balance": "1200.00",
                   "apr": "0", "contractual_payment": "50.00", "account_ref": "SECRET-REF-991"}],
        "negotiations": [{"debt_id": "d1", "events": events}] if events else [],
    })


def _day(days_ago: int) -> str:
    return (today_gb() - timedelta(days=days_ago)).isoformat()


#: title -> (creditor, events): one case per status the filters tell apart.
CASES = {
    "Late letter": ("Lowell Ltd", [
        {"on": _day(50), "type": "sent", "letter": "proposal", "offer_monthly": "40.00"}]),
    "Waiting": ("Vanquis Bank", [
        {"on": _day(3), "type": "sent", "letter": "proposal", "offer_monthly": "40.00"}]),
    "Arrears": ("Capital One", [
        {"on": _day(70), "type": "sent", "letter": "proposal", "offer_monthly": "40.00"},
        {"on": _day(60), "type": "accepted", "monthly": "40.00", "first_payment": _day(45)}]),
    "Review soon": ("Barclaycard", [
        {"on": _day(365), "type": "sent", "letter": "proposal", "offer_monthly": "10.00"},
        {"on": _day(355), "type": "accepted", "monthly": "10.00",
         "first_payment": (today_gb() - timedelta(days=350)).isoformat()},
        *[{"on": _day(350 - 30 * k), "type": "payment", "amount": "10.00"} for k in range(12)]]),
    "Not started": ("Lowell Ltd", []),
}


@pytest.fixture
def office(app):
    """A counselor with five clients' cases (one each, granted) and one of their own."""
    with app.app_context():
        counselor = accounts.register("adviser@example.com", PASSWORD, "counselor")
        for n, (title, (creditor, events)) in enumerate(CASES.items()):
            client = accounts.register(f"client{n}@example.com", PASSWORD, "borrower",
                                       display_name=f"Client Number{n}")
            case = cases.import_case(client, _file(title, creditor, events,
                                                   borrower=f"Hidden Borrower{n}"))
            sharing.grant(case, "adviser@example.com", client)
        cases.import_case(counselor, _file("Own walk-in", "Provident", []))
        db.session.remove()
    enrol_totp(app, "adviser@example.com")  # counselors log in with two factors
    client = app.test_client()
    assert AuthActions(client).login("adviser@example.com", PASSWORD).status_code == 302
    return client


def _titles(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r'<td data-label="[^"]*"><a href="/cases/[^"]+">([^<]+)</a>', body)


def test_the_caseload_lists_every_case_overdue_first_with_client_and_next_action(office):
    page = office.get("/caseload")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    titles = _titles(html)
    assert sorted(titles) == sorted([*CASES, "Own walk-in"])
    # Overdue first (the late letter and the missed payment), by their due dates.
    assert set(titles[:2]) == {"Late letter", "Arrears"}
    assert "Client Number0" in html and "Your own case (no client account yet)" in html
    assert "Send a follow-up" in html and "£1,200.00" in html


@pytest.mark.parametrize(("filter_", "expected"), [
    ("overdue", {"Late letter", "Arrears"}),
    ("awaiting", {"Late letter", "Waiting"}),
    ("arrears", {"Arrears"}),
    ("review", {"Review soon"}),
])
def test_each_filter_lists_its_cases_and_counts_them(office, filter_, expected):
    html = office.get(f"/caseload?filter={filter_}").get_data(as_text=True)
    assert set(_titles(html)) == expected
    assert re.search(rf'filter={filter_}" aria-current="page">[^<]+<span class="count">'
                     rf'\({len(expected)}\)', html)


@pytest.mark.parametrize(("q", "expected"), [
    ("lowell", {"Late letter", "Not started"}),       # a creditor, any case or spelling
    ("client2@example", {"Arrears"}),                 # the client's e-mail
    ("number3", {"Review soon"}),                     # the client's name
    ("walk-in", {"Own walk-in"}),                     # the case's title
    ("Hidden Borrower", set()),                       # never the borrower's own fields
    ("SECRET-REF", set()),                            # nor account references
    ("100%_", set()),                                 # wildcards are plain text
])
def test_search_reads_titles_clients_and_creditors_only(office, q, expected):
    html = office.get("/caseload", query_string={"q": q}).get_data(as_text=True)
    assert set(_titles(html)) == expected


def test_a_filter_and_a_search_together(office):
    html = office.get("/caseload?filter=overdue&q=lowell").get_data(as_text=True)
    assert _titles(html) == ["Late letter"]


def test_borrowers_cannot_open_the_caseload(app, office):
    borrower = app.test_client()
    AuthActions(borrower).login("client0@example.com", PASSWORD)
    assert borrower.get("/caseload").status_code == 403


def test_the_summary_follows_a_change_and_never_moves_the_etag(app, office):
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.title == "Waiting"))
        changes = case.changes
        negotiations.record_event(case, "d1", "rejected", today_gb())
        summary = db.session.get(CaseSummary, case.id)
        assert summary.computed_changes == case.changes == changes + 1
        assert [r["base"] for r in summary.rows] == ["rejected"]
        case_id = case.public_id
        db.session.remove()
    html = office.get("/caseload?filter=awaiting").get_data(as_text=True)
    assert "Waiting" not in _titles(html)
    assert office.get(f"/cases/{case_id}").status_code == 200
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.public_id == case_id))
        assert case.changes == changes + 1  # viewing and refreshing changed nothing


def test_an_expired_summary_is_worked_out_again_on_the_next_view(app, office):
    """As the migration's backfill leaves them, or a passed review date."""
    with app.app_context():
        db.session.execute(CaseSummary.__table__.update().values(
            rows=[], next_due=None, overdue_at=None, expires_at=now_utc() - timedelta(days=1)))
        db.session.commit()
    html = office.get("/caseload?filter=overdue").get_data(as_text=True)
    assert set(_titles(html)) == {"Late letter", "Arrears"}


def test_the_api_replacing_a_case_file_refreshes_its_summary(app, office):
    from webapp.services import case_files

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.title == "Not started"))
        text = _file("Not started", "Lowell Ltd", CASES["Late letter"][1]).encode()
        case_files.replace(case, text, cases.etag_for(case))
        summary = db.session.get(CaseSummary, case.id)
        assert [r["base"] for r in summary.rows] == ["awaiting"]


# --- constant SQL ---------------------------------------------------------------------


def _statements(app, email: str, urls: list[str]) -> list[int]:
    enrol_totp(app, email)
    client = app.test_client()
    assert AuthActions(client).login(email, BENCH_PASSWORD).status_code == 302
    out = []
    with statements_sent(app) as seen:
        for url in urls:
            client.get(url)  # the first view may work out summaries: not the steady state
            seen.clear()
            assert client.get(url).status_code == 200, url
            out.append(len(seen))
    return out


def test_the_caseload_runs_the_same_statements_for_10_and_1000_cases(app):
    seed(app, "small@example.com", 10, password=BENCH_PASSWORD)
    seed(app, "large@example.com", 1000, password=BENCH_PASSWORD)
    urls = ["/caseload", "/caseload?filter=overdue", "/caseload?filter=arrears",
            "/caseload?q=bank", "/caseload?filter=awaiting&q=client"]
    small = _statements(app, "small@example.com", urls)
    large = _statements(app, "large@example.com", urls)
    assert small == large
    assert max(large) <= 3  # the session, the page with its counts, the page's cases
    with app.app_context():  # and the large caseload is all there
        assert db.session.scalar(select(func.count()).select_from(CaseSummary)) == 1010


# --- notes and tasks ------------------------------------------------------------------


def _case_url(app, title: str) -> str:
    with app.app_context():
        return "/cases/" + db.session.scalar(select(Case.public_id).where(Case.title == title))


def test_notes_and_tasks_are_kept_shown_to_counselors_and_audited_without_values(app, office):
    url = _case_url(app, "Waiting")
    note = "Client says the landlord is threatening eviction"
    assert office.post(f"{url}/notes", data={"note-body": note}).status_code == 303
    assert office.post(f"{url}/tasks", data={"task-title": "Call Vanquis",
                                             "task-due_on": _day(2)}).status_code == 303
    page = office.get(url).get_data(as_text=True)
    assert note in page and "Call Vanquis" in page and "Overdue:" in page
    # On the caseload: the next task's day, flagged overdue.
    html = office.get("/caseload?q=Waiting").get_data(as_text=True)
    assert "Next task" in html and "Overdue:" in html
    # The owner sees neither the note nor the task, and cannot write one.
    owner = app.test_client()
    AuthActions(owner).login("client1@example.com", PASSWORD)
    own_page = owner.get(url).get_data(as_text=True)
    assert note not in own_page and "Call Vanquis" not in own_page
    assert owner.post(f"{url}/notes", data={"note-body": "mine"}).status_code == 403
    # The case's audit log says what happened, never the text.
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).join(Case).where(
            Case.title == "Waiting")).all()
        assert {"note_add", "task_add"} <= set(actions)
        texts = " ".join(str(v) for e in db.session.scalars(select(AuditEvent)).all()
                         for v in vars(e).values())
        assert "eviction" not in texts and "Call Vanquis" not in texts


def test_a_task_is_done_then_removed_and_a_note_removed_by_its_author(app, office):
    url = _case_url(app, "Waiting")
    office.post(f"{url}/tasks", data={"task-title": "Send payslips", "task-due_on": _day(-5)})
    office.post(f"{url}/notes", data={"note-body": "First note"})
    with app.app_context():
        task_id = db.session.scalar(select(CaseTask.id))
        note_id = db.session.scalar(select(CaseNote.id))
        case_id = db.session.scalar(select(CaseTask.case_id))
        assert db.session.get(CaseSummary, case_id).next_task_on == today_gb() + timedelta(days=5)
    assert office.post(f"{url}/tasks/{task_id}/done", data={"done": "1"}).status_code == 303
    with app.app_context():
        assert db.session.get(CaseTask, task_id).done is True
        assert db.session.get(CaseSummary, case_id).next_task_on is None
    assert office.post(f"{url}/tasks/{task_id}/delete").status_code == 303
    assert office.post(f"{url}/notes/{note_id}/delete").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseTask)) == 0
        assert db.session.scalar(select(func.count()).select_from(CaseNote)) == 0
        assert {"task_change", "task_delete", "note_delete"} <= set(db.session.scalars(
            select(AuditEvent.action)).all())


def test_only_the_author_removes_a_note(app, office):
    url = _case_url(app, "Waiting")
    office.post(f"{url}/notes", data={"note-body": "Mine"})
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.title == "Waiting"))
        accounts.register("colleague@example.com", PASSWORD, "counselor")
        sharing.grant(case, "colleague@example.com", case.owner)
        note_id = db.session.scalar(select(CaseNote.id))
    enrol_totp(app, "colleague@example.com")
    colleague = app.test_client()
    assert AuthActions(colleague).login("colleague@example.com", PASSWORD).status_code == 302
    assert "Mine" in colleague.get(url).get_data(as_text=True)  # shared among counselors
    assert colleague.post(f"{url}/notes/{note_id}/delete").status_code == 403


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"note-body": "   "}, "note-body", "Fill this in."),
    ({"note-body": "x" * 5001}, "note-body", "5000"),
])
def test_a_bad_note_is_refused_naming_the_field(app, office, data, field, message):
    url = _case_url(app, "Waiting")
    response = office.post(f"{url}/notes", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseNote)) == 0


@pytest.mark.parametrize(("data", "field"), [
    ({"task-title": "", "task-due_on": "2027-01-01"}, "task-title"),
    ({"task-title": "Call", "task-due_on": "31/02/2027"}, "task-due_on"),
    ({"task-title": "Call", "task-due_on": ""}, "task-due_on"),
])
def test_a_bad_task_is_refused_naming_the_field(app, office, data, field):
    response = office.post(f"{_case_url(app, 'Waiting')}/tasks", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseTask)) == 0


def test_erasing_the_case_erases_its_notes_tasks_and_summary(app, office):
    url = _case_url(app, "Waiting")
    office.post(f"{url}/notes", data={"note-body": "Gone soon"})
    office.post(f"{url}/tasks", data={"task-title": "Gone too", "task-due_on": _day(-1)})
    owner = app.test_client()
    AuthActions(owner).login("client1@example.com", PASSWORD)
    assert owner.post(f"{url}/delete", data={"word": "erase"}).status_code in (302, 303)
    with app.app_context():
        for model in (CaseNote, CaseTask):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
        gone = db.session.scalar(select(Case.id).where(Case.title == "Waiting"))
        assert gone is None
        assert db.session.scalar(select(func.count()).select_from(CaseSummary)) == len(CASES)


def test_erasing_a_counselors_account_keeps_their_notes_on_clients_cases_by_email(app, office):
    url = _case_url(app, "Waiting")
    office.post(f"{url}/notes", data={"note-body": "A record for the next adviser"})
    with app.app_context():
        from webapp.services import erasure

        erasure.erase_account(db.session.scalar(select(User).where(
            User.email == "adviser@example.com")), PASSWORD)
        note = db.session.scalar(select(CaseNote))
        assert note.author_id is None and note.author_email == "adviser@example.com"


def test_pages_of_a_filtered_search_and_a_page_past_the_end(app):
    seed(app, "pages@example.com", 60, password=BENCH_PASSWORD)
    enrol_totp(app, "pages@example.com")
    client = app.test_client()
    assert AuthActions(client).login("pages@example.com", BENCH_PASSWORD).status_code == 302
    seen = []
    for number in (1, 2, 3):
        html = client.get(f"/caseload?page={number}").get_data(as_text=True)
        seen += _titles(html)
        assert f'aria-current="page">{number}</a>' in html
    assert len(seen) == len(set(seen)) == 60
    # A filter's cases end where its count says, whatever follows them in the sort.
    with app.app_context():
        overdue = db.session.scalar(select(func.count()).select_from(CaseSummary).where(
            CaseSummary.overdue_at <= now_utc()))
    titles = []
    for number in (1, 2, 3):
        titles += _titles(client.get(f"/caseload?filter=overdue&page={number}")
                          .get_data(as_text=True))
    assert 25 < overdue < 60 and len(titles) == len(set(titles)) == overdue
    past = client.get("/caseload?page=99&q=household")
    assert past.status_code == 302 and past.location.endswith("/caseload?q=household&page=3")
    assert client.get("/caseload?page=x").status_code == 200


def test_parley_caseload_refresh_works_out_what_the_migration_left(app, runner, office):
    from webapp.commands.caseload import caseload_refresh_command

    with app.app_context():
        db.session.execute(CaseSummary.__table__.update().values(
            rows=[], expires_at=now_utc() - timedelta(days=1)))
        db.session.execute(CaseSummary.__table__.delete().where(
            CaseSummary.case_id == select(Case.id).where(Case.title == "Waiting")
            .scalar_subquery()))
        db.session.commit()
    result = runner.invoke(caseload_refresh_command)
    assert result.exit_code == 0 and "6 caseload summaries worked out" in result.output
    with app.app_context():
        summaries = db.session.scalars(select(CaseSummary)).all()
        assert len(summaries) == len(CASES) + 1 and all(s.rows for s in summaries)
    assert "0 caseload summaries" in runner.invoke(caseload_refresh_command).output


def test_the_playbook_counts_live_grants_only_and_is_for_counselors(app, office):
    from webapp.services import playbook

    with app.app_context():
        adviser = db.session.scalar(select(User).where(User.email == "adviser@example.com"))
        # "Lowell Ltd" in two cases, but a record in one only: not shown.
        assert [p for p in playbook.for_counselor(adviser) if p.key == "lowell"] == []
    # Two cases with Lowell records: the late letter's, and one more.
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.title == "Not started"))
        negotiations.record_event(case, "d1", "sent", today_gb() - timedelta(days=9),
                                 letter="proposal", offer_monthly=Decimal("25.00"))
        negotiations.record_event(case, "d1", "rejected", today_gb() - timedelta(days=2))
        adviser = db.session.scalar(select(User).where(User.email == "adviser@example.com"))
        [lowell] = [p for p in playbook.for_counselor(adviser) if p.key == "lowell"]
        assert (lowell.cases, lowell.offers, lowell.decided, lowell.accepted) == (2, 2, 1, 0)
        assert lowell.reply_days == Decimal("7.0")
        borrower = case.owner
        assert playbook.for_counselor(borrower) == [] and playbook.for_case(borrower, case) == {}
        assert set(playbook.for_case(adviser, case)) == {"d1"}
        sharing.revoke(case, "adviser@example.com", case.owner)
        adviser = db.session.scalar(select(User).where(User.email == "adviser@example.com"))
        assert [p for p in playbook.for_counselor(adviser) if p.key == "lowell"] == []
    page = office.get("/caseload/playbook").get_data(as_text=True)
    assert "Lowell" not in page and "Not enough history yet" in page
