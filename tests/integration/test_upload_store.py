"""Where uploads are kept and how big they may be: files of mode 0600 under a
random key outside the web root; the upload forms take up to the upload limit
while every other form and the API keep theirs; file first, then row, and no
file without a row or row without a file; a deleted case takes its files."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests import upload_samples as s
from tests.unit.record_builders import case_file, debt
from webapp import config
from webapp.commands.uploads import sweep_uploads_command
from webapp.domain.uploads import LETTER_TYPES, accept
from webapp.extensions import db
from webapp.models import Case, CollectionContact, Upload
from webapp.models.types import local_date, now_utc
from webapp.services import uploads

DAY = (local_date(now_utc(), "GB") - timedelta(days=1)).isoformat()


def start_case(client, auth) -> str:
    auth.register()
    data = case_file([debt("a", "1000")])
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302
    return response.location


def multipart(fields: dict, data: bytes, name: str) -> dict:
    """The body as bytes: the test client would spool a large one to a
    temporary file that nobody closes (a ResourceWarning)."""
    values = {**fields, "attachment": FileStorage(io.BytesIO(data), name)}
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def contact(client, case_url, data: bytes, name: str = "shot.png", **extra):
    fields = {"on": DAY, "at": "22:30", "channel": "call", "party": "borrower",
              "debt_ref": "a", "notes": "kept", **extra}
    return client.post(f"{case_url}/contacts", **multipart(fields, data, name))


def files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def padded_png(size: int) -> bytes:
    return s.png() + b"\x00" * (size - len(s.png()))


# --- on disk -------------------------------------------------------------------------


def test_a_file_is_kept_0600_under_a_random_key_outside_the_web_root(app, client, auth):
    case_url = start_case(client, auth)
    assert contact(client, case_url, s.png(), "我的截图.png").status_code == 303
    [path] = files(app)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert re.fullmatch(r"[0-9a-f]{40}", path.name)
    # Encrypted at rest: the disk holds a Fernet token of the file, never its bytes.
    stored = path.read_bytes()
    assert s.png() not in stored and b"PNG" not in stored
    with app.app_context():
        assert app.extensions["parley_keyring"].decrypt_bytes(stored) == s.png()
    for served in (app.static_folder, app.template_folder):
        assert Path(served).resolve() not in path.resolve().parents


def test_the_default_folder_is_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("UPLOAD_DIR", raising=False)
    monkeypatch.delenv("UPLOAD_MAX_BYTES", raising=False)
    loaded = config.load(str(tmp_path))
    assert loaded["UPLOAD_DIR"] == str(tmp_path / "uploads")
    assert loaded["UPLOAD_MAX_BYTES"] == 10 * 1024 * 1024
    monkeypatch.setenv("UPLOAD_MAX_BYTES", "0")
    with pytest.raises(ValueError, match="UPLOAD_MAX_BYTES must be at least 1"):
        config.load(str(tmp_path))


@pytest.mark.parametrize("where", ["static", "static/uploads", "templates"])
def test_the_app_will_not_start_with_uploads_in_the_web_root(make_app, where):
    app = make_app()
    root = {"static": app.static_folder, "templates": app.template_folder}
    folder = os.path.join(root[where.split("/")[0]], *where.split("/")[1:])
    with pytest.raises(ValueError, match="UPLOAD_DIR must be outside"):
        make_app(UPLOAD_DIR=folder)


# --- sizes ---------------------------------------------------------------------------


def test_a_file_at_the_limit_is_kept_though_larger_than_other_forms_take(app, client, auth):
    limit = app.config["UPLOAD_MAX_BYTES"]
    assert limit == 10 * 1024 * 1024 > app.config["MAX_CONTENT_LENGTH"]
    case_url = start_case(client, auth)
    assert contact(client, case_url, padded_png(limit)).status_code == 303
    [path] = files(app)
    # kept encrypted: the file plus Fernet's few bytes (version, time, IV, padding, MAC)
    assert limit < path.stat().st_size <= limit + 73


def test_one_byte_over_the_limit_is_a_422_naming_the_field_and_keeping_the_rest(
        make_app, auth):
    app = make_app(UPLOAD_MAX_BYTES=1000)
    client = app.test_client()
    case_url = start_case(client, type(auth)(client))
    response = contact(client, case_url, padded_png(1001))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("Screenshot or recording: the file is larger than 1,000 byte, the most Parley "
            "keeps. Choose a smaller one.") in page
    assert "\nkept</textarea>" in page and files(app) == []
    assert contact(client, case_url, padded_png(1000)).status_code == 303


def test_a_body_far_over_the_limit_is_a_413_that_says_the_limit(make_app, auth):
    app = make_app(UPLOAD_MAX_BYTES=1000, MAX_CONTENT_LENGTH=10_000)
    client = app.test_client()
    case_url = start_case(client, type(auth)(client))
    response = contact(client, case_url, padded_png(200_000))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "A file is at most 1,000 byte. Nothing was saved" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(CollectionContact.id))) == 0


def test_every_other_form_and_the_api_keep_their_limits(client, auth):
    case_url = start_case(client, auth)
    big = "x" * (3 * 1024 * 1024)
    assert client.post("/cases/import", data={"text": big}).status_code == 413
    assert client.post(f"{case_url}/debts/new", data={"creditor": big}).status_code == 413
    assert client.post("/api/v1/plan", data=b"{" + b" " * 300_000 + b"}",
                       content_type="application/json").status_code == 413


def test_a_stranger_cannot_send_a_large_body(make_app):
    """Not logged in: the usual limit applies to the form CSRF reads first."""
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/cases/x/contacts", **multipart({}, padded_png(3 * 1024 * 1024),
                                                            "x.png"))
    assert response.status_code == 413


def test_with_csrf_on_the_limit_is_raised_before_the_token_is_read(make_app, auth):
    """Flask-WTF reads the whole form to find the token: the limit must already
    be the upload limit then."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/auth/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    password = "correct horse battery"
    client.post("/auth/register", data={"email": "csrf@example.com", "password": password,
                                        "confirm": password, "role": "borrower",
                                        "csrf_token": token})
    client.post("/auth/login", data={"email": "csrf@example.com", "password": password,
                                     "csrf_token": token})
    response = client.post("/cases/import", data={
        "text": json.dumps(case_file([debt("a", "1000")])), "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    case_url = response.location
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = contact(client, case_url, padded_png(3 * 1024 * 1024), csrf_token=token)
    assert response.status_code == 303
    assert len(files(app)) == 1


# --- file first, then row --------------------------------------------------------------


def test_a_failed_commit_removes_the_file(app, client, auth, monkeypatch):
    case_url = start_case(client, auth)
    public_id = case_url.rsplit("/", 1)[1]

    def fail():
        raise OperationalError("COMMIT", {}, Exception("the database went away"))

    with app.test_request_context():
        case = db.session.scalar(select(Case).where(Case.public_id == public_id))
        kept = accept("letter.pdf", s.pdf(), LETTER_TYPES, 1000)
        monkeypatch.setattr(db.session, "commit", fail)
        with pytest.raises(OperationalError), uploads.saving(case, kept) as upload:
            assert len(files(app)) == 1  # written first...
            upload.contact = CollectionContact(case=case, at="2027-01-01T10:00:00+00:00",
                                               at_utc=now_utc(), channel="call",
                                               party="borrower")
        monkeypatch.undo()
        assert files(app) == []  # ...and removed with the row that failed
        assert db.session.scalar(select(func.count(Upload.id))) == 0


def test_deleting_a_case_removes_its_files(app, client, auth):
    case_url = start_case(client, auth)
    contact(client, case_url, s.png())
    contact(client, case_url, s.amr(), "call.amr")
    assert len(files(app)) == 2
    assert client.post(f"{case_url}/delete", data={"word": "erase"}).status_code == 302
    assert files(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Upload.id))) == 0


def test_delete_for_case_removes_the_files_and_rows_and_keeps_the_case(app, client, auth):
    case_url = start_case(client, auth)
    contact(client, case_url, s.png())
    other = client.post("/cases/import",
                        data={"text": json.dumps(case_file([debt("a", "1")]))})
    contact(client, other.location, s.jpeg())
    with app.test_request_context():
        case = db.session.scalar(select(Case).where(
            Case.public_id == case_url.rsplit("/", 1)[1]))
        assert uploads.delete_for_case(case) == 1
        assert db.session.scalar(select(func.count(Upload.id))) == 1
        assert len(case.collection_contacts) == 1  # the contact stays, without its file
    [left] = files(app)
    with app.app_context():  # the other case's file, encrypted at rest
        assert app.extensions["parley_keyring"].decrypt_bytes(left.read_bytes()) == s.jpeg()


def test_the_sweep_removes_old_files_without_a_row_only(app, client, auth, runner):
    case_url = start_case(client, auth)
    contact(client, case_url, s.png())
    [kept] = files(app)
    folder = kept.parent
    old, fresh, part = (folder / ("a" * 40), folder / ("b" * 40), folder / f".{'c' * 40}.part")
    for path in (old, fresh, part):
        path.write_bytes(b"orphan")
    two_hours_ago = time.time() - 7200
    for path in (old, part, kept):
        os.utime(path, (two_hours_ago, two_hours_ago))
    result = runner.invoke(sweep_uploads_command)
    assert result.exit_code == 0 and "2 orphaned upload file(s) removed" in result.output
    assert sorted(files(app)) == sorted([kept, fresh])


def test_a_row_whose_file_is_gone_is_404_not_500(app, client, auth):
    case_url = start_case(client, auth)
    contact(client, case_url, s.png())
    [path] = files(app)
    path.unlink()
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    url = re.search(r'href="(/cases/[^"]+/uploads/[^"]+)"', page).group(1)
    assert client.get(url).status_code == 404
