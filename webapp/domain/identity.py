"""The borrower's identity number: checked when it is entered, masked wherever it is shown.

A Chinese creditor matches a letter to an account by the borrower's
居民身份证号码 (18 characters, the last a check digit, GB 11643-1999), so a
Chinese case takes only a number whose check digit is right: one wrong digit
and the bank cannot find the account. Elsewhere the number is whatever
document the borrower uses (letters, digits, spaces and hyphens).

The number is printed in full only in the letter the borrower sends; pages,
previews and exports for display show :func:`mask` of it.
"""

from __future__ import annotations

import re

#: GB 11643-1999: weights of the first 17 digits, and the check character per remainder.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_CN = re.compile(r"\d{17}[\dX]")
_OTHER = re.compile(r"[A-Z0-9][A-Z0-9 -]{2,38}[A-Z0-9]")
#: Characters kept visible at each end of a masked number.
KEEP = 4


def normalise(value: str) -> str:
    """Spaces around and inside a Chinese number dropped; a final ``x`` as ``X``."""
    return re.sub(r"\s+", "", value).upper() if value.strip() else ""


def problem(value: str, jurisdiction: str) -> str | None:
    """Why ``value`` is not a usable identity number (None: it is, or it is empty)."""
    if not value:
        return None
    if jurisdiction == "CN":
        number = normalise(value)
        if not _CN.fullmatch(number):
            return "must be the 18 characters of a Chinese resident ID number (17 digits and a " \
                   "final digit or X)"
        total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
        if _CHECK[total % 11] != number[17]:
            return "is not a valid Chinese resident ID number (its check digit is wrong)"
        return None
    if not _OTHER.fullmatch(value.strip().upper()):
        return "must be 4 to 40 letters, digits, spaces or hyphens"
    return None


def mask(value: str) -> str:
    """``110105199001011234`` -> ``1101**********1234``: enough to recognise, not to use."""
    number = value.strip()
    if len(number) <= 2 * KEEP:
        return "*" * len(number)
    return number[:KEEP] + "*" * (len(number) - 2 * KEEP) + number[-KEEP:]


#: What stands for the hidden part of a number shown by its last characters.
HIDDEN = "****"


def last_four(value: str) -> str:
    """The last four characters of an account or ID number: ``1098`` of
    ``5412987623451098``; "" when the number is that short (four would be all of it)."""
    number = value.strip()
    return number[-KEEP:] if len(number) > KEEP else ""
