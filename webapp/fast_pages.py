"""A cached case page answered in one SQL statement, before the ORM is touched.

The page cache (``page_cache``) keeps the dashboard and the plan page of a case
whole; profiling a cached answer under gunicorn (py-spy, then timing each step
in process) put most of its time in the ORM: loading the session and its user
(Flask-Login's loader), loading the case for the access check, and reading the
case's latest audit event (a view is logged once per ``VIEW_EVERY``).

``serve`` runs before Flask-Login loads anyone. It answers from the cache only
when one statement proves everything the full path would check:

* the cookie's token names a live server-side session (not idle, not too old)
  whose ``last_seen_at`` needs no update this minute;
* Flask-Login's session identifier matches this browser (its session protection);
* the user owns the case or holds a live grant for it (``services.access``);
* the user is no counselor who still has to enrol two-factor login;
* the case's latest audit event is this user's own view, on the web, less than
  ``VIEW_EVERY`` ago, so the full path would write no row either;
* the page, for this reader, language, day and version of the case, is cached.

Anything else (no cookie, a query string such as ``?reveal=1`` or ``?lang=``,
flash messages waiting, a missing CSRF secret, a page not cached yet, a
revoked grant...) returns None and the request goes the usual way, which
decides, answers and logs exactly as before. The key is built by
``page_cache.page_key``, the same function the full path uses, so the two ways
in share their entries.
"""

from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, request, session
from flask_login.utils import _create_identifier
from sqlalchemy import and_, bindparam, exists, func, or_, select

from . import page_cache
from .extensions import db
from .i18n import choose_locale
from .models import AuditAction, AuditEvent, Case, CaseGrant, Letter, SentMail, User, UserSession
from .models.types import now_utc
from .models.user import Role
from .services import sessions
from .services.audit import VIEW_EVERY
from .services.letter_delivery import SENT_TODAY_SPAN, limit_reached

_LATEST_EVENT = (select(func.max(AuditEvent.id)).where(AuditEvent.case_id == Case.id)
                 .correlate(Case).scalar_subquery())
_MAY_OPEN = or_(Case.owner_id == User.id,
                exists().where(CaseGrant.case_id == Case.id, CaseGrant.counselor_id == User.id,
                               CaseGrant.revoked_at.is_(None)))
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


def _identifier(req) -> str:
    """Flask-Login's session identifier of this browser (a hash of its address
    and user agent), computed once per address and agent (the same inputs)."""
    headers = req.headers
    key = (req.remote_addr, headers.get("X-Forwarded-For"), headers.get("User-Agent"))
    found = _IDENTIFIERS.get(key)
    if found is None:
        if len(_IDENTIFIERS) >= 4096:
            _IDENTIFIERS.clear()
        found = _IDENTIFIERS[key] = _create_identifier()
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
    encrypted values), taken from it."""

    def __init__(self, engine, statement) -> None:
        self.engine = engine
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
        connection = self.engine.raw_connection()  # pooled; rolled back when returned
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self.sql, args)
                values = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()
        if values is None:
            return None
        return _Row(self.names, [value if process is None or value is None else process(value)
                                 for process, value in zip(self.processors, values,
                                                           strict=True)])


def _fetch(app: Flask, statement, params: dict) -> _Row | None:
    compiled = app.extensions.setdefault("fast_pages", {})
    found = compiled.get(id(statement))
    if found is None:
        found = compiled[id(statement)] = _Compiled(db.engine, statement)
    return found.fetch(params)


def serve():
    """The cached page, or None to let the request go the usual way."""
    req = request._get_current_object()  # each proxy lookup costs; this runs often
    endpoint = req.endpoint
    if req.method != "GET" or endpoint not in ENDPOINTS or req.query_string:
        return None
    app = current_app._get_current_object()
    cache = app.extensions.get("page_cache")
    cookie = session._get_current_object()
    token = cookie.get("_user_id")
    if (cache is None or not token or not isinstance(token, str) or len(token) > 100
            or "_flashes" in cookie or "csrf_token" not in cookie
            or cookie.get("_id") != _identifier(req)):
        return None
    args = req.view_args or {}
    public_id = args.get("case_id")
    if not isinstance(public_id, str):
        return None
    statement = ENDPOINTS[endpoint]
    now = now_utc()
    params = {"digest": sessions.digest(token), "public_id": public_id}
    if statement is _LETTER_PAGE:
        if not isinstance(args.get("letter_id"), str):
            return None
        params |= {"letter_public_id": args["letter_id"], "since": now - SENT_TODAY_SPAN}
    row = _fetch(app, statement, params)
    if row is None or not row.may_open:
        return None
    if (now - row.session_seen >= sessions.TOUCH_EVERY or now - row.session_seen > sessions.idle()
            or now - row.session_created > sessions.lifetime()):
        return None  # the full path touches or ends the session
    if row.role == Role.COUNSELOR.value and row.totp_enabled_at is None:
        return None
    if not (row.actor_id == row.user_id and row.action == AuditAction.VIEW.value
            and row.via == "web" and now - row.at < VIEW_EVERY):
        return None  # the full path logs this view
    key = page_cache.page_key(
        endpoint, req.full_path,
        (row.user_id, row.role, row.email, row.display_name, row.locale,
         row.email_verified_at),
        _locale_name(choose_locale(row.locale)), now, row.jurisdiction,
        (row.case_id, row.owner_id, row.version, row.revision, row.changes, row.page_version))
    if statement is _LETTER_PAGE:
        if row.letter_id is None or row.sending_since is not None:
            return None  # not this case's letter (404), or being sent: never cached
        key = (*key, limit_reached(app.config, row.email_verified_at is not None,
                                   row.sent_today))
    stored = cache.get(key, count_miss=False)
    return None if stored is None else page_cache.with_token(stored)


def init_app(app: Flask) -> None:
    """Register ``serve`` as a ``before_request``: call it after the hooks every
    answer needs (request id, upload limits, CSRF, rate limits) and before any
    that loads the user."""
    app.before_request(serve)
