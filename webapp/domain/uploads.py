"""Checking an uploaded file before anything is stored: type, size, name.

Pure: the bytes and the name as the browser sent them go in, an
:class:`Accepted` file (its type found by content, a safe name, size and
SHA-256) or an :class:`UploadRefused` with the reason comes out. The edge
turns the reason into a message naming the form field, in the page's language.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote

from .filetypes import TYPES, FileType, sniff

#: What a creditor's letter may be: a PDF, or a photo of the letter.
LETTER_TYPES = ("pdf", "png", "jpeg", "webp", "heic", "heif")
#: What evidence of a collection contact may be: a screenshot or photo, a
#: recording of the call, or a PDF (a saved message thread).
EVIDENCE_TYPES = (*LETTER_TYPES, "mp3", "m4a", "3gp", "aac", "ogg", "wav", "amr", "amr-wb")

#: The longest file name kept (characters, extension included).
MAX_NAME = 120
#: Characters that are unsafe in a file name on some system or in a header.
_UNSAFE = re.compile(r'[<>:"/\\|?*;\x00-\x1f\x7f]')
#: What counts as an extension to replace (``.pdf``, ``.jpeg``, ``.3gp``).
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


class Refusal(Enum):
    #: a file was chosen, but it has no bytes
    EMPTY = "empty"
    #: larger than the configured limit
    TOO_LARGE = "too_large"
    #: a type Parley keeps, but not for this field (a recording as a letter)
    WRONG_TYPE = "wrong_type"
    #: not a type Parley keeps at all (HTML, SVG, a script, a ZIP...)
    UNKNOWN_TYPE = "unknown_type"


class UploadRefused(ValueError):
    """The file cannot be kept; ``reason`` says why, ``found`` what it was
    (when it is a type Parley knows)."""

    def __init__(self, reason: Refusal, found: FileType | None = None):
        self.reason = reason
        self.found = found
        super().__init__(reason.value)


@dataclass(frozen=True)
class Accepted:
    """A file that passed every check, ready to be stored."""

    #: a safe name whose extension fits the content (shown and offered on download)
    name: str
    type: FileType
    data: bytes
    #: hex SHA-256 of ``data``: evidence that the file was not changed since
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def media_type(self) -> str:
        return self.type.media_type


def accept(name: str | None, data: bytes, allowed: Collection[str], max_bytes: int) -> Accepted:
    """Check ``data`` (all of it, or at least ``max_bytes + 1`` bytes of it)
    for this field; :class:`UploadRefused` says why not."""
    if not data:
        raise UploadRefused(Refusal.EMPTY)
    if len(data) > max_bytes:
        raise UploadRefused(Refusal.TOO_LARGE)
    found = sniff(data)
    if found is None:
        raise UploadRefused(Refusal.UNKNOWN_TYPE)
    if found.key not in allowed:
        raise UploadRefused(Refusal.WRONG_TYPE, found)
    return Accepted(safe_name(name, found), found, data, hashlib.sha256(data).hexdigest())


def labels(allowed: Collection[str]) -> list[str]:
    """The format names of ``allowed``, each once (``PDF, PNG, JPEG...``)."""
    out: list[str] = []
    for key in allowed:
        label = TYPES[key].label
        if label not in out:
            out.append(label)
    return out


def safe_name(raw: str | None, found: FileType) -> str:
    """The name to show and to offer on download: the browser's name without
    any folder, control or direction-changing character, at most
    :data:`MAX_NAME` characters, with an extension that fits the content
    (``letter.jpg`` that is a PDF becomes ``letter.pdf``)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]  # some browsers send the whole path
    # Categories C*: controls, and format characters such as U+202E, which
    # would show "evil\u202egnp.exe" as "evilexe.png".
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(_UNSAFE.sub("_", name).split()).strip(" .")
    match = _EXTENSION.search(name)
    stem, extension = (name[:match.start()], match.group()) if match else (name, "")
    if extension.lower() not in found.extensions:  # (IMG_0001.HEIC stays as it is)
        extension = found.extensions[0]
    stem = stem.rstrip(" .")[:MAX_NAME - len(extension)] or "attachment"
    return stem + extension


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the real
    one as ``filename*`` (RFC 5987/6266), so Chinese names survive."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = " ".join(_UNSAFE.sub("_", ascii_name).split())
    stem, dot, extension = ascii_name.rpartition(".")
    if not dot:
        stem, extension = ascii_name, ""
    if not stem.strip(" ._-"):
        ascii_name = "attachment" + (dot + extension if dot else "")
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += "; filename*=UTF-8''" + quote(name, safe="")
    return header
