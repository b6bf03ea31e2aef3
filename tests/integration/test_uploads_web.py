"""Uploads on the web: the creditor's letter with a reply, a screenshot or
recording with a contact; refused types; downloads as attachments only; who
may download; the SHA-256 in the evidence exports."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests import upload_samples as s
from tests.factories import today_gb
from tests.unit.record_builders import case_file, debt, sent
from webapp.extensions import db
from webapp.models import CollectionContact, NegotiationEvent, Upload


@pytest.fixture
def case_url(client, auth):
    """A GB case: creditor a was written to ten days ago."""
    auth.register()
    data = case_file([debt("a", "1000"), debt("b", "3000")], negotiations=[
        {"debt_id": "a", "events": [sent((today_gb() - timedelta(days=10)).isoformat())]}])
    response = client.post("/cases/import", data={"text": json.dumps(data)})
    assert response.status_code == 302
    return response.location


def reply(client, case_url, data: bytes | None = None, name: str = "letter.pdf", **fields):
    form = {"type": "rejected", "on": today_gb().isoformat(), "channel": "post",
            "notes": "They said no", **fields}
    if data is not None:
        form["attachment"] = (io.BytesIO(data), name)
    return client.post(f"{case_url}/creditors/a", data=form, content_type="multipart/form-data")


def contact(client, case_url, data: bytes | None = None, name: str = "screenshot.png",
            **fields):
    day = (today_gb() - timedelta(days=1)).isoformat()
    form = {"on": day, "at": "22:30", "channel": "call", "party": "family",
            "debt_ref": "a", "collector": "Acme Collections", "notes": "Called my mother",
            **fields}
    if data is not None:
        form["attachment"] = (io.BytesIO(data), name)
    return client.post(f"{case_url}/contacts", data=form, content_type="multipart/form-data")


def links(page: str) -> list[str]:
    return re.findall(r'href="(/cases/[^"]+/uploads/[^"]+)"', page)


def stored(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count(m.id)))
                     for m in (NegotiationEvent, CollectionContact, Upload))


# --- a reply with the creditor's letter ------------------------------------------------


def test_a_reply_keeps_the_creditors_letter_and_lists_it(app, client, case_url):
    assert reply(client, case_url, s.pdf(), "Refusal 3 Jan.pdf").status_code == 303
    page = client.get(f"{case_url}/creditors/a").get_data(as_text=True)
    history = page[page.index('id="history"'):]
    assert "Refusal 3 Jan.pdf" in history and "(PDF, " in history
    [url] = links(history)
    response = client.get(url)
    assert response.status_code == 200 and response.data == s.pdf()
    assert response.mimetype == "application/pdf"


def test_the_reply_form_takes_pdfs_and_photos_from_a_phone(client, case_url):
    page = client.get(f"{case_url}/creditors/a").get_data(as_text=True)
    form = page[page.index('id="record"'):page.index('id="history"')]
    assert 'enctype="multipart/form-data"' in form
    assert re.search(r'<input accept="application/pdf,image/\*[^"]*" '
                     r'aria-describedby="attachment-hint" id="attachment"', form)
    assert "The creditor's letter (PDF or photo)</label>" in form and "at most 10 MB" in form
    assert "capture" not in form  # the camera roll, not only the camera


def test_a_pdf_with_a_wrong_extension_is_kept_as_a_pdf(client, case_url):
    assert reply(client, case_url, s.pdf(), "scan.jpg").status_code == 303
    page = client.get(f"{case_url}/creditors/a").get_data(as_text=True)
    assert "scan.pdf" in page and "scan.jpg" not in page
    response = client.get(links(page)[0])
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="scan.pdf"'


@pytest.mark.parametrize(("why", "data", "name"), [
    ("html named .pdf", s.HTML, "letter.pdf"),
    ("svg", s.SVG, "letter.svg"),
    ("a recording", s.mp3(), "call.mp3"),
    ("empty", b"", "letter.pdf"),
], ids=lambda v: v if isinstance(v, str) and " " in v or v in ("svg", "empty") else "")
def test_a_refused_letter_saves_nothing_and_keeps_the_other_fields(app, client, case_url,
                                                                     why, data, name):
    before = counts(app)
    response = reply(client, case_url, data, name, notes="Their letter, ref 123")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<small class="error" id="attachment-error">(.*?)</small>', page)
    assert error and error.group(1).startswith("The creditor&#39;s letter (PDF or photo): ")
    assert "Their letter, ref 123" in page  # what was typed is kept
    assert counts(app) == before and stored(app) == []


def test_the_refusal_is_in_chinese_on_a_chinese_page(client, case_url):
    client.post("/language", data={"lang": "zh_CN"})
    page = reply(client, case_url, s.HTML, "letter.pdf").get_data(as_text=True)
    error = re.search(r'id="attachment-error">(.*?)</small>', page).group(1)
    assert "债权人的来信" in error and "不论文件名" in error


def test_a_recording_is_refused_as_a_letter_saying_what_it_is(client, case_url):
    page = reply(client, case_url, s.mp3(), "call.mp3").get_data(as_text=True)
    assert ("The creditor&#39;s letter (PDF or photo): MP3 files cannot be kept here. "
            "Choose a PDF or a photo (PNG, JPEG, WebP or HEIC).") in page


def test_a_bad_date_saves_no_file_and_asks_for_it_again(app, client, case_url):
    response = reply(client, case_url, s.pdf(), "letter.pdf", on="2099-01-01")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="on-error"' in page and "You chose letter.pdf: choose it again." in page
    assert stored(app) == [] and counts(app)[2] == 0


def test_a_reply_without_a_file_still_works(app, client, case_url):
    assert reply(client, case_url).status_code == 303
    assert counts(app) == (2, 0, 0)


# --- a contact with a screenshot or recording ------------------------------------------


@pytest.mark.parametrize(("data", "name", "kind"), [
    (s.png(), "Screenshot_20270103.png", "photo"),
    (s.amr(), "通话录音 13800138000.amr", "recording"),
    (s.m4a(), "Voice Memo.m4a", "recording"),
    (s.heic(), "IMG_0001.HEIC", "photo"),
])
def test_a_contact_keeps_its_screenshot_or_recording(client, case_url, data, name, kind):
    assert contact(client, case_url, data, name).status_code == 303
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    log = page[page.index('id="contact-log"'):]
    assert name in log and f"({kind}, " in log
    [url] = links(log)
    assert client.get(url).data == data


def test_the_contact_form_offers_photos_and_recordings(client, case_url):
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/*,audio/*,application/pdf,' in page
    assert "Screenshot or recording" in page


@pytest.mark.parametrize(("data", "name"), [(s.SVG, "screenshot.png"), (s.HTML, "x.html"),
                                            (b"PK\x03\x04" + b"\x00" * 30, "chat.zip")])
def test_a_refused_contact_file_logs_nothing(app, client, case_url, data, name):
    response = contact(client, case_url, data, name, notes="Threatened to visit")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="attachment-error">Screenshot or recording: this file is not a '
                     r"photo or screenshot", page)
    assert "Threatened to visit" in page
    assert counts(app)[1:] == (0, 0) and stored(app) == []


def test_a_correction_keeps_the_first_file_with_the_first_version(client, case_url):
    contact(client, case_url, s.png(), "first.png")
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    edit = re.search(r'href="([^"]+/edit)"', page).group(1)
    assert "first.png" in client.get(edit).get_data(as_text=True)  # shown on the edit page
    day = (today_gb() - timedelta(days=1)).isoformat()
    response = client.post(edit, data={
        "on": day, "at": "21:30", "channel": "call", "party": "family", "debt_ref": "a",
        "attachment": (io.BytesIO(s.jpeg()), "second.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 303
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    history = page[page.index('<details class="contact-history">'):page.index("</details>")]
    current = page[page.index('id="contact-log"'):page.index('<details class="contact-history">')]
    assert "first.png" in history and "second.jpg" not in history
    assert "second.jpg" in current and "first.png" not in current
    assert [client.get(u).data for u in links(history) + links(current)] == [s.png(), s.jpeg()]
    uploads = json.loads(client.get(f"{case_url}/contacts/evidence.json").data)["uploads"]
    assert [(u["name"], u["current"]) for u in uploads] == [("first.png", False),
                                                            ("second.jpg", True)]


def test_a_correction_without_a_file_keeps_the_file_on_both_versions(client, case_url):
    contact(client, case_url, s.png(), "only.png")
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    edit = re.search(r'href="([^"]+/edit)"', page).group(1)
    day = (today_gb() - timedelta(days=1)).isoformat()
    client.post(edit, data={"on": day, "at": "21:30", "channel": "call", "party": "family",
                            "debt_ref": "a"})
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    history = page[page.index('<details class="contact-history">'):page.index("</details>")]
    assert "only.png" in history and page.count(">only.png</a>") == 2


def test_a_new_file_alone_is_a_correction(client, case_url):
    contact(client, case_url, s.png(), "first.png")
    page = client.get(f"{case_url}/contacts").get_data(as_text=True)
    edit = re.search(r'href="([^"]+/edit)"', page).group(1)
    day = (today_gb() - timedelta(days=1)).isoformat()
    client.post(edit, data={"on": day, "at": "22:30", "channel": "call", "party": "family",
                            "debt_ref": "a", "collector": "Acme Collections",
                            "notes": "Called my mother",
                            "attachment": (io.BytesIO(s.mp3()), "call.mp3")},
                content_type="multipart/form-data")
    assert "1 earlier version" in client.get(f"{case_url}/contacts").get_data(as_text=True)


# --- serving -------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "name", "media_type"), [
    (s.pdf(), "letter.pdf", "application/pdf"), (s.png(), "photo.png", "image/png"),
    (s.png(), "page.html", "image/png"), (s.ogg(), "voice.opus", "audio/ogg"),
])
def test_a_download_is_an_attachment_that_runs_nothing(client, case_url, data, name,
                                                       media_type):
    contact(client, case_url, data, name)
    [url] = links(client.get(f"{case_url}/contacts").get_data(as_text=True))
    response = client.get(url)
    h = response.headers
    assert response.status_code == 200 and h["Content-Type"] == media_type
    assert h["Content-Disposition"].startswith("attachment; filename=")
    assert ".html" not in h["Content-Disposition"]
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert h["Cache-Control"] == "private, no-store"


def test_a_chinese_name_downloads_with_its_name(client, case_url):
    contact(client, case_url, s.png(), "催收短信截图.png")
    [url] = links(client.get(f"{case_url}/contacts").get_data(as_text=True))
    disposition = client.get(url).headers["Content-Disposition"]
    assert disposition == ("attachment; filename=\"attachment.png\"; filename*=UTF-8''"
                           "%E5%82%AC%E6%94%B6%E7%9F%AD%E4%BF%A1%E6%88%AA%E5%9B%BE.png")


def test_another_user_gets_404_and_a_stranger_logs_in(client, case_url, auth):
    contact(client, case_url, s.png())
    [url] = links(client.get(f"{case_url}/contacts").get_data(as_text=True))
    auth.logout()
    assert client.get(url).status_code == 302  # to the login page
    auth.register(email="other@example.com")
    assert client.get(url).status_code == 404
    # ...nor through a case of their own
    data = case_file([debt("x", "100")])
    own = client.post("/cases/import", data={"text": json.dumps(data)}).location
    assert client.get(own + url[url.index("/uploads/"):]).status_code == 404


def test_an_unknown_upload_is_404(client, case_url):
    assert client.get(f"{case_url}/uploads/nope").status_code == 404


# --- the evidence exports ------------------------------------------------------------


def test_the_three_exports_carry_each_files_sha256(client, case_url):
    contact(client, case_url, s.png(), "night call.png")
    contact(client, case_url, at="10:00")
    contact(client, case_url, s.amr(), "录音.amr", at="11:00")
    png_sha, amr_sha = (hashlib.sha256(d).hexdigest() for d in (s.png(), s.amr()))
    data = json.loads(client.get(f"{case_url}/contacts/evidence.json").data)
    assert data["uploads"] == [
        {"contact": 0, "name": "night call.png", "media_type": "image/png",
         "size": len(s.png()), "sha256": png_sha, "current": True},
        {"contact": 2, "name": "录音.amr", "media_type": "audio/amr", "size": len(s.amr()),
         "sha256": amr_sha, "current": True}]
    raw = client.get(f"{case_url}/contacts/evidence.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert [(r["upload_names"], r["upload_media_types"], r["upload_sha256"]) for r in rows] == [
        ("night call.png", "image/png", png_sha), ("", "", ""),
        ("录音.amr", "audio/amr", amr_sha)]
    assert rows[0]["upload_sizes"] == str(len(s.png()))
    pdf = client.get(f"{case_url}/contacts/evidence.pdf").data
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
                    .split())
    assert "Screenshots and recordings" in text
    assert png_sha in text and amr_sha in text and "night call.png" in text
    assert f"{len(s.png())} byte" in text
