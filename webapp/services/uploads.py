"""Uploaded evidence: keep a checked file with the row it belongs to, serve it
to who may see the case, remove a case's files.

One rule keeps the database and the files in step: **file first, then row**.
:func:`saving` writes the file, lets the caller build its rows, commits, and
removes the file again if anything fails before the commit, so a row never
names a missing file. Removing goes the other way: the rows are deleted and
committed first, then the files (:func:`delete_for_case`); a file left behind
by a crash has no row and is removed by :func:`sweep_orphans`, never served.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from ..domain.uploads import Accepted
from ..extensions import db
from ..models import Case, Upload
from ..models.types import now_utc
from ..storage import Storage

log = logging.getLogger(__name__)

#: Files younger than this are never swept: their row may be about to commit.
SWEEP_GRACE = timedelta(hours=1)


def storage() -> Storage:
    """The app's file store (``webapp.storage``)."""
    return current_app.extensions["parley_storage"]


def new_key() -> str:
    """A random storage key (160 bits): never the user's file name."""
    return secrets.token_hex(20)


@contextmanager
def saving(case: Case, accepted: Accepted | None) -> Iterator[Upload | None]:
    """Store ``accepted`` (if any) and yield its row for the caller to attach
    (``upload.event = ...`` or ``upload.contact = ...``) with its own rows;
    then commit. Anything raised before the commit rolls the session back,
    removes the file and propagates: nothing is half-saved."""
    if accepted is None:
        yield None
        db.session.commit()
        return
    key = new_key()
    store = storage()
    store.put(key, accepted.data)
    try:
        upload = Upload(filename=accepted.name, media_type=accepted.media_type,
                        size=accepted.size, sha256=accepted.sha256, storage_key=key)
        yield upload
        # Into the session only now that it has its owner: a flush in between
        # (a lazy load in the caller's block) must not insert it half-made.
        upload.case = case
        db.session.add(upload)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        store.delete(key)
        raise


def get_upload(case: Case, public_id: str) -> Upload:
    """The case's upload, or 404 (another case's upload is not found either)."""
    upload = db.session.scalar(select(Upload).where(
        Upload.case_id == case.id, Upload.public_id == public_id))
    if upload is None:
        raise NotFound()
    return upload


def read(upload: Upload) -> bytes:
    """The upload's bytes; 404 if the file is gone (it is never half there)."""
    try:
        return storage().get(upload.storage_key)
    except FileNotFoundError:
        log.error("upload %s has a row but no file", upload.id)
        raise NotFound() from None


def by_event(case: Case) -> dict[int, list[Upload]]:
    """The case's uploads per negotiation event id, oldest first."""
    out: dict[int, list[Upload]] = {}
    for upload in case.uploads:
        if upload.event_id is not None:
            out.setdefault(upload.event_id, []).append(upload)
    return out


def by_contact(case: Case) -> dict[int, list[Upload]]:
    """The case's uploads per collection contact id, oldest first (the last
    one is the contact's current version's)."""
    out: dict[int, list[Upload]] = {}
    for upload in case.uploads:
        if upload.contact_id is not None:
            out.setdefault(upload.contact_id, []).append(upload)
    return out


def keys_for(case: Case) -> list[str]:
    """The storage keys of the case's files (read before the case is deleted)."""
    return list(db.session.scalars(select(Upload.storage_key).where(Upload.case_id == case.id)))


def remove_files(keys: list[str]) -> None:
    """Remove files whose rows are already gone. A failure is logged and left
    to :func:`sweep_orphans`: the rows are what the app serves from."""
    store = storage()
    for key in keys:
        try:
            store.delete(key)
        except OSError as exc:
            log.error("could not remove an upload's file (%s); the sweep will retry",
                      type(exc).__name__)


def delete_for_case(case: Case) -> int:
    """Delete every upload of ``case``: rows first (committed), then files.
    The case itself stays; erasure calls this before or with deleting it.
    Returns how many uploads there were."""
    keys = keys_for(case)
    for upload in list(case.uploads):
        db.session.delete(upload)
    db.session.commit()
    remove_files(keys)
    return len(keys)


def sweep_orphans(grace: timedelta = SWEEP_GRACE) -> int:
    """Remove stored files no row names (a crash between file and row, a file
    whose removal failed), sparing files younger than ``grace``. Returns how
    many were removed."""
    known = set(db.session.scalars(select(Upload.storage_key)))
    cutoff = now_utc() - grace
    orphans = [key for key, written in storage().list()
               if key not in known and written < cutoff]
    remove_files(orphans)
    return len(orphans)
