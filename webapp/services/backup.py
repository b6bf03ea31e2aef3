"""Backup and restore: every table and every upload, in one archive.

The archive (``parley-backup/1``) is a gzip'd tar holding:

* ``manifest.json``: the format, when it was made, the schema revision (Alembic)
  and how many rows each table had;
* ``tables/<name>.jsonl``: one JSON object per row, values typed by their column
  (dates and times in ISO 8601, amounts as decimal strings, bytes in base64), so
  a backup made on SQLite restores on PostgreSQL and back;
* ``uploads/<key>``: the uploaded files (``UPLOAD_DIR``), byte for byte.

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

from sqlalchemy import Date, DateTime, LargeBinary, Numeric, func, select, text
from sqlalchemy.sql.schema import Column, Table

from ..crypto import DecryptionError, current_keyring, raw_table
from ..domain.errors import FieldError, ValidationError
from ..extensions import db
from ..models.types import now_utc

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


def upload_dir(config) -> Path | None:
    configured = config.get("UPLOAD_DIR")
    return Path(configured) if configured else None


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def backup(path: Path, uploads: Path | None) -> dict[str, int]:
    """Write the archive to ``path`` (created 0600); returns rows per table."""
    counts: dict[str, int] = {}
    path.touch(mode=0o600, exist_ok=False)
    with tarfile.open(path, "w:gz") as tar, db.engine.connect() as conn:
        for table in _tables():
            lines = []
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                lines.append(json.dumps({k: _encode(v) for k, v in row._mapping.items()},
                                        ensure_ascii=False))
            counts[table.name] = len(lines)
            _add(tar, f"tables/{table.name}.jsonl", ("\n".join(lines) + "\n").encode())
        files = []
        if uploads is not None and uploads.is_dir():
            for file in sorted(p for p in uploads.rglob("*") if p.is_file()):
                name = file.relative_to(uploads).as_posix()
                files.append(name)
                _add(tar, f"uploads/{name}", file.read_bytes())
        manifest = {"format": FORMAT, "created_at": now_utc().isoformat(),
                    "schema_revision": schema_revision(), "tables": counts, "uploads": files,
                    "encrypted": True, "key_check": current_keyring().encrypt(KEY_CHECK)}
        _add(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
    return counts


def _problem(message: str) -> ValidationError:
    return ValidationError([FieldError("backup", message)])


def _safe_member(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def restore(path: Path, uploads: Path | None) -> dict[str, int]:
    """Load the archive into this (empty, migrated) database; returns rows per table.

    ValidationError (field ``backup``) when the file is not a Parley backup, when
    its schema revision differs from this database's, or when the database is not
    empty; nothing is written then."""
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
            for member in tar.getmembers():
                if member.isfile() and member.name.startswith("uploads/"):
                    name = member.name[len("uploads/"):]
                    if not _safe_member(name):
                        continue  # never write outside the upload folder
                    target = uploads / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(tar.extractfile(member).read())
                    target.chmod(0o600)
    return counts
