"""Where a ``next`` parameter may send the browser: only to a path on this site.

Browsers are generous: they drop tabs and newlines inside a URL, read ``\\`` as
``/``, and treat ``//host`` and ``/\\host`` as another site, so ``/\\t/evil``
becomes ``//evil``. Rather than clean such input, refuse it: a target is used
only if it has no whitespace, control character or backslash (nor once
percent-decoded), starts with a single ``/``, and parses to a path with no
scheme and no host. Anything else gives the caller's default.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000


def _plain(text: str) -> bool:
    """No whitespace, no control or format character, no backslash."""
    return not any(
        ch == "\\" or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Zs")
        for ch in text
    )


def _local_path(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//"):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc and parts.path.startswith("/")


def is_safe_target(target: str | None) -> bool:
    """True if ``target`` is a relative path on this site, by every reading of it."""
    if not target or len(target) > MAX_LENGTH:
        return False
    decoded = unquote(target)
    return all(_plain(t) and _local_path(t) for t in (target, decoded))


def safe_target(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site (see ``is_safe_target``), else ``default``."""
    return target if target is not None and is_safe_target(target) else default
