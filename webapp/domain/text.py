"""The one rule for text that comes in: from a form, a case file or the API.

1. Every control character that means "new line" becomes ``\\n``: CR LF and a
   bare CR (what browsers and old Macs send), vertical tab (what Word puts in
   for Shift+Enter), form feed and NEL. (The Unicode line and paragraph
   separators are not control characters: they are kept as typed.)
2. What is left may not contain a control character other than tab and
   newline (ESC, BEL, NUL, DEL, the C1 controls) nor half of a surrogate pair:
   they are invisible, break terminals and letters, and some cannot be stored.
   Such text is refused with a message naming the field, never silently
   changed, so what the user sees is what is kept.

:func:`normalise` does 1, :func:`text_problem` checks 2. The web forms
(``webapp.forms.BaseForm``) and the case-file parser call both, so anything a
form accepts exports and re-imports unchanged. :func:`clean` repairs text
stored before the rule existed.

Text is deliberately *not* NFC-normalised: browsers already send typed text
composed, and NFC would silently replace CJK compatibility ideographs (豈
U+F900 → 豈 U+8C48), which some people's names are written with, in a letter
that goes to a creditor under their name.
"""

from __future__ import annotations

import re

#: Line breaks other than ``\n``: CR LF first, so it becomes one ``\n``, not two.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85]")
#: Refused: C0 controls except tab and newline, DEL, C1 controls, lone surrogates.
REFUSED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: The same set as a JSON-Schema (ECMA 262) pattern for the OpenAPI document,
#: after normalisation: line breaks are accepted, since they become ``\n``.
SCHEMA_PATTERN = r"^[^\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]*$"
MESSAGE = "must not contain control characters"


def normalise(value: str) -> str:
    """Every line break → ``\\n``. Idempotent."""
    return _BREAKS.sub("\n", value)


def text_problem(value: str) -> str | None:
    """Why normalised ``value`` is refused (``must not contain control characters``), or None."""
    return MESSAGE if REFUSED.search(value) else None


def clean(value: str) -> str:
    """Normalise and drop refused characters: for text stored before this rule."""
    return REFUSED.sub("", normalise(value))
