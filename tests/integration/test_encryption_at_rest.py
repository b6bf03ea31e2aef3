"""No personal value is stored in clear: a full journey (a case with the
borrower's address, phone and ID number, debts with account references and
creditors' addresses, letters written, e-mailed and marked sent, their ZIP,
a reply with notes and a creditor's letter attached, a collection contact with
notes and a screenshot), then every byte Parley stored is searched for every
value: the SQLite file and its WAL (after a checkpoint), or on PostgreSQL every
row of every table as text, and the upload folder. ``parley rotate-key``
re-encrypts it all under a new key; the old key can then go.

Both halves run in the SQLite run and in the PostgreSQL run of the suite.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from tests import upload_samples as s
from tests.factories import make_case, make_debt, make_item, verify_account
from tests.smtp_support import smtp_server
from webapp.crypto import DecryptionError, Keyring, raw_table
from webapp.extensions import db
from webapp.models import (
    Case,
    CollectionContact,
    Debt,
    Job,
    Letter,
    NegotiationEvent,
    Proposal,
    SentMail,
    Upload,
)
from webapp.models.types import local_date, now_utc

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT_EMAIL = "journey.owner@example.org"  # the login: kept in clear, it is looked up
NAME = "Hermione Quickfoot"
ADDRESS = "17 Larkspur Mews, Thornbury"
BORROWER_EMAIL = "hermione.quickfoot@example.net"
PHONE = "07700 914263"
ID_NUMBER = "QQ482915C"
ACCOUNT_REF = "5412987623451098"
OTHER_REF = "VQX-77310422"
CREDITOR_ADDRESS = "PO Box 4821, Gravesend Works"
CREDITOR_EMAIL = "recoveries@lanternbank.example"
CREDITOR_PHONE = "0345 600 8821"
CIRCUMSTANCES = "signed off work with a slipped disc in Wexcombe"
REPLY_NOTES = "Spoke to Mrs Pennywhistle about the arrears"
COLLECTOR = "Brackwater agent Dunmore"
CONTACT_NOTES = "They rang my sister Ottoline at work"
UPLOAD_MARKER = b"Uploaded-Evidence-Marker-Quillfeather"
PERSONAL = [NAME, ADDRESS, "Larkspur", BORROWER_EMAIL, PHONE, "914263", ID_NUMBER, ACCOUNT_REF,
            OTHER_REF, CREDITOR_ADDRESS, "Gravesend", CREDITOR_EMAIL, CREDITOR_PHONE,
            CIRCUMSTANCES, "Wexcombe", REPLY_NOTES, "Pennywhistle", COLLECTOR, "Dunmore",
            CONTACT_NOTES, "Ottoline", "quickfoot-statement"]
#: What the PDF attached to the reply says (its bytes, as sent).
EVIDENCE = s.pdf().replace(b"trailer", b"% " + UPLOAD_MARKER + b"\ntrailer")


def _journey(client, app) -> str:
    """Every kind of personal value, entered the way a borrower enters it."""
    client.post("/auth/register", data={"email": ACCOUNT_EMAIL, "password": "correct horse x1",
                                        "confirm": "correct horse x1", "role": "borrower"})
    client.post("/auth/login", data={"email": ACCOUNT_EMAIL, "password": "correct horse x1"})
    verify_account(client, app, ACCOUNT_EMAIL)
    case_url = make_case(client, title="Journey case", borrower_name=NAME,
                         borrower_address=ADDRESS, borrower_email=BORROWER_EMAIL,
                         borrower_phone=PHONE)
    make_item(client, case_url, "income", amount="2000", frequency="monthly")
    make_debt(client, case_url, creditor="Lantern Bank", balance="3000",
              contractual_payment="2500", account_ref=ACCOUNT_REF,
              creditor_address=CREDITOR_ADDRESS, creditor_email=CREDITOR_EMAIL,
              creditor_phone=CREDITOR_PHONE)
    make_debt(client, case_url, creditor="Vanquis", balance="1200", account_ref=OTHER_REF)
    assert client.post(f"{case_url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal)).public_id
        lantern = db.session.scalar(select(Debt.ref).where(Debt.creditor == "Lantern Bank"))
        db.session.remove()
    letters_url = f"{case_url}/proposals/{proposal}/letters"
    response = client.post(letters_url, data={
        "letter_type": "proposal", "language": "en", "circumstances": CIRCUMSTANCES,
        "sender_name": NAME, "sender_address": ADDRESS, "sender_id_number": ID_NUMBER})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.post(f"{letters_url}.zip").status_code in (200, 202, 302, 303)
    with app.app_context():
        first, second, *_statement = db.session.scalars(
            select(Letter.public_id).order_by(Letter.debt_ref.is_(None), Letter.id))
        db.session.remove()
    assert client.post(f"{case_url}/letters/{first}/send").status_code == 302  # by e-mail
    today = local_date(now_utc(), "GB")
    assert client.post(f"{case_url}/letters/{second}/mark-sent", data={
        "sent_on": today.isoformat(), "channel": "post"}).status_code == 302
    form = {"type": "rejected", "on": today.isoformat(), "channel": "post",
            "notes": REPLY_NOTES, "attachment": (io.BytesIO(EVIDENCE),
                                                 "quickfoot-statement.pdf")}
    response = client.post(f"{case_url}/creditors/{lantern}", data=form,
                           content_type="multipart/form-data")
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    # yesterday: a contact at 09:30 today is in the future before 09:30
    form = {"on": (today - timedelta(days=1)).isoformat(), "at": "09:30", "channel": "call",
            "party": "family",
            "debt_ref": lantern, "collector": COLLECTOR, "notes": CONTACT_NOTES,
            "attachment": (io.BytesIO(s.png()), "quickfoot-statement.png")}
    response = client.post(f"{case_url}/contacts", data=form,
                           content_type="multipart/form-data")
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    return case_url


def _everything_was_stored(app) -> None:
    """The journey is not vacuous: each value is there, and reads back in clear."""
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.borrower_name, case.borrower_address, case.borrower_phone,
                case.borrower_id_number) == (NAME, ADDRESS, PHONE, ID_NUMBER)
        assert {d.account_ref for d in case.debts} == {ACCOUNT_REF, OTHER_REF}
        letters = db.session.scalars(select(Letter).where(Letter.debt_ref.is_not(None))
                                     .order_by(Letter.id)).all()
        assert ACCOUNT_REF in letters[0].html and ADDRESS.split(",")[0] in letters[0].html
        assert ID_NUMBER in letters[0].html  # letters carry the full values
        assert [letter.is_sent for letter in letters] == [True, True]
        assert db.session.scalar(select(SentMail.recipient)) == CREDITOR_EMAIL
        notes = [e.notes for e in db.session.scalars(select(NegotiationEvent))]
        assert REPLY_NOTES in notes
        contact = db.session.scalar(select(CollectionContact))
        assert (contact.collector, contact.notes) == (COLLECTOR, CONTACT_NOTES)
        assert db.session.scalar(select(func.count(Upload.id))) == 2
        # the letters' ZIP, and the e-mail's job (the outbox)
        assert sorted(db.session.scalars(select(Job.kind))) == ["letter_mail", "letters_zip"]
        db.session.remove()


def _raw_database(app) -> bytes:
    """Every byte the database holds for Parley's tables."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        if url.get_backend_name() == "sqlite":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.session.remove()
            db.engine.dispose()
            path = Path(url.database)
            files = [path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-journal"))]
            return b"".join(f.read_bytes() for f in files if f.exists())
        # PostgreSQL: every row of every table as text (bytea shows as hex).
        with db.engine.connect() as conn:
            out = [conn.execute(text(f'SELECT coalesce(string_agg(row_to_json(t)::text, '
                                     f'chr(10)), \'\') FROM "{table.name}" t')).scalar()
                   for table in db.metadata.sorted_tables]
        db.session.remove()
        return "\n".join(out).encode()


def _uploads(app) -> bytes:
    folder = Path(app.config["UPLOAD_DIR"])
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _in_clear(data: bytes) -> list[str]:
    found = []
    for value in PERSONAL:
        encoded = value.encode()
        if encoded in data or encoded.hex().encode() in data:
            found.append(value)
    return found


@pytest.fixture
def journey(make_app):
    with smtp_server() as (port, inbox):
        app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                       MAIL_FROM="letters@parley.example")
        _journey(app.test_client(), app)
        assert [m["To"] for m in inbox.messages()][-1] == CREDITOR_EMAIL
    _everything_was_stored(app)
    return app


def test_no_personal_value_is_stored_in_clear(journey):
    database = _raw_database(journey)
    assert b"Journey case" in database  # the right file: its title is not personal
    assert _in_clear(database) == []
    files = _uploads(journey)
    assert len(files) > len(EVIDENCE)
    assert UPLOAD_MARKER not in files and b"%PDF" not in files and b"PNG" not in files
    assert _in_clear(files) == []


def _raw_values(app) -> dict[tuple[str, str, int], object]:
    """Every stored token, by (table, column, row id)."""
    from webapp.crypto import encrypted_columns

    out = {}
    with app.app_context(), db.engine.connect() as conn:
        for table, column in encrypted_columns(db.metadata):
            raw = raw_table(table)
            for row_id, value in conn.execute(select(raw.c.id, raw.c[column.name])):
                if value not in (None, "", b""):
                    out[(table.name, column.name, row_id)] = bytes(value) if isinstance(
                        value, memoryview) else value
    return out


def _parley(app, *args, **env):
    environ = {**os.environ, "SECRET_KEY": "x", **env,
               "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
               "UPLOAD_DIR": app.config["UPLOAD_DIR"]}
    environ.pop("PARLEY_ENV", None)
    return subprocess.run([sys.executable, "-c", "from webapp.cli import main; main()", *args],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300)


def test_rotate_key_re_encrypts_everything_and_the_old_key_can_go(journey):
    app = journey
    old = app.config["ENCRYPTION_KEYS"][0]
    new = Fernet.generate_key().decode()
    before = _raw_values(app)
    files_before = _uploads(app)
    assert len(before) > 20
    with app.app_context():
        db.session.remove()
        db.engine.dispose()

    done = _parley(app, "rotate-key", PARLEY_ENCRYPTION_KEYS=f"{new},{old}")
    assert done.returncode == 0, done.stderr
    assert f"re-encrypted {len(before)} value(s) and 2 file(s)" in done.stdout
    assert "remove the old key" in done.stdout

    after = _raw_values(app)
    assert after.keys() == before.keys()
    assert all(after[k] != before[k] for k in before)  # every token written again
    assert _uploads(app) != files_before
    # Only the new key now: everything still reads, in clear, as before.
    app.extensions["parley_keyring"].set_keys([new])
    _everything_was_stored(app)
    client = app.test_client()
    client.post("/auth/login", data={"email": ACCOUNT_EMAIL, "password": "correct horse x1"})
    with app.app_context():
        case = db.session.scalar(select(Case)).public_id
        upload = db.session.scalar(select(Upload).where(Upload.event_id.is_not(None)))
        download = f"/cases/{case}/uploads/{upload.public_id}"
        db.session.remove()
    response = client.get(download)
    assert response.status_code == 200 and response.data == EVIDENCE
    # ...and the old key alone no longer opens anything.
    app.extensions["parley_keyring"].set_keys([old])
    with app.app_context(), pytest.raises(DecryptionError):
        db.session.scalar(select(Case.borrower_address))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_rotate_key_refuses_bad_input_with_exit_code_2_and_changes_nothing(journey):
    app = journey
    old = app.config["ENCRYPTION_KEYS"][0]
    before = _raw_values(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    bad = _parley(app, "rotate-key", PARLEY_ENCRYPTION_KEYS="not-a-key")
    assert bad.returncode == 2
    assert "PARLEY_ENCRYPTION_KEYS: key 1 is not a Fernet key" in bad.stderr
    assert "Traceback" not in bad.stderr
    # The old key left out: its values cannot be read, so nothing is rewritten.
    lost = _parley(app, "rotate-key", PARLEY_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert lost.returncode == 2 and "cannot be decrypted with any of the keys" in lost.stderr
    assert "nothing was changed" in lost.stderr and "Traceback" not in lost.stderr
    assert ADDRESS not in lost.stderr
    both = _parley(app, "rotate-key", "--new-key", PARLEY_ENCRYPTION_KEYS=old)
    assert both.returncode == 2 and "put the new key first" in both.stderr
    assert _raw_values(app) == before


def test_rotate_key_new_key_replaces_the_instance_key_file(make_app, tmp_path):
    """Without PARLEY_ENCRYPTION_KEYS: --new-key makes the new key, rotates, keeps it alone."""
    import shutil

    instance = tmp_path / "instance"
    app = make_app()
    from webapp.crypto import load_keys

    key = load_keys(instance, {})[0]
    app.extensions["parley_keyring"].set_keys([key])
    client = app.test_client()
    client.post("/auth/register", data={"email": ACCOUNT_EMAIL, "password": "correct horse x1",
                                        "confirm": "correct horse x1", "role": "borrower"})
    client.post("/auth/login", data={"email": ACCOUNT_EMAIL, "password": "correct horse x1"})
    make_case(client, borrower_address=ADDRESS)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    # A copy of the package whose instance folder is ours (Flask puts it beside the package).
    code = tmp_path / "code"
    shutil.copytree(ROOT / "webapp", code / "webapp", ignore=shutil.ignore_patterns(
        "__pycache__"))
    shutil.copytree(ROOT / "templates", code / "templates")
    shutil.move(instance, code / "instance")
    environ = {**os.environ, "SECRET_KEY": "x", "PYTHONPATH": str(code),
               "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
               "UPLOAD_DIR": app.config["UPLOAD_DIR"]}
    environ.pop("PARLEY_ENCRYPTION_KEYS", None)
    environ.pop("PARLEY_ENV", None)
    done = subprocess.run([sys.executable, "-c", "from webapp.cli import main; main()",
                           "rotate-key", "--new-key"], cwd=code, env=environ,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    keys = (code / "instance" / "encryption_keys").read_text().split()
    assert len(keys) == 1 and keys != [key]
    app.extensions["parley_keyring"].set_keys(keys)
    with app.app_context():
        assert db.session.scalar(select(Case.borrower_address)) == ADDRESS
    app.extensions["parley_keyring"] = Keyring([key])
    with app.app_context(), pytest.raises(DecryptionError):
        db.session.scalar(select(Case.borrower_address))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
