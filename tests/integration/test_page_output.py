"""Faster rendering changes no page: every key page, in both languages, is the same
HTML with ``FAST_RENDERING`` on (webapp/render_speed.py) as with Flask-Babel's and
Flask-WTF's own lookups, and the same from the page cache (webapp/page_cache.py)
as rendered afresh, once the per-request tokens are set aside."""

from __future__ import annotations

import re

import pytest

from tests.factories import seed_letters

PASSWORD = "correct horse battery"
#: CSRF and one-time form tokens differ on every request by design.
TOKENS = re.compile(r'(name="(?:csrf_token|form_token)"[^>]*value=")[^"]*"|'
                    r'(<meta name="csrf-token" content=")[^"]*"')


@pytest.fixture(autouse=True)
def one_minute(monkeypatch):
    """The contact form is filled in with the borrower's current minute: the
    renders compared here run seconds apart, so they share the first one asked
    (a run across a minute's turn compared 03:19 with 03:20)."""
    from webapp.services import contact_log

    real, seen = contact_log.local_now, {}
    monkeypatch.setattr(contact_log, "local_now",
                        lambda case: seen.setdefault(case.jurisdiction, real(case)))


def _seed(app, example: str) -> dict[str, str]:
    return seed_letters(app, f"{example}@example.com", example, password=PASSWORD,
                        year_back=True)


def _pages(ids: dict[str, str]) -> list[str]:
    case = f"/cases/{ids['case']}"
    return ["/", case, f"{case}/plan", f"{case}/proposals/{ids['proposal']}/letters",
            f"{case}/letters/{ids['letter']}", f"{case}/creditors/{ids['debt']}",
            f"{case}/contacts", f"{case}/debts/new", f"{case}/edit", "/auth/account"]


def _render(app, email: str, urls: list[str], language: str) -> dict[str, str]:
    client = app.test_client()
    headers = {"Accept-Language": language}
    client.post("/auth/login", data={"email": email, "password": PASSWORD}, headers=headers)
    out = {}
    for url in urls:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        out[url] = TOKENS.sub(lambda m: (m.group(1) or m.group(2)) + 'TOKEN"',
                              response.get_data(as_text=True))
    return out


@pytest.mark.parametrize("example", ["gb-family", "cn-negotiation"])
@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_fast_rendering_gives_the_same_pages(make_app, example, language):
    fast, plain = make_app(FAST_RENDERING=True), make_app(FAST_RENDERING=False)
    ids = _seed(fast, example)
    urls = _pages(ids)
    email = f"{example}@example.com"
    expected = _render(plain, email, urls, language)
    got = _render(fast, email, urls, language)
    for url in urls:
        assert got[url] == expected[url], url
    # the comparison is not vacuous: the pages are translated and carry the case
    assert ("创建" in got["/"] or "案件" in got["/"]) == language.startswith("zh")


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_cached_pages_are_the_pages(make_app, language):
    """The page cache (webapp/page_cache.py) gives the same HTML as rendering
    afresh: the same user, the same state, every page twice (the second time
    the dashboard, plan and letter come from the cache)."""
    cached, plain = make_app(), make_app(PAGE_CACHE_SIZE=0)
    ids = _seed(cached, "gb-family")
    urls = _pages(ids)
    email = "gb-family@example.com"
    expected = _render(plain, email, urls, language)
    first = _render(cached, email, urls, language)
    hits = cached.extensions["page_cache"].hits
    again = _render(cached, email, urls, language)
    assert cached.extensions["page_cache"].hits == hits + 3
    for url in urls:
        assert first[url] == expected[url], url
        assert again[url] == expected[url], url


def test_translations_follow_a_forced_locale(make_app):
    """force_locale (e-mails in the recipient's language) still switches the
    language of a template rendered inside the request."""
    from flask import render_template_string
    from flask_babel import force_locale

    app = make_app(FAST_RENDERING=True)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        english = render_template_string('{{ _("Log in") }}')
        with force_locale("zh_CN"):
            chinese = render_template_string('{{ _("Log in") }}')
        again = render_template_string('{{ _("Log in") }}')
    assert english == again == "Log in"
    assert chinese != english and chinese
