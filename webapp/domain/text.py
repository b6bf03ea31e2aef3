"""The one rule for text that comes in: from a form, a case file or the API.

1. Every line break becomes ``\\n``: CR LF and a bare CR (what browsers and
   old Macs send), and the other characters that mean "new line" (vertical
   tab, which Word puts in for Shift+Enter; form feed; NEL; the Unicode line
   and paragraph separators).
2. Unicode NFC, so that ``é`` typed as one character or as ``e`` plus an
   accent is the same text (and counts the same towards a length limit).
3. What is left may not contain a control character other than tab and
   newline (ESC, BEL, NUL, DEL, the C1 controls) nor half of a surrogate pair:
   they are invisible, break terminals and letters, and some cannot be stored.
   Such text is refused with a message naming the field, never silently
   changed, so what the user sees is what is kept.

:func:`normalise` does 1 and 2, :func:`text_problem` checks 3. The web forms
(``webapp.forms.BaseForm``) and the case-file parser call both, so anything a
form accepts exports and re-imports unchanged. :func:`clean` repairs text
stored before the rule existed.
"""

from __future__ import annotations

import re
import unicodedata

#: Line breaks other than ``\n``: CR LF first, so it becomes one ``\n``, not two.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
#: Refused: C0 controls except tab and newline, DEL, C1 controls, lone surrogates.
REFUSED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: The same set as a JSON-Schema (ECMA 262) pattern for the OpenAPI document,
#: after normalisation: line breaks are accepted, since they become ``\n``.
SCHEMA_PATTERN = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$"
MESSAGE = "must not contain control characters"


def normalise(value: str) -> str:
    """Line breaks → ``\\n``, then NFC. Idempotent."""
    value = _BREAKS.sub("\n", value)
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def text_problem(value: str) -> str | None:
    """Why normalised ``value`` is refused (``must not contain control characters``), or None."""
    return MESSAGE if REFUSED.search(value) else None


def clean(value: str) -> str:
    """Normalise and drop refused characters: for text stored before this rule."""
    return REFUSED.sub("", normalise(value))
