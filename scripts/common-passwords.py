"""Make webapp/data/common-passwords.txt from the list Django ships.

Django's django/contrib/auth/common-passwords.txt.gz holds 20,000 common
passwords from breach data (lowercased, most frequent first; created by Royce
Williams, BSD-3-Clause with Django). Parley keeps the 10,000 most frequent of at
least 4 characters (shorter ones cannot matter with a 10-character minimum,
even after stripping digits; see webapp/password_policy.py).

Usage (the wheel comes from PyPI with pip, nothing else is downloaded):
    .venv/bin/pip download --no-deps django==5.2.17 -d /tmp/django
    .venv/bin/python scripts/common-passwords.py /tmp/django/django-5.2.17-py3-none-any.whl
"""

from __future__ import annotations

import gzip
import sys
import zipfile
from pathlib import Path

TOP = 10_000
MEMBER = "django/contrib/auth/common-passwords.txt.gz"
OUT = Path(__file__).resolve().parents[1] / "webapp" / "data" / "common-passwords.txt"


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        words = gzip.decompress(zf.read(MEMBER)).decode().split("\n")
    kept = [w.strip() for w in words[:TOP]]
    kept = [w for w in kept if len(w) >= 4 and w.isprintable()]
    header = [
        f"# The {TOP:,} most common passwords in Django's {MEMBER}",
        f"# ({Path(wheel).name}; BSD-3-Clause; list by Royce Williams from breach data),",
        "# lowercased, most frequent first, those of 4+ characters only.",
        "# Made by scripts/common-passwords.py; entries start after the blank line.",
        "",
    ]
    OUT.write_text("\n".join(header + kept) + "\n")
    print(f"wrote {len(kept)} passwords to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
