"""parley backup / parley restore: every table and upload round-trips, on SQLite and
on PostgreSQL (issue 11), into an empty database; a restore that cannot be done
writes nothing and says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, make_url, select, text

from tests.integration.test_page_output import _seed
from webapp.commands.serve import upgrade_database
from webapp.domain.errors import ValidationError
from webapp.extensions import db
from webapp.services import accounts
from webapp.services.backup import backup, restore
from webapp.storage import LocalStorage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A second, empty database of the same kind as the test database."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path}/restored.sqlite"
        return
    url = make_url(database_url)
    name = f"{url.database}_restore"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _dump(app) -> dict[str, list[tuple]]:
    with app.app_context():
        with db.engine.connect() as conn:
            return {t.name: [tuple(r) for r in conn.execute(
                select(t).order_by(*t.primary_key.columns))]
                for t in db.metadata.sorted_tables}


def test_every_table_and_upload_round_trips_into_an_empty_database(
        make_app, empty_database, tmp_path):
    # Stores of their own, not the apps' UPLOAD_DIR: migrating the target (its
    # 0024 encrypts the files of UPLOAD_DIR in place) must not touch the source.
    uploads = LocalStorage(tmp_path / "source-uploads")
    restored_uploads = LocalStorage(tmp_path / "uploads-restored")
    key = "ab" * 20
    uploads.put(key, b"%PDF-1.7 the creditor's letter\x00\xff")
    (tmp_path / "source-uploads" / f".{'cd' * 20}.part").write_bytes(b"a write cut off")
    source = make_app()
    _seed(source, "cn-negotiation")
    _seed(source, "gb-family")
    source.test_client().post("/auth/login", data={  # a session row too
        "email": "gb-family@example.com", "password": "correct horse battery"})
    archive = tmp_path / "parley.tar.gz"
    with source.app_context():
        counts = backup(archive, uploads)
    assert counts["debts"] >= 6 and counts["letters"] >= 2 and counts["negotiation_events"] > 0
    assert (archive.stat().st_mode & 0o777) == 0o600

    target = make_app(SQLALCHEMY_DATABASE_URI=empty_database)
    upgrade_database(target)
    with target.app_context():
        assert restore(archive, restored_uploads) == counts
    assert _dump(target) == _dump(source)
    assert restored_uploads.get(key) == uploads.get(key)
    assert [k for k, _ in restored_uploads.list()] == [key]  # not the cut-off write

    # the restored database keeps working: new rows get new ids
    client = target.test_client()
    client.post("/auth/login", data={"email": "gb-family@example.com",
                                     "password": "correct horse battery"})
    assert client.post("/cases/new", data={
        "title": "After restore", "currency": "GBP", "jurisdiction": "GB",
        "start_date": "2027-01-31", "adults": "1", "children": "0",
        "min_offer": "1.00"}).status_code == 302
    with target.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_restore_into_a_database_with_data_writes_nothing(make_app, tmp_path):
    app = make_app()
    _seed(app, "gb-family")
    archive = tmp_path / "b.tar.gz"
    with app.app_context():
        backup(archive, None)
        before = _dump(app)
        with pytest.raises(ValidationError) as refused:
            restore(archive, None)
    assert "not empty" in str(refused.value)
    assert _dump(app) == before


def test_a_file_that_is_not_a_backup_is_refused(make_app, tmp_path):
    app = make_app()
    bad = tmp_path / "x.tar.gz"
    bad.write_text("hello")
    with app.app_context(), pytest.raises(ValidationError) as refused:
        restore(bad, None)
    assert "not a Parley backup" in str(refused.value)


def test_the_commands_round_trip_and_refuse_with_exit_code_2(make_app, tmp_path):
    env = {**os.environ, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite"}
    env.pop("PARLEY_ENV", None)

    def parley(*args, **more):
        return subprocess.run([sys.executable, "-c", "from webapp.cli import main; main()",
                               *args], cwd=ROOT, env={**env, **more}, capture_output=True,
                              text=True, timeout=120)

    assert parley("upgrade-db").returncode == 0
    app = make_app(SQLALCHEMY_DATABASE_URI=env["DATABASE_URL"])
    with app.app_context():
        accounts.register("a@example.com", "correct horse battery", "borrower")
        db.session.remove()
        db.engine.dispose()
    archive = tmp_path / "b.tar.gz"
    made = parley("backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert parley("backup", str(archive)).returncode == 2  # never overwrites
    again = parley("restore", str(archive))  # into the same, non-empty database
    assert again.returncode == 2 and "not empty" in again.stderr
    restored = parley("restore", str(archive), DATABASE_URL=f"sqlite:///{tmp_path}/b.sqlite")
    assert restored.returncode == 0, restored.stderr
    engine = create_engine(f"sqlite:///{tmp_path}/b.sqlite")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT email FROM users")) == "a@example.com"
    engine.dispose()
