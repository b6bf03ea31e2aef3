"""Uploads through the web app with UPLOAD_STORE=s3://... (moto's S3 over HTTP on
loopback): the file goes to the bucket and nowhere on disk, comes back byte for
byte, leaves with its case; /readyz checks the bucket; backup and restore carry
the files from one store to another."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests import upload_samples as s
from tests.factories import today_gb
from tests.integration.test_backup import empty_database  # noqa: F401  (fixture)
from tests.integration.test_uploads_web import contact, links, reply
from tests.s3_support import S3Box, s3, s3_server  # noqa: F401  (fixtures)
from tests.unit.record_builders import case_file, debt, sent
from webapp.commands.serve import upgrade_database
from webapp.domain.errors import ValidationError
from webapp.extensions import db
from webapp.services.backup import backup, restore, upload_store
from webapp.storage import LocalStorage, S3Storage

KEY_NAME = re.compile(r"^evidence/[0-9a-f]{40}$")


def start_case(client, auth) -> str:
    auth.register()
    data = case_file([debt("a", "1000")], negotiations=[
        {"debt_id": "a", "events": [sent((today_gb() - timedelta(days=10)).isoformat())]}])
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.location


@pytest.fixture
def s3_app(make_app, s3: S3Box):  # noqa: F811
    app = make_app(**s3.settings())
    # the bucket behind the encryption of every stored file (webapp.crypto)
    assert isinstance(app.extensions["parley_storage"].inner, S3Storage)
    return app


def test_an_upload_goes_to_the_bucket_and_comes_back_byte_for_byte(s3_app, s3, auth):  # noqa: F811
    client = s3_app.test_client()
    case_url = start_case(client, type(auth)(client))
    assert contact(client, case_url, s.png(), "我的截图.png").status_code == 303
    assert reply(client, case_url, s.pdf(), "Refusal.pdf").status_code == 303
    names = s3.names()
    assert len(names) == 2 and all(KEY_NAME.match(name) for name in names)
    assert not Path(s3_app.config["UPLOAD_DIR"]).exists()  # nothing on this machine's disk
    stored = {s3.client.get_object(Bucket=s3.bucket, Key=n)["Body"].read() for n in names}
    assert not stored & {s.png(), s.pdf()}  # encrypted in the bucket...
    keyring = s3_app.extensions["parley_keyring"]
    assert {keyring.decrypt_bytes(b) for b in stored} == {s.png(), s.pdf()}  # ...and whole

    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    [url] = links(page[page.index('id="contact-log"'):])
    download = client.get(url)
    assert download.status_code == 200 and download.data == s.png()
    assert download.headers["Content-Disposition"].startswith("attachment")

    assert client.post(f"{case_url}/delete", data={"word": "erase"}).status_code == 302
    assert s3.names() == []  # the case took its files


def test_a_row_whose_object_is_gone_is_404_not_500(s3_app, s3, auth):  # noqa: F811
    client = s3_app.test_client()
    case_url = start_case(client, type(auth)(client))
    contact(client, case_url, s.png())
    [name] = s3.names()
    s3.client.delete_object(Bucket=s3.bucket, Key=name)
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    [url] = links(page)
    assert client.get(url).status_code == 404


def test_the_sweep_removes_old_orphans_from_the_bucket_only(s3_app, s3, auth, monkeypatch):  # noqa: F811
    from webapp.services import uploads

    client = s3_app.test_client()
    case_url = start_case(client, type(auth)(client))
    contact(client, case_url, s.png())
    [kept] = s3.names()
    orphan = "evidence/" + "a" * 40
    for name in (orphan, "evidence/readme.txt", "a" * 40):
        s3.client.put_object(Bucket=s3.bucket, Key=name, Body=b"x")
    with s3_app.app_context():
        assert uploads.sweep_orphans(grace=uploads.SWEEP_GRACE * 0) == 1
    assert s3.names() == sorted([kept, "evidence/readme.txt", "a" * 40])


def test_with_the_store_down_an_upload_is_a_503_that_saves_nothing(make_app, s3, auth):  # noqa: F811
    from sqlalchemy import func, select

    from webapp.models import CollectionContact, Upload

    app = make_app(**{**s3.settings(), "S3_ENDPOINT_URL": "http://127.0.0.1:1"})
    client = app.test_client()
    case_url = start_case(client, type(auth)(client))
    response = contact(client, case_url, s.png())
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Uploaded files are out of reach" in page
    assert "did not answer, so nothing was saved" in page and "127.0.0.1" not in page
    with app.app_context():
        assert db.session.scalar(select(func.count(CollectionContact.id))) == 0
        assert db.session.scalar(select(func.count(Upload.id))) == 0
    assert contact(client, case_url).status_code == 303  # without a file: no store needed


def test_with_the_store_down_a_download_is_a_503(make_app, s3, auth):  # noqa: F811
    up = make_app(**s3.settings())
    client = up.test_client()
    case_url = start_case(client, type(auth)(client))
    contact(client, case_url, s.png())
    [url] = links(client.get(f"{case_url}/contacts").get_data(as_text=True))
    down = make_app(**{**s3.settings(), "S3_ENDPOINT_URL": "http://127.0.0.1:1"})
    client = down.test_client()  # another node, same database, its store out of reach
    type(auth)(client).login()
    response = client.get(url)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "did not answer. Try again in a few minutes." in page and "saved" not in page


def test_readyz_checks_the_bucket(make_app, s3):  # noqa: F811
    answer = make_app(**s3.settings()).test_client().get("/readyz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ready", "checks": {"database": "ok", "uploads": "ok"}}

    gone = {**s3.settings(), "UPLOAD_STORE": "s3://no-such-bucket/evidence"}
    answer = make_app(**gone).test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"] == {"database": "ok", "uploads": "failed"}
    down = {**s3.settings(), "S3_ENDPOINT_URL": "http://127.0.0.1:1"}
    answer = make_app(**down).test_client().get("/readyz")
    assert answer.status_code == 503 and answer.json["checks"]["uploads"] == "failed"
    assert "127.0.0.1" not in answer.get_data(as_text=True)


def _dump_counts(app) -> dict[str, int]:
    from sqlalchemy import func, select

    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t))
                for t in db.metadata.sorted_tables}


def _download(app, case_url, auth) -> bytes:
    client = app.test_client()
    type(auth)(client).login()
    [url] = links(client.get(f"{case_url}/contacts").get_data(as_text=True))
    return client.get(url).data


def _finish(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_backup_of_an_s3_store_restores_into_a_local_folder(
        make_app, s3, empty_database, tmp_path, auth):  # noqa: F811
    source = make_app(**s3.settings())
    client = source.test_client()
    case_url = start_case(client, type(auth)(client))
    contact(client, case_url, s.png())
    [name] = s3.names()
    archive = tmp_path / "parley.tar.gz"
    with source.app_context():
        backup(archive, upload_store(source))

    folder = tmp_path / "restored-uploads"
    target = make_app(SQLALCHEMY_DATABASE_URI=empty_database, UPLOAD_DIR=str(folder))
    upgrade_database(target)
    assert isinstance(upload_store(target), LocalStorage)
    with target.app_context():
        restore(archive, upload_store(target))
    restored = (folder / name.removeprefix("evidence/")).read_bytes()
    assert restored != s.png()  # still encrypted, as it was in the bucket
    assert target.extensions["parley_keyring"].decrypt_bytes(restored) == s.png()
    assert _download(target, case_url, auth) == s.png()
    _finish(target)


def test_a_backup_of_a_local_folder_restores_into_s3_and_a_clash_writes_nothing(
        make_app, s3, empty_database, tmp_path, auth):  # noqa: F811
    source = make_app()
    client = source.test_client()
    case_url = start_case(client, type(auth)(client))
    contact(client, case_url, s.png())
    [key] = [k for k, _ in upload_store(source).list()]
    archive = tmp_path / "parley.tar.gz"
    with source.app_context():
        backup(archive, upload_store(source))

    target = make_app(SQLALCHEMY_DATABASE_URI=empty_database, **s3.settings("restored"))
    upgrade_database(target)
    s3.client.put_object(Bucket=s3.bucket, Key=f"restored/{key}", Body=b"another file")
    with target.app_context(), pytest.raises(ValidationError, match="another file under"):
        restore(archive, upload_store(target))
    assert set(_dump_counts(target).values()) == {0}  # the rows were rolled back

    s3.client.put_object(Bucket=s3.bucket, Key=f"restored/{key}",
                         Body=upload_store(source).get(key))  # the stored (encrypted) bytes
    with target.app_context():  # the same bytes already there: a restore run again
        restore(archive, upload_store(target))
    assert s3.names("restored/") == [f"restored/{key}"]
    assert _download(target, case_url, auth) == s.png()
    _finish(target)
