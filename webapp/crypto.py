"""Personal fields and uploaded files encrypted at rest, with keys that can be rotated.

Every personal value (addresses, phone numbers, e-mail addresses inside case
data, account and ID numbers, notes, letters, uploads) is stored as a Fernet
token (AES-128-CBC with HMAC-SHA256, from ``cryptography``): a copy of the
database file or of the upload folder reveals nothing without the key.

The keys come from ``PARLEY_ENCRYPTION_KEYS`` (comma-separated Fernet keys:
the first encrypts, every one decrypts), else from ``instance/encryption_keys``
(one key a line, generated once with mode 0600, as the secret key is). Keeping
old keys for decryption is what makes rotation possible: put a new key first,
run ``parley rotate-key`` (every value and file is written again under it),
then drop the old key.

Models use the column types :class:`EncryptedText` and :class:`EncryptedJSON`;
the file store wraps :class:`Keyring` itself (``webapp.storage``). The type
reads the keyring of the running app (``current_app``), so a value is never
encrypted with one app's key and read with another's.

Fernet is randomised: the same value encrypts differently every time, so no
query may compare, search or sort these columns; nothing does.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import LargeBinary, Text
from sqlalchemy.types import TypeDecorator

ENV = "PARLEY_ENCRYPTION_KEYS"
KEY_FILE = "encryption_keys"


class KeyProblem(ValueError):
    """A key setting cannot be used; the message names the setting."""


class DecryptionError(RuntimeError):
    """A stored value cannot be read with any of the configured keys."""

    def __init__(self) -> None:
        super().__init__(
            "an encrypted value could not be decrypted with any key in "
            f"{ENV} (or instance/{KEY_FILE}): was it written with a key since removed? "
            "Put that key back (after the current one) and run `parley rotate-key`")


def parse_keys(raw: str, source: str = ENV) -> list[str]:
    """Comma- or line-separated Fernet keys, checked; the first encrypts."""
    keys = [k.strip() for k in raw.replace("\n", ",").split(",") if k.strip()]
    if not keys:
        raise KeyProblem(f"{source}: no key given")
    for number, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise KeyProblem(f"{source}: key {number} is not a Fernet key (32 url-safe "
                            "base64-encoded bytes; make one with `python -c 'from "
                            "cryptography.fernet import Fernet; "
                            "print(Fernet.generate_key().decode())'`)") from None
    if len(set(keys)) != len(keys):
        raise KeyProblem(f"{source}: the same key is given twice")
    return keys


def key_file(instance_path: str | os.PathLike) -> Path:
    return Path(instance_path) / KEY_FILE


def write_key_file(path: Path, keys: Iterable[str]) -> None:
    """Replace the key file (0600) atomically: a crash leaves the old or the new one."""
    part = path.with_name(f".{path.name}.part")
    part.unlink(missing_ok=True)
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(keys) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, path)


def load_keys(instance_path: str | os.PathLike, environ=os.environ) -> list[str]:
    """The keys from the environment, else the instance folder's (made once, 0600)."""
    raw = environ.get(ENV, "").strip()
    if raw:
        return parse_keys(raw)
    path = key_file(instance_path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a private name, then linked into place: two workers
        # starting together end up with one key (link fails if the file exists),
        # and neither ever reads a half-written file.
        part = path.with_name(f".{KEY_FILE}.{os.getpid()}.part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(Fernet.generate_key().decode() + "\n")
        try:
            os.link(part, path)
        except FileExistsError:
            pass
        finally:
            part.unlink()
    return parse_keys(path.read_text(), f"instance/{KEY_FILE}")


class Keyring:
    """Encrypts with the first key, decrypts with any (``MultiFernet``)."""

    def __init__(self, keys: list[str]):
        self.set_keys(keys)

    def set_keys(self, keys: list[str]) -> None:
        """Use ``keys`` from now on (``parley rotate-key --new-key``)."""
        if not keys:
            raise KeyProblem(f"{ENV}: no key given")
        self.keys = list(keys)
        self._fernet = MultiFernet([Fernet(k) for k in keys])

    # Bytes (files, the jobs' results) are kept as the token's binary form, not
    # its base64 text: a third smaller on disk.
    def encrypt_bytes(self, data: bytes) -> bytes:
        return base64.urlsafe_b64decode(self._fernet.encrypt(data))

    def decrypt_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(base64.urlsafe_b64encode(token))
        except InvalidToken:
            raise DecryptionError() from None

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii", "replace")).decode()
        except InvalidToken:
            raise DecryptionError() from None

    def rotate(self, token: str) -> str:
        """The same value under the first key (a new token)."""
        try:
            return self._fernet.rotate(token.encode("ascii", "replace")).decode("ascii")
        except InvalidToken:
            raise DecryptionError() from None

    def rotate_bytes(self, token: bytes) -> bytes:
        try:
            return base64.urlsafe_b64decode(self._fernet.rotate(base64.urlsafe_b64encode(token)))
        except InvalidToken:
            raise DecryptionError() from None


def current_keyring() -> Keyring:
    """The running app's keyring (``app.extensions["parley_keyring"]``)."""
    from flask import current_app

    try:
        return current_app.extensions["parley_keyring"]
    except RuntimeError:
        raise RuntimeError("encrypted columns are read and written inside an app context "
                           "(with app.app_context():)") from None


def init_app(app) -> None:
    app.extensions["parley_keyring"] = Keyring(app.config["ENCRYPTION_KEYS"])


# --- column types ---------------------------------------------------------------------


class EncryptedText(TypeDecorator):
    """A string stored as a Fernet token (text). ``None`` stays NULL and ``""``
    stays empty (an empty field says nothing about anyone, and the columns'
    ``server_default=""`` keeps meaning what it says); anything else is encrypted."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None or value == "":
            return value
        return current_keyring().encrypt(str(value))

    def process_result_value(self, value, dialect):
        if value is None or value == "":
            return value
        return current_keyring().decrypt(value)


class EncryptedJSON(TypeDecorator):
    """A JSON value stored as the Fernet token of its text. ``None`` stays NULL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return current_keyring().encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value, dialect):
        if value is None or value == "":
            return None
        return json.loads(current_keyring().decrypt(value))


class EncryptedBytes(TypeDecorator):
    """Bytes stored as their Fernet token. ``None`` stays NULL."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return current_keyring().encrypt_bytes(bytes(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return current_keyring().decrypt_bytes(bytes(value))


ENCRYPTED_TYPES = (EncryptedText, EncryptedJSON, EncryptedBytes)


def encrypted_columns(metadata) -> list[tuple]:
    """Every ``(table, column)`` of ``metadata`` whose type is encrypted."""
    return [(table, column) for table in metadata.sorted_tables for column in table.columns
            if isinstance(column.type, ENCRYPTED_TYPES)]


def stored_type(column_type):
    """The type a column's values have in the database: the token's type for an
    encrypted column (its text or bytes, as stored), the column's own otherwise."""
    return column_type.impl_instance if isinstance(column_type, ENCRYPTED_TYPES) else column_type


def raw_table(table):
    """A copy of ``table`` whose encrypted columns read and write the stored
    tokens as they are: what backups carry and key rotation rewrites."""
    from sqlalchemy import Column, MetaData, Table

    return Table(table.name, MetaData(),
                 *[Column(c.name, stored_type(c.type), primary_key=c.primary_key)
                   for c in table.columns])
