"""Whole-page cache for a case's busiest pages (the dashboard, the plan, a letter).

Profiling (bench/web.py, py-spy under gunicorn) put nine tenths of such a page
in reading the case's rows, deriving statuses and plans from them and rendering
the template, all of which depend only on the case's rows, the reader and the
day. So the rendered HTML is kept, in this process, under a key made of:

* the page: endpoint and full path with its query string;
* the reader: user id, role, e-mail address, name, language setting and whether
  the address is verified (so two users never share an entry, and a change of
  name shows at once);
* the language the page is rendered in (the ``lang`` switch, Accept-Language);
* the day: UTC and the borrower's local date (statuses are "on today");
* the case: its ``version``, ``revision`` and ``changes`` (moved inside every
  writer's transaction) and ``page_version`` (moved after any other write: a
  letter, a proposal, a grant...; see ``models.page_version``).

Access is still checked before the cache is asked: the view calls
``services.access.get_case`` on every request, so a revoked counselor gets the
same 404 with a warm cache, and a logged-out browser never reaches the view.
The audit log still sees every view (``services.audit``).

Not cached, rendered every time: a page with flash messages waiting (they are
shown once), an answer other than 200, and a page holding a one-time form token.
The CSRF token is per request (signed with the time): the stored HTML holds a
per-process placeholder where it was, and each answer gets its own token.

``PAGE_CACHE_SIZE`` (default 512 pages per process; 0 switches it off) bounds
memory: least recently used pages go first. Entries for old versions are never
asked for again and age out.
"""

from __future__ import annotations

import secrets
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user

from .cookie_session import csrf_token
from .models.types import local_date, now_utc

#: stands for the request's CSRF token in stored pages; random per process, so
#: no user text can contain it
_TOKEN = f"csrf-{secrets.token_hex(16)}"
_CACHES: weakref.WeakSet[PageCache] = weakref.WeakSet()


class PageCache:
    """A bounded LRU mapping of keys to answers (thread-safe: the dev server is
    threaded). ``size`` bounds the sum of the entries' weights (``weigh``: 1
    each by default, so ``size`` entries); an entry weighing more than
    ``largest`` is never kept."""

    def __init__(self, size: int, weigh: Callable[[Any], int] = lambda _answer: 1,
                 largest: int | None = None) -> None:
        self.size = size
        self._weigh = weigh
        self._largest = size if largest is None else largest
        self._pages: OrderedDict[tuple, Any] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple, *, count_miss: bool = True) -> Any:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                self.misses += count_miss
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: tuple, page: Any) -> None:
        weight = self._weigh(page)
        if weight > self._largest:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._weight -= self._weigh(old)
            self._pages[key] = page
            self._weight += weight
            while self._weight > self.size:
                _key, dropped = self._pages.popitem(last=False)
                self._weight -= self._weigh(dropped)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._weight = 0

    def __len__(self) -> int:
        return len(self._pages)


def init_app(app: Flask) -> None:
    size = int(app.config.get("PAGE_CACHE_SIZE", 512) or 0)
    if size > 0:
        cache = PageCache(size)
        app.extensions["page_cache"] = cache
        _CACHES.add(cache)


def drop_all() -> None:
    """Forget every page of every app in this process (a write not tied to a case)."""
    for cache in list(_CACHES):
        cache.clear()


def page_key(endpoint: str | None, full_path: str, user: tuple, locale: str,
             now, jurisdiction: str, case: tuple) -> tuple:
    """The cache key of a page (see the module's docstring). ``user``: id, role,
    e-mail, name, language setting, e-mail verified at; ``case``: id, owner id,
    version, revision, changes, page version. One function for both ways in
    (``_key`` from the ORM objects, ``fast_pages`` from one SQL row), so they
    always agree."""
    return (endpoint, full_path, *user, locale, now.date(), local_date(now, jurisdiction),
            *case)


def _key(case) -> tuple:
    user = current_user
    return page_key(request.endpoint, request.full_path,
                    (user.id, user.role, user.email, user.display_name, user.locale,
                     user.email_verified_at), str(get_locale()), now_utc(), case.jurisdiction,
                    (case.id, case.owner_id, case.version, case.revision, case.changes,
                     case.page_version))


def _cacheable(body: Any, status: int) -> bool:
    return (status == 200 and isinstance(body, str) and "_flashes" not in session
            and 'name="form_token"' not in body)


def page(case, build: Callable[[], Any], *, cacheable: bool = True,
         extra: tuple = ()) -> Any:
    """``build()``'s answer (``render_template``'s string, or ``(string, status)``),
    from the cache when this reader saw this version of the page today.

    ``extra``: anything else the page shows that the case's counters do not
    cover, asked on every request (a letter page's "can it be e-mailed now")."""
    cache: PageCache | None = current_app.extensions.get("page_cache")
    if (cache is None or not cacheable or request.method != "GET"
            or "_flashes" in session or not current_user.is_authenticated):
        return build()
    key = (*_key(case), *extra)
    stored = cache.get(key)
    if stored is not None:
        return with_token(stored)
    answer = build()
    body, status = answer if isinstance(answer, tuple) else (answer, 200)
    if _cacheable(body, status):
        token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        cache.put(key, body.replace(token, _TOKEN) if token else body)
    return answer


def with_token(stored: str) -> str:
    """A stored page with this request's CSRF token where the placeholder is."""
    return fill_token(stored, csrf_token()) if _TOKEN in stored else stored


def fill_token(stored: str, token: str) -> str:
    """A stored page with ``token`` where the placeholder is."""
    return stored.replace(_TOKEN, token)
