"""The page cache (webapp/page_cache.py) never shows a stale, foreign or
forbidden page: every change shows at once, each reader has their own entries,
access is checked before the cache is asked, CSRF tokens stay valid, flash
messages show once. And views are folded in the activity log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import AuthActions
from tests.factories import make_case, make_debt, make_item, make_user
from webapp import fast_pages, page_cache
from webapp.extensions import db
from webapp.models import AuditEvent, Case, CaseGrant
from webapp.models.types import now_utc
from webapp.services import audit

OWNER, COUNSELOR = "owner@example.com", "counselor@example.com"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


def browser(app, email):
    client = app.test_client()
    assert AuthActions(client).login(email, PASSWORD).status_code == 302
    return client


@pytest.fixture
def people(app):
    make_user(app, OWNER)
    make_user(app, COUNSELOR, "counselor")
    return {who: browser(app, who) for who in (OWNER, COUNSELOR)}


@pytest.fixture
def case_url(people):
    url = make_case(people[OWNER])
    make_item(people[OWNER], url, amount="400")
    make_debt(people[OWNER], url, creditor="Barclaycard")
    return url


def cache(app) -> page_cache.PageCache:
    return app.extensions["page_cache"]


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def same(page: str) -> str:
    """The page with its CSRF tokens set aside (signed with the second: they may differ)."""
    return CSRF.sub('name="csrf_token" value="TOKEN"', page)


def test_a_second_view_is_served_from_the_cache_and_is_the_same_page(app, people, case_url):
    pages = [case_url, f"{case_url}/plan"]
    text(people[OWNER], case_url)  # (shows, and so ends, the flash of the debt added)
    first = [same(text(people[OWNER], url)) for url in pages]
    hits = cache(app).hits
    assert [same(text(people[OWNER], url)) for url in pages] == first
    assert cache(app).hits == hits + 2


def test_an_edited_budget_shows_at_once(app, people, case_url):
    text(people[OWNER], case_url)
    text(people[OWNER], case_url)  # warm
    plan = same(text(people[OWNER], f"{case_url}/plan"))
    assert same(text(people[OWNER], f"{case_url}/plan")) == plan  # warm
    make_item(people[OWNER], case_url, label="Second job", amount="123.45",
              frequency="monthly")
    page = text(people[OWNER], case_url)
    assert "Second job" in page and "123.45" in page
    assert same(text(people[OWNER], f"{case_url}/plan")) != plan


def test_a_write_no_case_file_counter_sees_still_shows_at_once(app, people, case_url):
    """A letter, a grant, a proposal: anything with a case_id moves page_version,
    through the ORM or a bulk statement."""
    with app.app_context():
        before = db.session.scalar(select(Case.page_version))
    people[OWNER].post(f"{case_url}/access", data={"email": COUNSELOR})
    with app.app_context():
        after_grant = db.session.scalar(select(Case.page_version))
        case_id = db.session.scalar(select(Case.id))
        # a bulk statement naming the case
        db.session.execute(update(CaseGrant).where(CaseGrant.case_id == case_id)
                           .values(granted_at=now_utc()))
        db.session.commit()
        after_bulk = db.session.scalar(select(Case.page_version))
        # ... and one that does not: nothing to tie it to, so the cache is dropped
        text(people[OWNER], case_url)
        text(people[OWNER], case_url)
        assert len(cache(app))
        db.session.execute(update(CaseGrant).values(granted_at=now_utc()))
        db.session.commit()
        assert len(cache(app)) == 0
        # a rolled back write bumps nothing
        db.session.execute(update(CaseGrant).where(CaseGrant.case_id == case_id)
                           .values(granted_at=now_utc()))
        db.session.rollback()
        assert db.session.scalar(select(Case.page_version)) == after_bulk
    assert before < after_grant < after_bulk


def test_two_readers_never_share_an_entry(app, people, case_url):
    people[OWNER].post(f"{case_url}/access", data={"email": COUNSELOR})
    text(people[OWNER], case_url)  # (shows, and so ends, the flash of the grant)
    owner_page = text(people[OWNER], case_url)
    counselor_page = text(people[COUNSELOR], case_url)
    assert same(owner_page) != same(counselor_page)
    assert "gave you access" in counselor_page and "gave you access" not in owner_page
    assert same(text(people[OWNER], case_url)) == same(owner_page)
    assert same(text(people[COUNSELOR], case_url)) == same(counselor_page)


def test_a_revoked_counselor_gets_404_with_a_warm_cache(app, people, case_url):
    people[OWNER].post(f"{case_url}/access", data={"email": COUNSELOR})
    for url in (case_url, f"{case_url}/plan"):
        text(people[COUNSELOR], url)
        text(people[COUNSELOR], url)
    with app.app_context():
        grant_id = db.session.scalar(select(CaseGrant.id))
    assert people[OWNER].post(f"{case_url}/access/{grant_id}/revoke").status_code in (302, 303)
    assert people[COUNSELOR].get(case_url).status_code == 404
    assert people[COUNSELOR].get(f"{case_url}/plan").status_code == 404


def test_logging_out_ends_access_with_a_warm_cache(app, people, case_url):
    text(people[OWNER], case_url)
    text(people[OWNER], case_url)
    people[OWNER].post("/auth/logout")
    response = people[OWNER].get(case_url)
    assert response.status_code == 302 and "/auth/login" in response.location


def test_a_flash_message_shows_once_on_a_cached_page(app, people, case_url):
    text(people[OWNER], case_url)
    text(people[OWNER], case_url)  # warm
    response = people[OWNER].post(f"{case_url}/reasons/food", data={"reason": "Twins"},
                                  follow_redirects=True)
    assert response.status_code == 200
    flashed = re.findall(r'class="flash[^"]*"', response.get_data(as_text=True))
    assert flashed
    assert not re.findall(r'class="flash[^"]*"', text(people[OWNER], case_url))


def test_tomorrow_is_a_new_page(app, people, case_url, monkeypatch):
    text(people[OWNER], case_url)
    misses = cache(app).misses
    tomorrow = now_utc() + timedelta(days=1)
    monkeypatch.setattr(page_cache, "now_utc", lambda: tomorrow)
    monkeypatch.setattr(fast_pages, "now_utc", lambda: tomorrow)
    text(people[OWNER], case_url)
    assert cache(app).misses == misses + 1


def test_the_csrf_token_of_a_cached_page_is_valid(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    make_user(app, OWNER)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"csrf_token": token, "email": OWNER,
                                     "password": PASSWORD})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/cases/new").get_data(as_text=True)).group(1)
    url = make_case(client, csrf_token=token)
    other = app.test_client()  # another browser of the same user: its own token
    other.post("/auth/login", data={"csrf_token": re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"',
        other.get("/auth/login").get_data(as_text=True)).group(1), "email": OWNER,
        "password": PASSWORD})
    text(client, url)  # (the flash of the case created)
    text(client, url)  # stored
    hits = cache(app).hits
    tokens = [re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(b, url)).group(1)
              for b in (client, other)]
    assert cache(app).hits == hits + 2
    for browser_, token in zip((client, other), tokens, strict=True):
        assert "csrf-" not in token
        answer = browser_.post("/language", data={"csrf_token": token, "lang": "en",
                                                  "next": url})
        assert answer.status_code == 302, answer.get_data(as_text=True)
    # a token from one browser is refused in the other (each session has its own)
    answer = other.post("/language", data={"csrf_token": tokens[0], "lang": "en"})
    assert answer.status_code == 400


def test_a_cache_switched_off_changes_nothing(make_app):
    app = make_app(PAGE_CACHE_SIZE=0)
    assert "page_cache" not in app.extensions


# --- the activity log: views folded --------------------------------------------------


def actions(app):
    with app.app_context():
        return [(e.action, e.actor_email) for e in db.session.scalars(
            select(AuditEvent).order_by(AuditEvent.id))]


def test_repeated_views_are_one_view_but_the_order_is_kept(app, people, case_url):
    people[OWNER].post(f"{case_url}/access", data={"email": COUNSELOR})
    start = len(actions(app))
    for _ in range(3):
        text(people[COUNSELOR], case_url)
    text(people[COUNSELOR], f"{case_url}/plan")
    make_debt(people[COUNSELOR], case_url, creditor="Another")
    text(people[COUNSELOR], case_url)
    text(people[OWNER], case_url)
    text(people[COUNSELOR], case_url)
    assert actions(app)[start:] == [("view", COUNSELOR), ("change", COUNSELOR),
                                    ("view", COUNSELOR), ("view", OWNER),
                                    ("view", COUNSELOR)]


def test_a_view_after_the_quiet_time_is_written_again(app, people, case_url, monkeypatch):
    text(people[OWNER], case_url)
    count = len(actions(app))
    text(people[OWNER], case_url)
    assert len(actions(app)) == count
    later = now_utc() + audit.VIEW_EVERY + timedelta(seconds=1)
    # the clock of both ways in: the audit log's and the one-statement path's
    monkeypatch.setattr(audit, "now_utc", lambda: later)
    monkeypatch.setattr(fast_pages, "now_utc", lambda: later)
    text(people[OWNER], case_url)
    assert len(actions(app)) == count + 1
