"""Parley: negotiate repayment plans a household can keep.

``create_app`` builds the Flask application: configuration, extensions,
blueprints, template filters, security headers and error handlers.
"""

from __future__ import annotations

import os
from inspect import iscoroutinefunction
from typing import Any

from flask import Flask

from . import config
from .paths import templates_dir


class ParleyFlask(Flask):
    """Flask, with ``ensure_sync`` asking ``inspect`` once per function instead of
    once per hook per request (eleven times a request; Flask's docs invite this
    override). Parley has no async views: the answer is kept all the same."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Any, Any] = {}

    def ensure_sync(self, func):
        try:
            return self._sync[func]
        except KeyError:
            pass
        except TypeError:  # unhashable: ask every time
            return super().ensure_sync(func)
        sync = self.async_to_sync(func) if iscoroutinefunction(func) else func
        if len(self._sync) < 4096:
            self._sync[func] = sync
        return sync


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory (``flask --app webapp run``, gunicorn ``'webapp:create_app()'``)."""
    from . import logs

    logs.install()  # before anything can log: no personal value reaches a log
    app = ParleyFlask(
        __name__,
        instance_relative_config=True,
        template_folder=str(templates_dir()),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.load(app.instance_path))
    if test_config:
        app.config.update(test_config)
    config.create_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file does not drop connections: pinging it before every request is waste.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "pool_pre_ping": False}
    from . import fast_pages

    fast_pages.init_app(app)  # inside ProxyFix: it sees the client's address
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Trust exactly PROXY_COUNT proxies: the client address is the one the
        # outermost trusted proxy saw, so the rate limits count real clients.
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]

    from .jsonprovider import ParleyJSONProvider

    app.json = ParleyJSONProvider(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from . import (
        answer_cache,
        audit_log,
        cookie_session,
        crypto,
        errors,
        filters,
        observability,
        page_cache,
        render_speed,
        security,
        static_files,
        storage,
    )
    from .blueprints.uploads import limits as upload_limits
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale

    crypto.init_app(app)  # before the store and the models use the keys
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    storage.init_app(app)
    upload_limits.init_app(app)  # before CSRF, which reads the whole form
    csrf.init_app(app)
    cookie_session.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    render_speed.install(app)
    page_cache.init_app(app)
    answer_cache.init_app(app)
    limiter.init_app(app)
    # Before any hook that loads the user: a request id for every answer.
    observability.init_app(app)

    from . import models  # noqa: F401  (register the tables with the metadata)
    from .auth import load_user
    from .services import caseload  # noqa: F401  (keeps the caseload's summaries: a hook)

    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please log in to see this page.")

    from .blueprints.access import bp as access_bp
    from .blueprints.api import bp as api_bp
    from .blueprints.archive import bp as archive_bp
    from .blueprints.auth import bp as auth_bp
    from .blueprints.calendar import bp as calendar_bp
    from .blueprints.caseload import bp as caseload_bp
    from .blueprints.cases import bp as cases_bp
    from .blueprints.letters import bp as letters_bp
    from .blueprints.main import bp as main_bp
    from .blueprints.negotiations import bp as negotiations_bp
    from .blueprints.plans import bp as plans_bp
    from .blueprints.uploads import bp as uploads_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(letters_bp)
    app.register_blueprint(negotiations_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(uploads_bp)
    app.register_blueprint(access_bp)
    app.register_blueprint(archive_bp)
    app.register_blueprint(caseload_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # JSON API: no cookies are read, so no CSRF to forge

    from .services import spending

    spending.init_app(app)  # a bad guidelines file stops the start, naming the field
    filters.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    errors.init_app(app)
    audit_log.init_app(app)
    return app
