"""A cached case page answered in one SQL statement, outside Flask.

The page cache (``page_cache``) keeps the dashboard, the plan page and a letter
page whole. Profiling a cached answer under gunicorn (py-spy, then each step
timed in process) put most of its time in the ORM (loading the session and its
user for Flask-Login, the case for the access check, the latest audit event),
then in Flask's request machinery and hooks around a page that was already
known. So a WSGI middleware in front of Flask answers such a request itself,
only when one statement proves everything the full path would check:

* the session cookie's signature (Flask's serializer, ``cookie_session``), and
  its token names a live server-side session (not idle, not too old) whose
  ``last_seen_at`` needs no update this minute;
* Flask-Login's session identifier matches this browser (session protection);
* the user owns the case or holds a live grant for it (``services.access``);
* the user is no counselor who still has to enrol two-factor login;
* the case's latest audit event is this user's own view, on the web, less than
  ``VIEW_EVERY`` ago, so the full path would write no row either;
* a letter page: the letter is this case's and is not being sent;
* the page, for this reader, language, day and version of the case (and, for a
  letter, whether the day's mail limit is reached), is in the cache.

Anything else (another method, a query string such as ``?reveal=1``, no
cookie, flash messages waiting, a page not cached yet, a revoked grant, any
error) goes to Flask, which decides, answers and logs exactly as before. The
cache key is built by ``page_cache.page_key``, the function the full path uses;
the answer carries the headers Flask's hooks would add (``security``, the
request id of ``observability``, ``Vary: Cookie``) and the same log line, and
``tests/integration/test_fast_pages.py`` compares both answers whole.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

from babel import Locale
from flask import Flask
from sqlalchemy import and_, bindparam, create_engine, event, func, or_, select
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header, parse_cookie
from werkzeug.routing import RequestRedirect

from . import logs, observability, page_cache
from .cookie_session import sign_csrf
from .extensions import db
from .i18n import choose_locale
from .models import AuditEvent, Case, Letter, SentMail, User, UserSession
from .models.types import now_utc
from .models.user import must_enrol_totp
from .services import audit, sessions
from .services.access import live_grant
from .services.letter_delivery import SENT_TODAY_SPAN, limit_reached

log = logging.getLogger("parley.request")

_LATEST_EVENT = (select(func.max(AuditEvent.id)).where(AuditEvent.case_id == Case.id)
                 .correlate(Case).scalar_subquery())
_MAY_OPEN = or_(Case.owner_id == User.id, live_grant(User.id))
_COLUMNS = (UserSession.created_at.label("session_created"),
            UserSession.last_seen_at.label("session_seen"),
            User.id.label("user_id"), User.role, User.email, User.display_name,
            User.locale, User.email_verified_at, User.totp_enabled_at,
            Case.id.label("case_id"), Case.owner_id, Case.version, Case.revision,
            Case.changes, Case.page_version, Case.jurisdiction,
            _MAY_OPEN.label("may_open"),
            AuditEvent.actor_id, AuditEvent.action, AuditEvent.via, AuditEvent.at)


def _statement(*extra_columns):
    return (select(*_COLUMNS, *extra_columns)
            .select_from(UserSession)
            .join(User, User.id == UserSession.user_id)
            .join(Case, Case.public_id == bindparam("public_id"))
            .outerjoin(AuditEvent, AuditEvent.id == _LATEST_EVENT))


#: built once: the session, its user, the case, the access check and the latest event
_CASE_PAGE = _statement().where(UserSession.token_hash == bindparam("digest"))
#: the same, with the letter (of this case only) and the user's e-mails of the last
#: 24 hours (``letter_delivery.limit_reached``)
_SENT_TODAY = (select(func.count(SentMail.id))
               .where(SentMail.user_id == User.id, SentMail.at >= bindparam("since"))
               .correlate(User).scalar_subquery())
_LETTER_PAGE = (_statement(Letter.id.label("letter_id"), Letter.sending_since,
                           _SENT_TODAY.label("sent_today"))
                .outerjoin(Letter, and_(Letter.case_id == Case.id,
                                        Letter.public_id == bindparam("letter_public_id")))
                .where(UserSession.token_hash == bindparam("digest")))

#: the pages served this way, and their statement: each view is ``get_case`` (and
#: for a letter ``get_letter``) then ``page_cache.page``
ENDPOINTS = {"cases.show": _CASE_PAGE, "plans.show": _CASE_PAGE,
             "letters.show": _LETTER_PAGE}

_LOCALES: dict[str, str] = {}
_IDENTIFIERS: dict[tuple, str] = {}


def _identifier(environ: dict) -> str:
    """Flask-Login's session identifier of this browser, as
    ``flask_login.utils._create_identifier`` makes it (a SHA-512 of the address,
    the first of ``X-Forwarded-For`` when sent, and the user agent), once per
    address and agent."""
    forwarded = environ.get("HTTP_X_FORWARDED_FOR")
    remote = environ.get("REMOTE_ADDR")
    agent = environ.get("HTTP_USER_AGENT")
    key = (remote, forwarded, agent)
    found = _IDENTIFIERS.get(key)
    if found is None:
        address = forwarded if forwarded is not None else remote
        if address is not None:
            address = address.encode("utf-8").split(b",")[0].strip()
        encoded = agent.encode("utf-8") if agent is not None else None
        if len(_IDENTIFIERS) >= 4096:
            _IDENTIFIERS.clear()
        found = _IDENTIFIERS[key] = hashlib.sha512(
            f"{address}|{encoded}".encode()).hexdigest()
    return found


def _locale_name(tag: str) -> str:
    """``str(flask_babel.get_locale())`` for ``tag``, as the full path keys it."""
    name = _LOCALES.get(tag)
    if name is None:
        name = _LOCALES[tag] = str(Locale.parse(tag))
    return name


class _Row:
    """One result row: the statement's labels as attributes."""

    __slots__ = ("__dict__",)

    def __init__(self, names: tuple[str, ...], values: list) -> None:
        self.__dict__.update(zip(names, values, strict=True))


class _Compiled:
    """One statement compiled once for the app's database, run on the driver's
    cursor.

    SQLAlchemy's own execution path (statement cache, parameters, result object)
    cost twice the query itself here. The parameters' bind processors and the
    columns' result processors are the ones SQLAlchemy would apply (dates,
    encrypted values), taken from it. Compiled for the app's engine (its
    dialect knows the server); run on ``reader`` (see :func:`reader_for`)."""

    def __init__(self, engine, reader, statement) -> None:
        self.reader = reader
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positions = tuple(compiled.positiontup or ()) if compiled.positional else None
        self.binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                      for name, bind in compiled.binds.items()}
        self.names = tuple(c.name for c in statement.selected_columns)
        self.processors = tuple(
            c.type.dialect_impl(dialect).result_processor(dialect, None)
            for c in statement.selected_columns)

    def fetch(self, params: dict) -> _Row | None:
        bound = {name: value if self.binds.get(name) is None else self.binds[name](value)
                 for name, value in params.items()}
        args = (tuple(bound[p] for p in self.positions) if self.positions is not None
                else bound)
        connection = self.reader.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self.sql, args)
                values = cursor.fetchone()
            finally:
                cursor.close()
        except BaseException:
            connection.invalidate()  # a dropped connection is never handed out again
            raise
        finally:
            connection.close()
        if values is None:
            return None
        return _Row(self.names, [value if process is None or value is None else process(value)
                                 for process, value in zip(self.processors, values,
                                                           strict=True)])


def reader_for(engine):
    """The engine the fast path reads with: the app's own on SQLite (calls in
    the process); on a server, a small pool of its own in autocommit mode,
    without the checkout ping and the rollback on return.

    Through the app's pool, one statement on PostgreSQL is four round trips:
    the liveness ping, ``BEGIN``, the statement, the ``ROLLBACK`` on return.
    Here it is one, and one statement sees one snapshot with or without a
    transaction around it. A connection the server dropped fails its statement:
    it is invalidated and Flask answers that request (its pool pings). Disposed
    with the app's engine.
    """
    if engine.dialect.name == "sqlite":
        return engine
    reader = create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_pre_ping=False,
                           pool_reset_on_return=None, hide_parameters=True)
    event.listen(engine, "engine_disposed", lambda _engine: reader.dispose())
    return reader


class FastPages:
    """The WSGI middleware: ``answer`` or Flask."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self._compiled: dict[int, _Compiled] = {}
        self._reader = None
        self._reader_lock = threading.Lock()

    def __call__(self, environ: dict, start_response):
        if (environ.get("REQUEST_METHOD") == "GET" and not environ.get("QUERY_STRING")
                and environ.get("PATH_INFO", "").startswith("/cases/")):
            try:
                answer = self.answer(environ)
            except Exception:  # noqa: BLE001  (Flask answers instead, and logs its own)
                log.exception("cached page not served outside Flask")
                answer = None
            if answer is not None:
                headers, body = answer
                start_response("200 OK", headers)
                return [body]
        return self.wsgi_app(environ, start_response)

    def answer(self, environ: dict) -> tuple[list[tuple[str, str]], bytes] | None:
        """(headers, body) of the cached page, or None to let Flask answer."""
        started = time.perf_counter()
        app = self.app
        cache = app.extensions.get("page_cache")
        if cache is None:
            return None
        config = app.config
        url_map = app.url_map
        if (config["TRUSTED_HOSTS"] is not None or url_map.host_matching
                or app.subdomain_matching):
            return None  # host checks Parley does not use: Flask's to make
        if config.get("RATELIMIT_DEFAULT") or config.get("RATELIMIT_APPLICATION"):
            return None  # limits on every page (Parley sets none): the limiter's to count
        # Routing as Flask routes (a redirect, a 404 or another page: Flask's)
        try:
            endpoint, args = url_map.bind_to_environ(
                environ, server_name=config["SERVER_NAME"],
                subdomain=url_map.default_subdomain or "").match(method="GET")
        except (HTTPException, RequestRedirect):
            return None
        statement = ENDPOINTS.get(endpoint)
        public_id = args.get("case_id")
        if statement is None or not isinstance(public_id, str):
            return None
        cookie = parse_cookie(environ.get("HTTP_COOKIE", "")).get(
            config["SESSION_COOKIE_NAME"])
        data = app.session_interface.load(app, cookie) if cookie else None
        if not data:
            return None
        token, raw_csrf = data.get("_user_id"), data.get(
            config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        if (not isinstance(token, str) or len(token) > 100 or not isinstance(raw_csrf, str)
                or "_flashes" in data or data.get("_id") != _identifier(environ)):
            return None
        now = now_utc()
        params = {"digest": sessions.digest(token), "public_id": public_id}
        if statement is _LETTER_PAGE:
            if not isinstance(args.get("letter_id"), str):
                return None
            params |= {"letter_public_id": args["letter_id"], "since": now - SENT_TODAY_SPAN}
        row = self._fetch(statement, params)
        if row is None or not row.may_open:
            return None
        if sessions.standing(row.session_created, row.session_seen, now, config) != "live":
            return None  # the full path touches or ends the session
        if must_enrol_totp(row.role, row.totp_enabled_at):
            return None
        if not audit.folds(row, row.user_id, "web", now):
            return None  # the full path logs this view
        path = "/" + environ["PATH_INFO"].encode("latin1").decode("utf-8", "replace").lstrip("/")
        accept = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
        locale = _locale_name(choose_locale(data.get("lang"), row.locale, accept, config))
        key = page_cache.page_key(
            endpoint, f"{path}?",
            (row.user_id, row.role, row.email, row.display_name, row.locale,
             row.email_verified_at),
            locale, now, row.jurisdiction,
            (row.case_id, row.owner_id, row.version, row.revision, row.changes,
             row.page_version))
        if statement is _LETTER_PAGE:
            if row.letter_id is None or row.sending_since is not None:
                return None  # not this case's letter (404), or being sent: never cached
            key = (*key, limit_reached(config, row.email_verified_at is not None,
                                       row.sent_today))
        stored = cache.get(key, count_miss=False)
        signed = sign_csrf(app, raw_csrf) if stored is not None else None
        if signed is None:
            return None
        body = page_cache.fill_token(stored, signed).encode()
        request_id = logs.request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        headers = [("Content-Type", "text/html; charset=utf-8"),
                   ("Content-Length", str(len(body))),
                   *app.extensions["page_headers"],
                   ("X-Request-Id", request_id), ("Vary", "Cookie")]
        context = logs.REQUEST_ID.set(request_id)
        try:
            observability.log_request("GET", path, 200, started, endpoint)
        finally:
            logs.REQUEST_ID.reset(context)
        return headers, body

    def _fetch(self, statement, params: dict) -> _Row | None:
        compiled = self._compiled.get(id(statement))
        if compiled is None:
            with self.app.app_context():
                engine = db.engine
            with self._reader_lock:
                if self._reader is None:
                    self._reader = reader_for(engine)
            compiled = self._compiled[id(statement)] = _Compiled(engine, self._reader,
                                                                 statement)
        return compiled.fetch(params)


def init_app(app: Flask) -> None:
    """Put the middleware in front of Flask (inside ``ProxyFix`` when there is
    one: call before it wraps, so that the address is the client's)."""
    app.wsgi_app = FastPages(app, app.wsgi_app)  # type: ignore[method-assign]
