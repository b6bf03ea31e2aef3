"""Flask's signed-cookie session and Flask-WTF's CSRF token, without redoing
the same cryptography on every request.

Flask builds a new signing serializer for every request and verifies the cookie
from scratch (base64, zlib, HMAC, JSON); profiling a cached page put a sixth of
its time there. A browser sends the same cookie until its session changes, so:

* the serializers are built once per set of secret keys;
* a session with nothing to write returns at once (Flask works out every
  cookie attribute first);
* a cookie whose signature was verified is remembered with its timestamp and
  its payload (re-read from JSON for every request, so no request can change
  what another one gets). The age limit is checked on every request, exactly
  as ``itsdangerous`` checks it; a rotated secret key is a different entry;
  anything else (a new cookie, a bad signature) takes Flask's own path.

The cookie's content, its signature and what a tampered cookie gets are
Flask's: only the work is not repeated. The CSRF check itself is Flask-WTF's,
called for the methods it checks only.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Request

#: verified cookies remembered per process (a cookie is a few hundred bytes)
VERIFIED_COOKIES = 4096


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}
        self._verified: dict[tuple, tuple[int, str]] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if len(self._serializers) > 8:
                self._serializers.clear()
            self._serializers[keys] = serializer
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if self.get_signing_serializer(app) is None:
            return None
        data = self.load(app, request.cookies.get(self.get_cookie_name(app)))
        return self.session_class(data or {})

    def load(self, app: Flask, value: str | None) -> dict | None:
        """The data of the session cookie ``value``, or None (no cookie, a bad
        signature, too old): Flask's ``open_session`` without the session object."""
        signer = self.get_signing_serializer(app)
        if signer is None or not value:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (*signer.secret_keys, value)
        known = self._verified.get(key)
        if known is not None:
            stamp, payload = known
            # itsdangerous: expired when older than max_age, or stamped in the future
            if 0 <= int(time.time()) - stamp <= max_age:
                return self.serializer.loads(payload)
        try:
            data, signed_at = signer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return None
        if len(self._verified) >= VERIFIED_COOKIES:
            self._verified.clear()
        self._verified[key] = (int(signed_at.timestamp()), self.serializer.dumps(data))
        return data

    def save_session(self, app: Flask, session, response) -> None:
        # Flask's own steps for a session with nothing to write (most requests),
        # without first working out the cookie's domain, path and flags.
        if not session.modified and not (session and self.should_set_cookie(app, session)):
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


_CSRF_SERIALIZERS: dict[Any, URLSafeTimedSerializer] = {}


def csrf_token() -> str:
    """``flask_wtf.csrf.generate_csrf()`` (the same token, in ``g`` and the
    session as it keeps them) with its serializer built once per secret."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g:
        return g.get(field)
    raw = session.get(field)
    token = sign_csrf(current_app, raw) if isinstance(raw, str) else None
    if token is None:
        return generate_csrf()
    setattr(g, field, token)
    return token


def sign_csrf(app: Flask, raw: str) -> str | None:
    """The signed CSRF token of the session's secret ``raw``, as Flask-WTF signs
    it (None when no secret key is configured)."""
    secret = app.config.get("WTF_CSRF_SECRET_KEY", app.secret_key)
    if secret is None:
        return None
    serializer = _CSRF_SERIALIZERS.get(secret)
    if serializer is None:
        if len(_CSRF_SERIALIZERS) > 8:
            _CSRF_SERIALIZERS.clear()
        serializer = _CSRF_SERIALIZERS[secret] = URLSafeTimedSerializer(
            secret, salt="wtf-csrf-token")
    return serializer.dumps(raw)


def init_app(app: Flask) -> None:
    """Call right after ``csrf.init_app``: its check runs at the same point."""
    from .extensions import csrf

    app.session_interface = SessionInterface()

    @app.before_request
    def csrf_protect() -> None:
        # Flask-WTF's hook (WTF_CSRF_CHECK_DEFAULT, off in config.py) looks up
        # the view's exemptions before it looks at the method; a GET needs neither.
        config = app.config
        if config["WTF_CSRF_ENABLED"] and request.method in config["WTF_CSRF_METHODS"]:
            csrf.protect(apply_exemptions=True)
