"""Where uploaded files are kept: a small interface, a local folder behind it.

The services speak only :class:`Storage` (put, get, delete, list), so an
S3-compatible store can be added later as another class with the same four
methods, chosen in :func:`init_app`. Keys are made by the caller, random and
never derived from the user's file name.

:class:`LocalStorage` keeps each file in ``UPLOAD_DIR`` (outside the web
root: nothing there is ever served by path) with mode 0600 in a folder of
mode 0700, written to a temporary name and renamed, so a key never names a
half-written file.
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
            if path.exists():
                raise FileExistsError("storage key already used")
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


def check_outside_web_root(app: Flask, folder: str) -> None:
    """Refuse to start with ``UPLOAD_DIR`` inside a folder the app serves files
    or templates from: an upload there could be fetched, or rendered, by path."""
    target = Path(folder).resolve()
    for served in (app.static_folder, app.template_folder):
        if served and (target == Path(served).resolve()
                       or Path(served).resolve() in target.parents):
            raise ValueError(f"UPLOAD_DIR must be outside {served}")


def init_app(app: Flask) -> None:
    """The app's store (``app.extensions["parley_storage"]``): the local folder."""
    folder = app.config["UPLOAD_DIR"]
    check_outside_web_root(app, folder)
    if app.config.get("EXPORT_DIR"):  # the borrowers' archives (services.archive)
        check_outside_web_root(app, app.config["EXPORT_DIR"])
    app.extensions["parley_storage"] = LocalStorage(folder)
