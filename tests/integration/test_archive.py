"""The borrower's archive (issue 10): one ZIP of every case they own (or of one
case) with the case file, the letters, the uploads, the audit log and the
account's own data, listed with SHA-256s; made as a background job; only the
owner downloads it, and the download is an audited export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import upload_samples as s
from tests.conftest import AuthActions
from tests.factories import make_token, make_user, today_gb
from tests.unit.record_builders import case_file, debt, sent
from webapp.extensions import db
from webapp.models import AuditEvent, Job, Letter, Upload
from webapp.models.types import now_utc

PASSWORD = "correct horse battery"


def _import(client, data) -> str:
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location.removeprefix("http://localhost")


@pytest.fixture
def world(app, client, auth):
    """The owner's GB case: three creditors, version 1 saved, its letters written,
    the one to b sent; a screenshot and a PDF uploaded. Another borrower's case
    with its own upload; a counselor granted the owner's case."""
    auth.register()
    data = case_file([debt(ref, bal, account_ref=f"{ref.upper()}-1") for ref, bal in
                      (("a", "1000"), ("b", "3000"), ("c", "6000"))],
                     negotiations=[{"debt_id": "a", "events": [
                         sent((today_gb() - timedelta(days=10)).isoformat())]}])
    data["borrower"] = {"name": "Sam Example", "address": "1 High Street, Leeds"}
    url = _import(client, data)
    assert client.post(f"{url}/plan", data={"strategy": "pro_rata"}).status_code == 302
    letters = client.get(f"{url}/plan").get_data(as_text=True)
    proposal = letters[letters.index("/proposals/") + 11:].split("/", 1)[0]
    assert client.post(f"{url}/proposals/{proposal}/letters", data={
        "letter_type": "proposal", "language": "en"}).status_code == 302
    with app.app_context():
        to_b = db.session.scalar(select(Letter.public_id).where(Letter.debt_ref == "b"))
    assert client.post(f"{url}/letters/{to_b}/mark-sent", data={
        "sent_on": now_utc().date().isoformat(), "channel": "post"}).status_code == 302
    screenshot = s.png(3, 2)
    contact = {"on": (today_gb() - timedelta(days=1)).isoformat(), "at": "22:30",
               "channel": "call", "party": "family", "debt_ref": "a",
               "collector": "Acme Collections", "notes": "Called my mother",
               "attachment": (io.BytesIO(screenshot), "../my call: 22h30.png")}
    assert client.post(f"{url}/contacts", data=contact,
                       content_type="multipart/form-data").status_code in (302, 303)
    # another borrower, with a case and an upload of their own
    other = app.test_client()
    AuthActions(other).register("other@example.com")
    other_url = _import(other, case_file([debt("z", "500", creditor="Zeta Secret Bank")],
                                         negotiations=[{"debt_id": "z", "events": [
                                             sent((today_gb() - timedelta(days=3)).isoformat())]}]))
    assert other.post(f"{other_url}/contacts", data={
        **contact, "debt_ref": "z", "collector": "Other Collector",
        "attachment": (io.BytesIO(s.jpeg()), "other.jpg")},
        content_type="multipart/form-data").status_code in (302, 303)
    # a counselor the owner granted the case to
    counselor = app.test_client()
    make_user(app, "counselor@example.com", "counselor")  # two-factor on, as counselors must
    assert AuthActions(counselor).login("counselor@example.com").status_code == 302
    client.post(f"{url}/access", data={"email": "counselor@example.com"})
    return {"case": url, "case_id": url.rsplit("/", 1)[1], "sent_b": to_b,
            "screenshot": screenshot, "other": other, "other_case": other_url,
            "counselor": counselor}


def prepare(client, url: str) -> str:
    """Ask for the archive on ``url`` (jobs run inline in the tests); the download link."""
    response = client.post(url)
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert 'id="archive-download"' in page, page
    href = page[page.index('id="archive"'):].split('href="', 1)[1].split('"', 1)[0]
    return href


def download(client, href: str) -> zipfile.ZipFile:
    response = client.get(href)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    response.close()  # (the file is streamed from EXPORT_DIR)
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_account_archive_holds_every_case_file_letter_upload_and_log(app, client, world):
    href = prepare(client, "/auth/account/archive")
    archive = download(client, href)
    names = archive.namelist()
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "parley-archive/1"
    folder = f"cases/{world['case_id']}/"
    assert [c["id"] for c in manifest["cases"]] == [world["case_id"]]
    # every file but the manifest is listed with its true size and SHA-256
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(names) - {"manifest.json"}
    for path, row in listed.items():
        data = archive.read(path)
        assert (row["size"], row["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert {"README.txt", "account.json", folder + "case.json",
            folder + "audit-log.csv"} <= set(names)
    # the case file is the export, byte for byte
    export = client.get(f"{world['case']}/export").get_data()
    assert archive.read(folder + "case.json") == export
    # letters: the sent one as its frozen HTML (the digest on its page) and a PDF;
    # drafts as HTML only
    [case] = manifest["cases"]
    [sent_row] = [x for x in case["letters"] if x["id"] == world["sent_b"]]
    html = archive.read(sent_row["files"]["html"])
    assert hashlib.sha256(html).hexdigest() == sent_row["sha256_as_sent"]
    assert archive.read(sent_row["files"]["pdf"]).startswith(b"%PDF")
    assert sent_row["files"]["html"].startswith(folder + "letters/sent/")
    drafts = [x for x in case["letters"] if x["status"] == "draft"]
    assert drafts and all(set(x["files"]) == {"html"} and "/letters/drafts/" in
                          x["files"]["html"] for x in drafts)
    assert len(case["letters"]) == len([n for n in names if n.endswith(".html")])
    # the upload: same bytes, same SHA-256 as stored, a name that stays in its folder
    [upload] = case["uploads"]
    data = archive.read(upload["path"])
    assert data == world["screenshot"]
    with app.app_context():
        stored = db.session.scalar(select(Upload.sha256).where(
            Upload.public_id == upload["id"]))
    assert upload["sha256"] == stored == hashlib.sha256(data).hexdigest()
    assert upload["intact"] is True
    assert upload["path"].startswith(folder + "uploads/001-")
    assert ".." not in upload["path"].removeprefix(folder) and ":" not in upload["path"]
    # the audit log, as stored: the import, the views, the grant; no values
    rows = list(csv.DictReader(io.StringIO(archive.read(folder + "audit-log.csv").decode())))
    assert case["audit_rows"] == len(rows) > 3
    actions = {r["action"] for r in rows}
    assert {"create", "view", "change", "grant"} <= actions
    assert {r["subject"] for r in rows if r["action"] == "grant"} == {"counselor@example.com"}
    assert not any("Sam Example" in v or "A-1" in v for r in rows for v in r.values())


def test_the_account_data_has_no_secrets(app, client, world):
    make_token(app, "borrower@example.com", name="my script")
    archive = download(client, prepare(client, "/auth/account/archive"))
    account = json.loads(archive.read("account.json"))
    assert account["email"] == "borrower@example.com"
    assert {"display_name", "created_at", "sessions", "tokens"} <= set(account)
    assert account["sessions"] and account["sessions"][0]["started_at"]
    assert [t["name"] for t in account["tokens"]] == ["my script"]
    text = archive.read("account.json").decode()
    assert "hash" not in text and "password" not in text


def test_the_case_file_from_the_archive_imports_back_to_the_same_case(app, client, world):
    archive = download(client, prepare(client, "/auth/account/archive"))
    text = archive.read(f"cases/{world['case_id']}/case.json").decode("utf-8")
    copy = _import(client, json.loads(text))
    assert json.loads(client.get(f"{copy}/export").get_data()) == json.loads(text)


def test_another_users_data_never_appears(app, client, world):
    archive = download(client, prepare(client, "/auth/account/archive"))
    other_id = world["other_case"].rsplit("/", 1)[1]
    everything = b"".join(archive.read(n) for n in archive.namelist())
    assert other_id.encode() not in everything
    assert b"Zeta Secret Bank" not in everything and b"other@example.com" not in everything
    assert s.jpeg() not in everything
    # and the other borrower's own archive holds only theirs
    theirs = download(world["other"], prepare(world["other"], "/auth/account/archive"))
    assert [c["id"] for c in json.loads(theirs.read("manifest.json"))["cases"]] == [other_id]
    assert world["case_id"].encode() not in b"".join(theirs.read(n) for n in theirs.namelist())


def test_a_counselor_gets_403_and_a_stranger_404_and_neither_gets_the_file(
        app, client, world):
    case_page = f"{world['case']}/archive"
    href = prepare(client, case_page)
    account_href = prepare(client, "/auth/account/archive")
    counselor, other = world["counselor"], world["other"]
    assert counselor.get(case_page).status_code == 403
    assert counselor.post(case_page).status_code == 403
    assert counselor.get(href).status_code == 403
    for who in (other, counselor):
        assert who.get(account_href).status_code == 404
        # the job id in their own account's URL is not theirs either
        assert who.get(f"/auth/account/archive/{href.rsplit('/', 1)[1]}").status_code == 404
    assert other.get(case_page).status_code == 404
    assert other.post(case_page).status_code == 404
    assert other.get(href).status_code == 404
    anonymous = app.test_client()
    for url in (case_page, href, account_href, "/auth/account/archive"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/auth/login" in response.location
    # the counselor's own archive holds none of the client's case, and says so
    assert "Cases that clients shared with you are not in it" in counselor.get(
        "/auth/account/archive").get_data(as_text=True)
    theirs = download(counselor, prepare(counselor, "/auth/account/archive"))
    assert json.loads(theirs.read("manifest.json"))["cases"] == []


def test_one_case_from_its_page(app, client, world):
    page = client.get(world["case"]).get_data(as_text=True)
    assert f'href="{world["case"]}/archive"' in page
    archive = download(client, prepare(client, f"{world['case']}/archive"))
    manifest = json.loads(archive.read("manifest.json"))
    assert [c["id"] for c in manifest["cases"]] == [world["case_id"]]
    # the case's archive may be handed to someone: the account's data is not in it
    assert "account.json" not in archive.namelist() and manifest["account"] is None
    assert f"cases/{world['case_id']}/case.json" in archive.namelist()


def _exports(app, case_id: str) -> int:
    with app.app_context():
        return len(db.session.scalars(select(AuditEvent).join(AuditEvent.case).where(
            AuditEvent.action == "export",
            AuditEvent.case.has(public_id=case_id))).all())


def test_a_download_is_an_audited_export_of_each_case_in_it(app, client, world):
    href = prepare(client, "/auth/account/archive")
    before = _exports(app, world["case_id"])
    download(client, href)
    assert _exports(app, world["case_id"]) == before + 1
    download(client, href)
    assert _exports(app, world["case_id"]) == before + 2
    page = client.get(f"{world['case']}/activity").get_data(as_text=True)
    assert "exported (downloaded a file)" in page


def test_a_double_click_finds_the_same_job_and_a_new_archive_replaces_the_old(
        app, client, world):
    from webapp.services import archive

    with app.app_context():
        user = db.session.scalar(select(AuditEvent.actor_id).limit(1))
        from webapp.models import User

        owner = db.session.get(User, user)
        job = archive.request_archive(owner)
        first_path = archive.path_of(job)
        assert first_path.is_file() and oct(first_path.stat().st_mode)[-3:] == "600"
        job.status = "running"  # a job still being made: the second click finds it
        db.session.commit()
        assert archive.request_archive(owner).id == job.id
        job.status = "done"
        db.session.commit()
        second = archive.request_archive(owner)
        assert second.id != job.id and not first_path.exists()
        assert db.session.scalar(select(Job).where(Job.id == job.id)) is None


def test_erasing_the_case_removes_the_archives_that_hold_it(app, client, world):
    href = prepare(client, "/auth/account/archive")
    case_href = prepare(client, f"{world['case']}/archive")
    other_href = prepare(world["other"], "/auth/account/archive")
    from webapp.services import archive

    with app.app_context():
        paths = [archive.path_of(j) for j in db.session.scalars(
            select(Job).where(Job.kind == "archive"))]
    assert len(paths) == 3 and all(p.is_file() for p in paths)  # (the other user's too)
    response = client.post(f"{world['case']}/delete", data={"word": "erase"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    assert client.get(href).status_code == 404 and client.get(case_href).status_code == 404
    assert [p.is_file() for p in paths].count(True) == 1
    download(world["other"], other_href)  # another account's archive is left alone


def test_erasing_the_account_removes_its_archives(app, client, world):
    href = prepare(client, "/auth/account/archive")
    from webapp.services import archive

    with app.app_context():
        [path] = [archive.path_of(j) for j in db.session.scalars(select(Job).where(
            Job.kind == "archive"))]
    assert path.is_file()
    response = client.post("/auth/account/erase", data={"password": PASSWORD})
    assert response.status_code == 303
    assert not path.exists()
    with app.app_context():
        assert db.session.scalar(select(Job.id).where(Job.kind == "archive")) is None
    assert client.get(href).status_code in (302, 404)
