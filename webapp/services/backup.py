"""Backup and restore: every table and every upload, in one archive.

The archive (``parley-backup/1``) is a gzip'd tar holding:

* ``manifest.json``: the format, when it was made, the schema revision (Alembic)
  and how many rows each table had;
* ``tables/<name>.jsonl``: one JSON object per row, values typed by their column
  (dates and times in ISO 8601, amounts as decimal strings, bytes in base64), so
  a backup made on SQLite restores on PostgreSQL and back;
* ``uploads/<key>``: the uploaded files, byte for byte, read through the
  configured store (``webapp.storage``: the folder ``UPLOAD_DIR`` or an S3
  bucket), so a backup of one store restores into the other.

Personal values travel as they are stored: encrypted (``webapp.crypto``), the
uploads too. A backup is useless without the key(s) it was made under, so keep
``PARLEY_ENCRYPTION_KEYS`` (or ``instance/encryption_keys``) safe and apart from
the archives: a stolen archive alone gives nothing away, a lost key loses the
data. The manifest carries a token made with the first key (``key_check``):
a restore under keys that cannot read it is refused before anything is written.

Rows are read and written through SQLAlchemy Core with the models' column types,
so a value comes back exactly as the application stored it. A restore needs an
empty database at the same schema revision (``parley upgrade-db`` first); it runs
in one transaction: it completes, or nothing is written.

The archive holds everything Parley keeps about its users: store it as you
would the database (encrypted, access-controlled), and delete old ones.
"""

from __future__ import annotations

import base64
import io
import json
import tarfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Date, DateTime, LargeBinary, Numeric, func, select, text
from sqlalchemy.sql.schema import Column, Table

from ..crypto import DecryptionError, current_keyring, raw_table
from ..domain.errors import FieldError, ValidationError
from ..extensions import db
from ..models.types import now_utc
from ..storage import KEY, Storage

FORMAT = "parley-backup/1"
#: What ``key_check`` in the manifest decrypts to.
KEY_CHECK = "parley-backup key check"


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode()}
    return value


def _decode(column: Column, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    impl = getattr(kind, "impl", kind)  # TypeDecorator: its underlying type
    if isinstance(impl, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(impl, Date):
        return date.fromisoformat(value)
    if isinstance(impl, Numeric) and getattr(impl, "asdecimal", True):
        return Decimal(value)
    if isinstance(impl, LargeBinary):
        return base64.b64decode(value["$base64"])
    return value


def _tables() -> list[Table]:
    """The tables, their encrypted columns read and written as stored (tokens)."""
    return [raw_table(t) for t in db.metadata.sorted_tables]


def schema_revision() -> str | None:
    with db.engine.connect() as conn:
        try:
            return conn.scalar(text("SELECT version_num FROM alembic_version"))
        except Exception:  # no alembic_version table: a database never migrated
            return None


def upload_store(app: Flask) -> Storage:
    """The store the app keeps its uploads in (``webapp.storage``), as stored:
    the files stay encrypted in a backup, like the rows (the key check in the
    manifest says which keys read them)."""
    store = app.extensions["parley_storage"]
    return getattr(store, "inner", store)


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _keys(uploads: Storage | None) -> list[str]:
    return sorted(key for key, _ in uploads.list()) if uploads is not None else []


def backup(path: Path, uploads: Storage | None) -> dict[str, int]:
    """Write the archive to ``path`` (created 0600); returns rows per table. If
    anything fails (the upload store cannot be read...), no archive is left."""
    counts: dict[str, int] = {}
    path.touch(mode=0o600, exist_ok=False)
    try:
        with tarfile.open(path, "w:gz") as tar, db.engine.connect() as conn:
            for table in _tables():
                lines = []
                for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                    lines.append(json.dumps({k: _encode(v) for k, v in row._mapping.items()},
                                            ensure_ascii=False))
                counts[table.name] = len(lines)
                _add(tar, f"tables/{table.name}.jsonl", ("\n".join(lines) + "\n").encode())
            files = []
            for key in _keys(uploads):
                try:
                    data = uploads.get(key)
                except FileNotFoundError:  # a write cut off, or removed since the listing
                    continue
                files.append(key)
                _add(tar, f"uploads/{key}", data)
            manifest = {"format": FORMAT, "created_at": now_utc().isoformat(),
                        "schema_revision": schema_revision(), "tables": counts,
                        "uploads": files, "encrypted": True,
                        "key_check": current_keyring().encrypt(KEY_CHECK)}
            _add(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return counts


def _problem(message: str) -> ValidationError:
    return ValidationError([FieldError("backup", message)])


def _restore_uploads(tar: tarfile.TarFile, uploads: Storage) -> None:
    """Put the archive's files into the store. Only storage keys are taken: no
    member name ever becomes a path. A key the store already holds with the same
    bytes (a restore run again) is fine; with other bytes, it is refused."""
    for member in tar.getmembers():
        key = member.name.removeprefix("uploads/")
        if not (member.isfile() and member.name.startswith("uploads/") and KEY.match(key)):
            continue
        data = tar.extractfile(member).read()
        try:
            uploads.put(key, data)
        except FileExistsError:
            if uploads.get(key) != data:
                raise _problem(f"the upload store already holds another file under "
                               f"{key}: restore into an empty store") from None


def restore(path: Path, uploads: Storage | None) -> dict[str, int]:
    """Load the archive into this (empty, migrated) database and its files into
    ``uploads``; returns rows per table.

    ValidationError (field ``backup``) when the file is not a Parley backup, when
    its schema revision differs from this database's, or when the database is not
    empty; nothing is written then. The files are put before the rows commit (as
    the app does: file first, then row), so a failure leaves no row without its
    file; files put before it have no row and the orphan sweep removes them."""
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise _problem(f"not a Parley backup ({type(exc).__name__})") from None
    with tar:
        try:
            manifest = json.load(tar.extractfile("manifest.json"))
        except (KeyError, ValueError, AttributeError):
            raise _problem("not a Parley backup (no manifest.json)") from None
        if manifest.get("format") != FORMAT:
            raise _problem(f"unknown format {manifest.get('format')!r}, expected {FORMAT}")
        revision = schema_revision()
        if manifest.get("schema_revision") != revision:
            raise _problem(f"the backup is of schema {manifest.get('schema_revision')}, this "
                           f"database is at {revision}: restore into a database migrated to "
                           "the same revision")
        try:
            readable = current_keyring().decrypt(manifest.get("key_check") or "") == KEY_CHECK
        except DecryptionError:
            readable = False
        if not readable:
            raise _problem("the backup was encrypted with a key this installation does not "
                           "have: set PARLEY_ENCRYPTION_KEYS to include the key in use when "
                           "it was made")
        tables = _tables()
        with db.engine.begin() as conn:
            busy = [t.name for t in tables if conn.scalar(select(func.count()).select_from(t))]
            if busy:
                raise _problem("the database is not empty (" + ", ".join(busy[:5]) + "): "
                               "restore into a new, migrated database")
            counts = {}
            for table in tables:
                member = tar.extractfile(f"tables/{table.name}.jsonl")
                rows = [json.loads(line) for line in member.read().decode().splitlines()
                        if line.strip()] if member is not None else []
                columns = {c.name: c for c in table.columns}
                decoded = [{k: _decode(columns[k], v) for k, v in row.items() if k in columns}
                           for row in rows]
                for start in range(0, len(decoded), 500):
                    conn.execute(table.insert(), decoded[start:start + 500])
                counts[table.name] = len(decoded)
                if conn.dialect.name == "postgresql" and "id" in columns and decoded:
                    # explicit ids leave the sequence behind: the next insert would collide
                    conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                                      f"(SELECT max(id) FROM {table.name}))"),
                                 {"t": table.name})
            if counts != manifest.get("tables"):
                raise _problem("the archive's tables do not match its manifest")
            if uploads is not None:
                _restore_uploads(tar, uploads)
    return counts
