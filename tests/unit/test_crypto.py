"""The encrypted column types and the keyring: round trips, empty values, None,
rotation, and a clear error for a value no key opens."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text

from webapp.crypto import (
    ENV,
    DecryptionError,
    EncryptedBytes,
    EncryptedJSON,
    EncryptedText,
    KeyProblem,
    Keyring,
    load_keys,
    parse_keys,
    raw_table,
)

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()

metadata = MetaData()
things = Table("things", metadata, Column("id", Integer, primary_key=True),
               Column("text", EncryptedText), Column("data", EncryptedJSON),
               Column("blob", EncryptedBytes))


@pytest.fixture
def db():
    """An in-memory database and a bare Flask app holding the keyring."""
    app = Flask(__name__)
    app.extensions["parley_keyring"] = Keyring([OLD])
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with app.app_context(), engine.begin() as conn:
        yield app, conn
    engine.dispose()


def stored(conn, column: str):
    return conn.execute(text(f"SELECT {column} FROM things")).scalar()


@pytest.mark.parametrize("value", ["1 High Street\nLeeds", "身份证 110105199001011234", "x" * 5000])
def test_text_round_trips_and_is_stored_as_a_token(db, value):
    _app, conn = db
    conn.execute(insert(things).values(text=value))
    assert conn.execute(select(things.c.text)).scalar() == value
    raw = stored(conn, "text")
    assert raw != value and raw.startswith("gAAAAA") and value not in raw


def test_json_and_bytes_round_trip(db):
    _app, conn = db
    data = [{"notes": "called my mother", "amount": "12.50"}, {"replaced_at": None}]
    conn.execute(insert(things).values(data=data, blob=b"%PDF-1.7 \x00\xff account 4929"))
    row = conn.execute(select(things)).one()
    assert row.data == data and row.blob == b"%PDF-1.7 \x00\xff account 4929"
    assert "mother" not in stored(conn, "data") and b"4929" not in stored(conn, "blob")


def test_empty_string_and_none_are_kept_as_they_are(db):
    _app, conn = db
    conn.execute(insert(things).values(id=1, text="", data=None, blob=None))
    conn.execute(insert(things).values(id=2, text=None))
    assert [tuple(r) for r in conn.execute(select(things).order_by(things.c.id))] == [
        (1, "", None, None), (2, None, None, None)]
    assert conn.execute(text("SELECT text FROM things ORDER BY id")).scalars().all() == [
        "", None]


def test_the_same_value_encrypts_differently_each_time(db):
    _app, conn = db
    conn.execute(insert(things), [{"text": "4929111122223333"}] * 2)
    first, second = conn.execute(text("SELECT text FROM things")).scalars()
    assert first != second  # randomised: no query can match on the stored value


def test_a_wrong_key_is_a_clear_error_not_garbage(db):
    app, conn = db
    conn.execute(insert(things).values(text="1 High Street"))
    app.extensions["parley_keyring"] = Keyring([NEW])
    with pytest.raises(DecryptionError) as refused:
        conn.execute(select(things.c.text)).scalar()
    assert ENV in str(refused.value) and "rotate-key" in str(refused.value)
    assert "High Street" not in str(refused.value)


def test_old_keys_decrypt_and_rotation_moves_values_to_the_first_key(db):
    app, conn = db
    conn.execute(insert(things).values(text="1 High Street", blob=b"file"))
    app.extensions["parley_keyring"] = Keyring([NEW, OLD])
    keys = app.extensions["parley_keyring"]
    assert conn.execute(select(things.c.text)).scalar() == "1 High Street"
    raw = raw_table(things)
    token, blob = conn.execute(select(raw.c.text, raw.c.blob)).one()
    conn.execute(raw.update().values(text=keys.rotate(token), blob=keys.rotate_bytes(blob)))
    app.extensions["parley_keyring"] = Keyring([NEW])
    assert tuple(conn.execute(select(things.c.text, things.c.blob)).one()) == (
        "1 High Street", b"file")


def test_raw_table_reads_the_tokens_as_stored(db):
    _app, conn = db
    conn.execute(insert(things).values(text="secret", data={"a": 1}))
    raw = raw_table(things)
    token, data = conn.execute(select(raw.c.text, raw.c.data)).one()
    assert token.startswith("gAAAAA") and "secret" not in token and data.startswith("gAAAAA")


@pytest.mark.parametrize(("raw", "message"), [
    ("", "no key given"),
    ("not-a-key", "key 1 is not a Fernet key"),
    (f"{OLD},short", "key 2 is not a Fernet key"),
    (f"{OLD},{OLD}", "the same key is given twice"),
])
def test_malformed_keys_are_refused_naming_the_setting(raw, message):
    with pytest.raises(KeyProblem) as refused:
        parse_keys(raw)
    assert message in str(refused.value) and ENV in str(refused.value)


def test_keys_come_from_the_environment_first_then_a_0600_file_made_once(tmp_path):
    assert load_keys(tmp_path, {ENV: f" {NEW} , {OLD} "}) == [NEW, OLD]
    assert not (tmp_path / "encryption_keys").exists()
    made = load_keys(tmp_path, {})
    path = tmp_path / "encryption_keys"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_keys(tmp_path, {}) == made and len(made) == 1
    Fernet(made[0])  # a real key
