"""Where uploaded files are kept: a small interface, two stores behind it.

The services speak only :class:`Storage` (put, get, delete, list); :func:`init_app`
chooses the store from ``UPLOAD_STORE``: empty for a local folder
(:class:`LocalStorage`), ``s3://bucket/prefix`` for an S3-compatible one
(:class:`S3Storage`, which needs boto3: ``pip install 'parley[s3]'``). Keys are
made by the caller, random and never derived from the user's file name.
Both stores raise the same errors: ``FileExistsError`` for a key already used,
``FileNotFoundError`` for a missing one, another ``OSError`` when the store
cannot be reached.

:class:`LocalStorage` keeps each file in ``UPLOAD_DIR`` (outside the web
root: nothing there is ever served by path) with mode 0600 in a folder of
mode 0700, written to a temporary name and renamed, so a key never names a
half-written file.

:class:`EncryptedStorage` sits in front of it: what reaches the disk is the
Fernet token of the file (``webapp.crypto``), never its clear bytes; the
upload's ``sha256`` and ``size`` stay those of the clear content, what the user
sent. ``parley rotate-key`` writes each file again under the newest key
(:meth:`EncryptedStorage.rotate`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from flask import Flask

from . import config as settings

log = logging.getLogger(__name__)

#: What a storage key looks like (``secrets.token_hex(20)``): nothing else is
#: ever turned into a path.
KEY = re.compile(r"^[0-9a-f]{40}$")


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under a new ``key`` (never overwrites)."""

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; ``FileNotFoundError`` when there are none."""

    def delete(self, key: str) -> None:
        """Remove ``key``; a key already gone is fine."""

    def list(self) -> Iterator[tuple[str, datetime]]:
        """Every stored key (written whole or not) and when it was written
        (UTC), for the orphan sweep."""


def _checked(key: str) -> str:
    if not KEY.match(key):
        raise ValueError("not a storage key")
    return key


class LocalStorage:
    """Files in one local folder, readable by the server's user only."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, data: bytes) -> None:
        self._write(key, data, overwrite=False)

    def overwrite(self, key: str, data: bytes) -> None:
        """Replace the bytes under an existing ``key`` in one step (a rename)."""
        self._write(key, data, overwrite=True)

    def _write(self, key: str, data: bytes, overwrite: bool) -> None:
        path = self._path(key)
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        part = self.root / f".{key}.part"
        # O_EXCL and 0600 from the start: the file is never readable by others,
        # not even for the moment between creating and chmod-ing it.
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if path.exists() != overwrite:
                raise (FileNotFoundError("no such storage key") if overwrite
                       else FileExistsError("storage key already used"))
            os.replace(part, path)
        except BaseException:
            part.unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
        (self.root / f".{key}.part").unlink(missing_ok=True)  # a write cut off

    def list(self) -> Iterator[tuple[str, datetime]]:
        if not self.root.is_dir():
            return
        for entry in os.scandir(self.root):
            # a finished file, or one whose write was cut off (``.<key>.part``)
            key = entry.name.removeprefix(".").removesuffix(".part")
            if KEY.match(key) and entry.is_file():
                yield key, datetime.fromtimestamp(entry.stat().st_mtime, UTC)


class EncryptedStorage:
    """A store whose files are kept encrypted with the app's keyring."""

    def __init__(self, inner: LocalStorage | S3Storage, keyring):
        self.inner = inner
        self.keyring = keyring

    def __getattr__(self, name: str):
        """The rest (``reachable``...) is the store's own."""
        return getattr(self.inner, name)

    def put(self, key: str, data: bytes) -> None:
        self.inner.put(key, self.keyring.encrypt_bytes(data))

    def get(self, key: str) -> bytes:
        return self.keyring.decrypt_bytes(self.inner.get(key))

    def delete(self, key: str) -> None:
        self.inner.delete(key)

    def list(self) -> Iterator[tuple[str, datetime]]:
        return self.inner.list()

    def rotate(self, key: str) -> None:
        """Write the file under ``key`` again, encrypted with the first key."""
        self.inner.overwrite(key, self.keyring.rotate_bytes(self.inner.get(key)))


def check_outside_web_root(app: Flask, folder: str) -> None:
    """Refuse to start with ``UPLOAD_DIR`` inside a folder the app serves files
    or templates from: an upload there could be fetched, or rendered, by path."""
    target = Path(folder).resolve()
    for served in (app.static_folder, app.template_folder):
        if served and (target == Path(served).resolve()
                       or Path(served).resolve() in target.parents):
            raise ValueError(f"UPLOAD_DIR must be outside {served}")


class StorageError(OSError):
    """The S3 store answered with an error, or not at all. An ``OSError`` like a
    local disk's, so the services handle both stores alike."""


def _s3_error(exc: Exception, operation: str) -> OSError:
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", "")) or type(exc).__name__
    if code == "NotImplemented" and operation == "put":
        return StorageError("the S3 server does not take If-None-Match on a put: set "
                            "S3_CONDITIONAL_PUT=0")
    return StorageError(f"S3 {operation} failed ({code})")


def _status(exc: Exception) -> int:
    response = getattr(exc, "response", None) or {}
    return int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _missing_key(exc: Exception) -> bool:
    """A 404 for the object, not for the bucket (which is a store gone wrong)."""
    code = (getattr(exc, "response", None) or {}).get("Error", {}).get("Code", "")
    return _status(exc) == 404 and code != "NoSuchBucket"


class S3Storage:
    """Objects under ``prefix/`` in one bucket of an S3-compatible store.

    A put never overwrites: it sends ``If-None-Match: *`` (AWS since 2024, MinIO,
    recent Ceph), so the server refuses a key already used, atomically. With
    ``conditional_put=False`` (a server without it) it asks first (HEAD) and
    then puts: not atomic, which the random 160-bit keys make harmless. Each put
    carries its Content-MD5, so a body damaged on the way is refused. Objects
    under the prefix whose names are not storage keys are never listed, so the
    orphan sweep leaves them alone.
    """

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str = "",
                 region: str = "", addressing_style: str = "auto",
                 conditional_put: bool = True, page_size: int = 1000):
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.conditional_put = conditional_put
        self.page_size = page_size
        self._options = {"endpoint_url": endpoint_url or None, "region_name": region or None,
                         "addressing_style": addressing_style}
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _client(self, kind: str = "normal"):
        """boto3's client, made on first use (in the worker, after a fork);
        ``quick`` has short timeouts and no retries, for the readiness check.
        Credentials come from boto's usual places (AWS_* variables, a profile,
        an instance role)."""
        with self._lock:
            if kind not in self._clients:
                import boto3
                from botocore.config import Config

                quick = kind == "quick"
                self._clients[kind] = boto3.session.Session().client(
                    "s3", endpoint_url=self._options["endpoint_url"],
                    region_name=self._options["region_name"],
                    config=Config(
                        s3={"addressing_style": self._options["addressing_style"]},
                        connect_timeout=1 if quick else 5, read_timeout=2 if quick else 30,
                        retries={"mode": "standard", "total_max_attempts": 1 if quick else 3},
                        # Content-MD5 instead of the newer CRC trailers, which some
                        # S3-compatible servers refuse.
                        request_checksum_calculation="when_required",
                        response_checksum_validation="when_required"))
            return self._clients[kind]

    def _name(self, key: str) -> str:
        return self.prefix + _checked(key)

    def put(self, key: str, data: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        name = self._name(key)
        client = self._client()
        md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        extra = {"IfNoneMatch": "*"} if self.conditional_put else {}
        try:
            if not self.conditional_put and self._exists(client, name):
                raise FileExistsError("storage key already used")
            client.put_object(Bucket=self.bucket, Key=name, Body=data, ContentMD5=md5,
                              **extra)
        except ClientError as exc:
            # 412: the key exists; 409: another put of the same key is under way.
            if _status(exc) in (409, 412):
                if self._own_retried_write(client, name, exc, md5):
                    return
                raise FileExistsError("storage key already used") from None
            raise _s3_error(exc, "put") from None
        except BotoCoreError as exc:
            raise _s3_error(exc, "put") from None

    def overwrite(self, key: str, data: bytes) -> None:
        """Replace the bytes under an existing ``key`` (``parley rotate-key``): one
        PUT, which S3 makes visible whole or not at all."""
        from botocore.exceptions import BotoCoreError, ClientError

        name = self._name(key)
        client = self._client()
        md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        try:
            if not self._exists(client, name):
                raise FileNotFoundError("no such storage key")
            client.put_object(Bucket=self.bucket, Key=name, Body=data, ContentMD5=md5)
        except (BotoCoreError, ClientError) as exc:
            raise _s3_error(exc, "overwrite") from None

    def _own_retried_write(self, client, name: str, exc: Exception, md5: str) -> bool:
        """boto retried the put (a timeout, a lost answer) and the retry found
        the key taken: by this very put's first attempt if the stored object is
        these bytes (its ETag, for a plain put, is their MD5). Then the put did
        what it was asked; anything else is a key already used."""
        if not (getattr(exc, "response", None) or {}).get(
                "ResponseMetadata", {}).get("RetryAttempts"):
            return False
        try:
            etag = client.head_object(Bucket=self.bucket, Key=name)["ETag"].strip('"')
        except Exception:  # gone again, or the store failing: not proven ours
            return False
        return etag == base64.b64decode(md5).hex()

    def _exists(self, client, name: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            client.head_object(Bucket=self.bucket, Key=name)
        except ClientError as exc:
            if _status(exc) == 404:
                return False
            raise
        return True

    def get(self, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        name = self._name(key)
        try:
            return self._client().get_object(Bucket=self.bucket, Key=name)["Body"].read()
        except ClientError as exc:
            if _missing_key(exc):
                raise FileNotFoundError("no such storage key") from None
            raise _s3_error(exc, "get") from None
        except BotoCoreError as exc:
            raise _s3_error(exc, "get") from None

    def delete(self, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        name = self._name(key)
        try:
            self._client().delete_object(Bucket=self.bucket, Key=name)
        except ClientError as exc:
            if not _missing_key(exc):  # S3 answers 204 for a missing key; some, 404
                raise _s3_error(exc, "delete") from None
        except BotoCoreError as exc:
            raise _s3_error(exc, "delete") from None

    def list(self) -> Iterator[tuple[str, datetime]]:
        from botocore.exceptions import BotoCoreError, ClientError

        pages = self._client().get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix,
            PaginationConfig={"PageSize": self.page_size})
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    key = item["Key"][len(self.prefix):]
                    if KEY.match(key):
                        yield key, item["LastModified"].astimezone(UTC)
        except (BotoCoreError, ClientError) as exc:
            raise _s3_error(exc, "list") from None

    def reachable(self) -> bool:
        """The bucket answers (HEAD), within a few seconds; for ``/readyz``."""
        try:
            self._client("quick").head_bucket(Bucket=self.bucket)
            return True
        except Exception as exc:  # refused, timed out, no such bucket, no permission...
            log.warning("readiness: upload store check failed (%s)",
                        _s3_error(exc, "head bucket"))
            return False


def init_app(app: Flask) -> None:
    """The app's store (``app.extensions["parley_storage"]``), chosen by
    ``UPLOAD_STORE``, its files encrypted (call after ``crypto.init_app``): a
    bad setting, or S3 without boto3, stops the start."""
    keyring = app.extensions["parley_keyring"]
    if app.config.get("EXPORT_DIR"):  # the borrowers' archives (services.archive)
        check_outside_web_root(app, app.config["EXPORT_DIR"])
    chosen = settings.upload_store(app.config.get("UPLOAD_STORE", ""))
    if chosen is None:
        folder = app.config["UPLOAD_DIR"]
        check_outside_web_root(app, folder)
        if settings.is_production():
            log.warning("uploads are kept in the local folder UPLOAD_DIR: with several web "
                        "nodes it must be one folder they all mount, or set "
                        "UPLOAD_STORE=s3://bucket/prefix")
        app.extensions["parley_storage"] = EncryptedStorage(LocalStorage(folder), keyring)
        return
    settings.check_s3_settings(app.config)
    try:
        import boto3  # noqa: F401
    except ImportError:
        raise settings.ConfigError("UPLOAD_STORE=s3://... needs boto3: pip install "
                                   "'parley[s3]'") from None
    bucket, prefix = chosen
    app.extensions["parley_storage"] = EncryptedStorage(S3Storage(
        bucket, prefix, endpoint_url=app.config.get("S3_ENDPOINT_URL", ""),
        region=app.config.get("S3_REGION", ""),
        addressing_style=app.config.get("S3_ADDRESSING_STYLE", "auto"),
        conditional_put=app.config.get("S3_CONDITIONAL_PUT", True)), keyring)
