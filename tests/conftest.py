"""Fixtures: an app on a migrated database (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), a client, a CLI runner and an auth helper.

The schema is built once per session by running the real migrations; each test
then starts from empty tables.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from webapp import create_app
from webapp.config import normalise_database_url
from webapp.extensions import db

ROOT = Path(__file__).resolve().parents[1]


def _base_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_FAST": True,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Background jobs run at once, in the request (tests/integration/test_jobs.py
        # runs them on RQ with a real Redis too).
        "JOBS_BACKEND": "inline",
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A fresh, migrated database for this test session."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = normalise_database_url(url)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    from webapp.commands.serve import upgrade_database

    app = create_app(_base_config(url))
    upgrade_database(app)
    with app.app_context():
        db.engine.dispose()
    return url


def _empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app with config overrides; tables are emptied after the test.
    Uploads go to a folder of the test's own (``UPLOAD_DIR``)."""
    apps = []

    def factory(**overrides):
        config = {**_base_config(database_url), "UPLOAD_DIR": str(tmp_path / "uploads"),
                  "EXPORT_DIR": str(tmp_path / "exports")}
        app = create_app({**config, **overrides})
        apps.append(app)
        return app

    yield factory
    if apps:
        _empty_tables(apps[0])
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def register(self, email="borrower@example.com", password="correct horse battery",
                 role="borrower"):
        """Register, then log in (registering alone never logs in: it must not tell
        whether the address already had an account). Returns the registration's response."""
        response = self._client.post("/auth/register", data={
            "email": email, "password": password, "confirm": password, "role": role})
        if response.status_code == 302:
            self.login(email, password)
        return response

    def login(self, email="borrower@example.com", password="correct horse battery"):
        """Log in; with two-factor login on, enter the code the app would show
        (``tests.factories.totp_code``) and return that step's response."""
        response = self._client.post("/auth/login", data={"email": email, "password": password})
        if response.status_code == 302 and response.location.endswith("/auth/login/code"):
            from tests.factories import totp_code

            code = totp_code(self._client.application, email)
            response = self._client.post("/auth/login/code", data={"code": code})
        return response

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)
