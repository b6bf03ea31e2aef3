"""Which passwords to refuse, beyond the length rule (NIST SP 800-63B, 5.1.1.2).

A password is refused when it is, ignoring case:
- one of the 10,000 most common passwords from breach data (``data/common-passwords.txt``),
  also once digits, spaces and punctuation are stripped from its ends
  (``password2024!``) or common letter swaps undone (``p@ssw0rd``);
- one character, or a short pattern, repeated (``aaaaaaaaaa``, ``abcabcabca``, ten spaces);
- a run along the digits, the alphabet or a keyboard row (``1234567890``, ``qwertyuiop``);
- the account's e-mail address or its name part, or the name of this service.

No composition rules (one digit, one capital...): they make passwords harder to
remember, not to guess. ``problem`` says which rule a password breaks, the form
turns that into a sentence.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

LIST_PATH = Path(__file__).resolve().parent / "data" / "common-passwords.txt"

#: words tied to this site that make a guessable password
CONTEXT_WORDS = frozenset({"parley", "parleyapp"})

_RUNS = (
    "01234567890123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
)
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e",
                       "$": "s", "5": "s", "7": "t", "+": "t"})
_EDGE = "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

COMMON = "common"
REPEATED = "repeated"
SEQUENCE = "sequence"
EMAIL = "email"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list: entries start after the header's blank line."""
    text = LIST_PATH.read_text(encoding="utf-8")
    _header, _, body = text.partition("\n\n")
    return frozenset(line for line in body.splitlines() if line)


def _variants(lowered: str) -> set[str]:
    """The password, without spaces, with letter swaps undone, and each of those
    with digits and punctuation stripped from both ends (if 4+ letters are left)."""
    forms = {lowered, lowered.replace(" ", ""), lowered.translate(_LEET)}
    stripped = {f.strip(_EDGE) for f in forms}
    return forms | {s for s in stripped if len(s) >= 4}


def _repeats(text: str) -> bool:
    """One character or a pattern of at most half the length, repeated to the end.

    That is: the text's shortest period is at most half its length. The period
    comes from the KMP failure function, in linear time (a form may post a
    megabyte; a quadratic check would be a way to keep the server busy).
    """
    n = len(text)
    if n < 2:
        return False
    border = [0] * n
    k = 0
    for i in range(1, n):
        while k and text[i] != text[k]:
            k = border[k - 1]
        if text[i] == text[k]:
            k += 1
        border[i] = k
    return n - border[-1] <= n // 2


def _is_run(text: str) -> bool:
    return len(text) > 2 and any(text in run or text in run[::-1] for run in _RUNS)


def problem(password: str, email: str | None = None) -> str | None:
    """The rule ``password`` breaks (``COMMON``, ``REPEATED``, ``SEQUENCE``, ``EMAIL``), or None."""
    lowered = password.casefold()
    if _repeats(lowered):
        return REPEATED
    if _is_run(lowered) or _is_run(lowered.replace(" ", "")):
        return SEQUENCE
    variants = _variants(lowered)
    if email:
        address = email.strip().casefold()
        local = address.partition("@")[0]
        personal = {address, address.replace("@", ""), address.replace("@", " ")}
        if len(local) >= 3:
            personal |= {local, local.replace(".", ""), local.replace(".", " ")}
        if variants & personal:
            return EMAIL
    if variants & (common_passwords() | CONTEXT_WORDS):
        return COMMON
    return None
