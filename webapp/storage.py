"""Where uploaded files are kept: a small interface, a local folder behind it.

The services speak only :class:`Storage` (put, get, delete, list), so an
S3-compatible store can be added later as another class with the same four
methods, chosen in :func:`init_app`. Keys are made by the caller, random and
never derived from the user's file name.

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

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from flask import Flask

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

    def __init__(self, inner: LocalStorage, keyring):
        self.inner = inner
        self.keyring = keyring

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


def init_app(app: Flask) -> None:
    """The app's store (``app.extensions["parley_storage"]``): the local folder,
    its files encrypted (call after ``crypto.init_app``)."""
    folder = app.config["UPLOAD_DIR"]
    check_outside_web_root(app, folder)
    app.extensions["parley_storage"] = EncryptedStorage(
        LocalStorage(folder), app.extensions["parley_keyring"])
