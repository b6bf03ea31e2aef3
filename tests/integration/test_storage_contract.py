"""One contract for every upload store (webapp/storage.py): the local folder, and
S3 over real HTTP (moto's server on loopback) with If-None-Match and with
head-then-put. Then what only S3 has (a prefix, an unreachable server) and the
settings that choose a store."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.s3_support import REGION, s3, s3_server  # noqa: F401  (fixtures)
from webapp import config
from webapp.storage import LocalStorage, S3Storage, StorageError

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "parley/uploads"


def key(n: int) -> str:
    return f"{n:040x}"


def s3_store(box, **more) -> S3Storage:
    return S3Storage(box.bucket, PREFIX, endpoint_url=box.url, region=REGION,
                     addressing_style="path", **more)


@pytest.fixture(params=["local", "s3", "s3-head-then-put"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "uploads")
    box = request.getfixturevalue("s3")
    # pages of two keys, so that listing five takes three requests
    return s3_store(box, page_size=2, conditional_put=request.param == "s3")


# --- the contract ------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", bytes(range(256)) * 4, b"%PDF" + os.urandom(3_000_000)],
                         ids=["empty", "every-byte", "3MB"])
def test_what_is_put_is_got_back_byte_for_byte(store, data):
    store.put(key(1), data)
    assert store.get(key(1)) == data


def test_a_key_is_never_overwritten(store):
    heads = []
    if isinstance(store, S3Storage):
        store._client().meta.events.register("before-call.s3.HeadObject",
                                             lambda **_: heads.append(1))
    store.put(key(1), b"the creditor's letter")
    with pytest.raises(FileExistsError):
        store.put(key(1), b"something else")
    assert store.get(key(1)) == b"the creditor's letter"
    # S3 refuses by If-None-Match alone (atomic); head-then-put asks first
    expected = 2 if isinstance(store, S3Storage) and not store.conditional_put else 0
    assert len(heads) == expected


def test_overwrite_replaces_an_existing_key_only_and_rotation_rewrites_the_file(store):
    """``parley rotate-key`` rewrites each file in place (``overwrite``), on either store."""
    from webapp.crypto import Keyring
    from webapp.storage import EncryptedStorage

    key = "cd" * 20
    with pytest.raises(FileNotFoundError):
        store.overwrite(key, b"nothing there yet")
    store.put(key, b"first")
    store.overwrite(key, b"second")
    assert store.get(key) == b"second"
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    EncryptedStorage(store, Keyring([old])).put("ef" * 20, b"a creditor's letter")
    before = store.get("ef" * 20)
    EncryptedStorage(store, Keyring([new, old])).rotate("ef" * 20)
    assert store.get("ef" * 20) != before
    assert EncryptedStorage(store, Keyring([new])).get("ef" * 20) == b"a creditor's letter"


def test_a_missing_key_is_file_not_found(store):
    with pytest.raises(FileNotFoundError):
        store.get(key(404))


def test_delete_is_idempotent(store):
    store.delete(key(7))  # never there
    store.put(key(7), b"x")
    store.delete(key(7))
    store.delete(key(7))  # already gone
    with pytest.raises(FileNotFoundError):
        store.get(key(7))
    assert list(store.list()) == []


def test_list_pages_through_every_key_with_its_time_in_utc(store):
    before = datetime.now(UTC) - timedelta(seconds=2)  # S3 keeps whole seconds
    for n in range(5):
        store.put(key(n), b"x" * n)
    after = datetime.now(UTC) + timedelta(seconds=2)
    requests = []
    if isinstance(store, S3Storage):
        store._client().meta.events.register("before-call.s3.ListObjectsV2",
                                             lambda **_: requests.append(1))
    listed = dict(store.list())
    assert sorted(listed) == [key(n) for n in range(5)]
    assert len(requests) == (3 if isinstance(store, S3Storage) else 0)  # pages of two
    for written in listed.values():
        assert written.tzinfo is not None and written.utcoffset() == timedelta(0)
        assert before <= written <= after


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 40, "x", "", f"{key(1)}/x"])
def test_a_name_that_is_not_a_storage_key_is_refused(store, bad):
    for call in (lambda: store.put(bad, b"x"), lambda: store.get(bad),
                 lambda: store.delete(bad)):
        with pytest.raises(ValueError, match="not a storage key"):
            call()


# --- S3 only -------------------------------------------------------------------------------


def test_s3_keeps_to_its_prefix_and_lists_storage_keys_only(s3):  # noqa: F811
    store, other = s3_store(s3), S3Storage(s3.bucket, "other", endpoint_url=s3.url,
                                           region=REGION, addressing_style="path")
    store.put(key(1), b"mine")
    other.put(key(2), b"theirs")
    for name in (f"{PREFIX}/notes.txt", f"{PREFIX}/sub/{key(3)}", key(4)):
        s3.client.put_object(Bucket=s3.bucket, Key=name, Body=b"not Parley's")
    assert s3.names(PREFIX + "/") == sorted([f"{PREFIX}/{key(1)}", f"{PREFIX}/notes.txt",
                                            f"{PREFIX}/sub/{key(3)}"])
    assert [k for k, _ in store.list()] == [key(1)]  # what the orphan sweep may remove
    assert [k for k, _ in other.list()] == [key(2)]
    with pytest.raises(FileNotFoundError):
        store.get(key(2))


def test_head_then_put_still_refuses_a_key_already_used(s3):  # noqa: F811
    s3.client.put_object(Bucket=s3.bucket, Key=f"{PREFIX}/{key(1)}", Body=b"first")
    with pytest.raises(FileExistsError):
        s3_store(s3, conditional_put=False).put(key(1), b"second")
    assert s3.client.get_object(Bucket=s3.bucket, Key=f"{PREFIX}/{key(1)}")["Body"].read() \
        == b"first"


def test_a_put_retried_after_its_first_attempt_landed_is_not_refused(s3):  # noqa: F811
    """The answer to a put is lost and boto sends it again: the retry meets
    If-None-Match on the object the first attempt wrote. Those same bytes: done;
    other bytes under the key: refused as ever."""
    store = s3_store(s3)
    seen = []

    def retry_once(attempts, **_):  # botocore passes the attempt number so far
        seen.append(attempts)
        return 0 if attempts == 1 else None  # retry the first attempt, at once

    store._client().meta.events.register("needs-retry.s3.PutObject", retry_once)
    store.put(key(1), b"the letter")
    assert seen == [1, 2] and store.get(key(1)) == b"the letter"
    with pytest.raises(FileExistsError):
        store.put(key(1), b"another letter")
    assert store.get(key(1)) == b"the letter"


def test_an_unreachable_store_is_an_os_error_and_not_ready(s3_server):  # noqa: F811
    down = S3Storage("parley", endpoint_url="http://127.0.0.1:1", region=REGION,
                     addressing_style="path")
    started = time.monotonic()
    assert down.reachable() is False
    assert time.monotonic() - started < 5  # /readyz must answer quickly
    for call in (lambda: down.get(key(1)), lambda: down.put(key(1), b"x"),
                 lambda: down.delete(key(1)), lambda: list(down.list())):
        with pytest.raises(StorageError) as failed:
            call()
        assert not isinstance(failed.value, FileNotFoundError | FileExistsError)
        assert isinstance(failed.value, OSError) and "127.0.0.1" not in str(failed.value)


def test_a_missing_bucket_is_not_ready(s3):  # noqa: F811
    assert s3_store(s3).reachable() is True
    missing = S3Storage("no-such-bucket", endpoint_url=s3.url, region=REGION,
                        addressing_style="path")
    assert missing.reachable() is False
    for call in (lambda: missing.put(key(1), b"x"), lambda: missing.get(key(1)),
                 lambda: missing.delete(key(1)), lambda: list(missing.list())):
        with pytest.raises(StorageError, match="NoSuchBucket"):  # not FileNotFoundError
            call()


# --- choosing a store -------------------------------------------------------------------


@pytest.mark.parametrize(("url", "chosen"), [
    ("", None), ("  ", None), ("s3://parley", ("parley", "")),
    ("s3://parley/uploads/", ("parley", "uploads")), ("s3://parley/a/b", ("parley", "a/b")),
])
def test_upload_store_names_a_bucket_and_a_prefix(url, chosen):
    assert config.upload_store(url) == chosen


@pytest.mark.parametrize(("url", "says"), [
    ("s3://", "names no bucket"), ("s3:///uploads", "names no bucket"),
    ("ftp://parley", "must be empty"), ("/srv/uploads", "must be empty"),
])
def test_a_store_it_cannot_use_stops_the_start_naming_the_setting(
        monkeypatch, tmp_path, make_app, url, says):
    monkeypatch.setenv("UPLOAD_STORE", url)
    with pytest.raises(config.ConfigError, match=says) as refused:
        config.load(str(tmp_path))
    assert "UPLOAD_STORE" in str(refused.value)
    monkeypatch.delenv("UPLOAD_STORE")
    with pytest.raises(config.ConfigError, match=says):  # the same from an app's settings
        make_app(UPLOAD_STORE=url)


def test_a_bad_addressing_style_stops_the_start(monkeypatch, tmp_path, make_app):
    monkeypatch.setenv("S3_ADDRESSING_STYLE", "sideways")
    with pytest.raises(config.ConfigError, match="S3_ADDRESSING_STYLE must be one of auto"):
        config.load(str(tmp_path))
    monkeypatch.delenv("S3_ADDRESSING_STYLE")
    with pytest.raises(config.ConfigError, match="S3_ADDRESSING_STYLE"):
        make_app(UPLOAD_STORE="s3://parley", S3_ADDRESSING_STYLE="sideways")


def test_an_endpoint_that_is_not_a_url_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.setenv("S3_ENDPOINT_URL", "minio.internal:9000")
    with pytest.raises(config.ConfigError, match="S3_ENDPOINT_URL must be an http"):
        config.load(str(tmp_path))


def test_s3_without_boto3_stops_the_start_saying_what_to_install(monkeypatch, make_app):
    monkeypatch.setitem(sys.modules, "boto3", None)  # as if not installed
    with pytest.raises(config.ConfigError, match=r"needs boto3: pip install 'parley\[s3\]'"):
        make_app(UPLOAD_STORE="s3://parley")


def test_the_default_is_the_local_folder(monkeypatch, tmp_path, make_app):
    for name in ("UPLOAD_STORE", "S3_ENDPOINT_URL", "S3_ADDRESSING_STYLE"):
        monkeypatch.delenv(name, raising=False)
    loaded = config.load(str(tmp_path))
    assert loaded["UPLOAD_STORE"] == "" and loaded["S3_ADDRESSING_STYLE"] == "auto"
    assert loaded["S3_CONDITIONAL_PUT"] is True
    assert isinstance(make_app().extensions["parley_storage"].inner, LocalStorage)


def test_production_on_a_local_folder_warns_that_it_must_be_shared(
        monkeypatch, make_app, caplog):
    for name, value in {"PARLEY_ENV": "production", "SECRET_KEY": "k" * 32,
                        "DATABASE_URL": "postgresql://db.internal/parley",
                        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
                        "PARLEY_ENCRYPTION_KEYS": Fernet.generate_key().decode()}.items():
        monkeypatch.setenv(name, value)
    make_app()
    assert any("UPLOAD_DIR" in r.getMessage() and "UPLOAD_STORE=s3://" in r.getMessage()
               for r in caplog.records if r.levelname == "WARNING")


def test_parley_serve_with_no_bucket_stops_with_the_reason(tmp_path):
    env = {**os.environ, "UPLOAD_STORE": "s3://", "SECRET_KEY": "x",
           "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"}
    env.pop("PARLEY_ENV", None)
    done = subprocess.run([sys.executable, "-c", "from webapp.cli import main; main()",
                           "serve", "--port", "5998"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "UPLOAD_STORE=s3://... names no bucket" in done.stderr
    assert "Traceback" not in done.stderr
