"""The upload check: a file's type by its content, its size, a safe name."""

from __future__ import annotations

import hashlib

import pytest

from tests import upload_samples as s
from webapp.domain.filetypes import TYPES, sniff
from webapp.domain.uploads import (
    EVIDENCE_TYPES,
    LETTER_TYPES,
    MAX_NAME,
    Refusal,
    UploadRefused,
    accept,
    content_disposition,
    safe_name,
)

LIMIT = 10 * 1024 * 1024


@pytest.mark.parametrize(("key", "data", "name"), s.ACCEPTED,
                         ids=[f"{k}-{n}" for k, _, n in s.ACCEPTED])
def test_each_kept_type_is_known_by_its_content(key, data, name):
    assert sniff(data) is TYPES[key]
    kept = accept(name, data, EVIDENCE_TYPES, LIMIT)
    assert kept.type.key == key and kept.media_type == TYPES[key].media_type
    assert kept.size == len(data) and kept.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(("why", "data", "name"), s.REFUSED, ids=[w for w, _, _ in s.REFUSED])
def test_anything_else_is_refused_whatever_its_name(why, data, name):
    assert sniff(data) is None
    for allowed in (LETTER_TYPES, EVIDENCE_TYPES):
        with pytest.raises(UploadRefused) as caught:
            accept(name, data, allowed, LIMIT)
        assert caught.value.reason == Refusal.UNKNOWN_TYPE


def test_no_accepted_type_is_served_as_something_a_browser_runs():
    for t in TYPES.values():
        assert t.media_type.split("/")[0] in ("application", "image", "audio")
        assert "html" not in t.media_type and "svg" not in t.media_type
        assert "xml" not in t.media_type and "javascript" not in t.media_type


def test_a_pdf_with_a_wrong_extension_is_accepted_as_the_pdf_it_is():
    kept = accept("letter.jpg", s.pdf(), LETTER_TYPES, LIMIT)
    assert kept.media_type == "application/pdf" and kept.name == "letter.pdf"


def test_a_photo_named_html_is_a_photo_with_a_photo_name():
    kept = accept("page.html", s.png(), LETTER_TYPES, LIMIT)
    assert kept.media_type == "image/png" and kept.name == "page.png"


def test_a_recording_is_not_a_creditors_letter():
    with pytest.raises(UploadRefused) as caught:
        accept("call.mp3", s.mp3(), LETTER_TYPES, LIMIT)
    assert caught.value.reason == Refusal.WRONG_TYPE and caught.value.found is TYPES["mp3"]


@pytest.mark.parametrize("key", LETTER_TYPES)
def test_a_letter_may_be_a_pdf_or_a_photo(key):
    data = next(d for k, d, _ in s.ACCEPTED if k == key)
    assert accept("x", data, LETTER_TYPES, LIMIT).type.key == key


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused) as caught:
        accept("letter.pdf", b"", LETTER_TYPES, LIMIT)
    assert caught.value.reason == Refusal.EMPTY


@pytest.mark.parametrize(("extra", "ok"), [(0, True), (1, False)])
def test_the_size_limit_is_inclusive(extra, ok):
    data = s.png() + b"\x00" * (100 - len(s.png()) + extra)
    if ok:
        assert accept("x.png", data, LETTER_TYPES, 100).size == 100
    else:
        with pytest.raises(UploadRefused) as caught:
            accept("x.png", data, LETTER_TYPES, 100)
        assert caught.value.reason == Refusal.TOO_LARGE


@pytest.mark.parametrize(("raw", "key", "name"), [
    ("letter.pdf", "pdf", "letter.pdf"),
    ("LETTER.PDF", "pdf", "LETTER.PDF"),
    ("IMG_0001.HEIC", "heic", "IMG_0001.HEIC"),
    ("C:\\Users\\me\\Documents\\信.pdf", "pdf", "信.pdf"),
    ("/home/me/../催收截图.png", "png", "催收截图.png"),
    ("evil\u202egnp.exe", "png", "evilgnp.png"),  # a right-to-left override
    ('a"b<c>d|e?.jpg', "jpeg", "a_b_c_d_e_.jpg"),
    ("line\nbreak\ttab.png", "png", "linebreaktab.png"),
    ("   ", "png", "attachment.png"),
    (None, "amr", "attachment.amr"),
    ("...", "pdf", "attachment.pdf"),
    ("recording", "m4a", "recording.m4a"),
    ("screen.mp4", "m4a", "screen.mp4"),
    ("IMG_1.jpeg", "jpeg", "IMG_1.jpeg"),
    ("x.tar.gz", "pdf", "x.tar.pdf"),
])
def test_the_name_is_made_safe_and_fits_the_content(raw, key, name):
    assert safe_name(raw, TYPES[key]) == name


def test_a_long_name_is_cut_keeping_its_extension():
    name = safe_name("长" * 500 + ".png", TYPES["png"])
    assert len(name) == MAX_NAME and name.endswith("长.png")


@pytest.mark.parametrize(("name", "header"), [
    ("letter.pdf", 'attachment; filename="letter.pdf"'),
    ("催收截图.png", "attachment; filename=\"attachment.png\"; "
                 "filename*=UTF-8''%E5%82%AC%E6%94%B6%E6%88%AA%E5%9B%BE.png"),
    ("信 letter.pdf", "attachment; filename=\"letter.pdf\"; "
                     "filename*=UTF-8''%E4%BF%A1%20letter.pdf"),
    ("Café.jpg", "attachment; filename=\"Cafe.jpg\"; filename*=UTF-8''Caf%C3%A9.jpg"),
])
def test_the_download_name_is_rfc_5987_for_chinese(name, header):
    assert content_disposition(name) == header
