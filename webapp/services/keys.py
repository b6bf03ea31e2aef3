"""Key rotation: every encrypted value and uploaded file written again under the first key.

The procedure (README, "Encryption keys"): put a new key *first* in
``PARLEY_ENCRYPTION_KEYS``, keeping the old one after it; restart; run
``parley rotate-key``; then remove the old key and restart again. Until the
command has finished, the old key must stay: it is what reads the values not
yet rewritten.

:func:`rotate` first reads every value and file with the current keys and
stops, writing nothing, at the first that none of them opens (``KeyCheckError``
names where). Then it rewrites the database in one transaction (all or
nothing) and the files one by one, each replaced in a single rename; a run cut
off among the files is simply run again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from ..crypto import DecryptionError, Keyring, current_keyring, encrypted_columns, raw_table
from ..extensions import db
from ..models import Upload
from .uploads import storage

#: Rows read and rewritten at a time.
BATCH = 500


class KeyCheckError(RuntimeError):
    """A stored value or file that none of the keys decrypts; the message says where."""


@dataclass(frozen=True)
class Rotated:
    values: int
    files: int


def _columns_by_table() -> dict:
    out: dict = {}
    for table, column in encrypted_columns(db.metadata):
        out.setdefault(table, []).append(column.name)
    return out


def _rows(conn, raw, names):
    query = select(raw.c.id, *[raw.c[n] for n in names]).order_by(raw.c.id)
    yield from conn.execute(query).yield_per(BATCH)


def _rotate_value(keys: Keyring, value):
    if isinstance(value, bytes | memoryview | bytearray):
        return keys.rotate_bytes(bytes(value))
    return keys.rotate(value)


def rotate() -> Rotated:
    """Re-encrypt every encrypted column and upload with the first key."""
    keys = current_keyring()
    store = storage()
    file_keys = list(db.session.scalars(select(Upload.storage_key).order_by(Upload.id)))
    db.session.remove()
    # Files are checked first (every one must open) and rewritten last, once the
    # database is done: a missing key stops the command before anything is written.
    present = []
    for key in file_keys:
        try:
            store.get(key)
        except FileNotFoundError:
            continue  # a row without its file is reported by the download, not here
        except DecryptionError:
            raise KeyCheckError(
                f"the uploaded file {key} cannot be decrypted with any of the keys: put "
                "back the key it was written with (after the new one) and run the command "
                "again; nothing was changed") from None
        present.append(key)
    values = 0
    with db.engine.begin() as conn:
        for table, names in _columns_by_table().items():
            raw = raw_table(table)
            changed = []
            for row in _rows(conn, raw, names):
                new = {}
                for name in names:
                    value = getattr(row, name)
                    if value in (None, "", b""):
                        continue
                    try:
                        new[name] = _rotate_value(keys, value)
                    except DecryptionError:
                        raise KeyCheckError(
                            f"{table.name}.{name} of row {row.id} cannot be decrypted with "
                            "any of the keys: put back the key it was written with (after "
                            "the new one) and run the command again; nothing was "
                            "changed") from None
                if new:
                    values += len(new)
                    changed.append({"_id": row.id, **{n: new.get(n, getattr(row, n))
                                                      for n in names}})
            for start in range(0, len(changed), BATCH):
                conn.execute(raw.update().where(raw.c.id == bindparam("_id"))
                             .values({n: bindparam(n) for n in names}),
                             changed[start:start + BATCH])
    for key in present:
        store.rotate(key)
    return Rotated(values=values, files=len(present))
