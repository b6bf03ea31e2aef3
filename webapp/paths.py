"""Where the repo-root folders are, in a source checkout and in an installed wheel.

In a checkout (editable install) ``templates/`` sits beside the package; a
built wheel carries a copy inside the package as ``_templates`` (see setup.py).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def templates_dir() -> Path:
    beside = _PACKAGE.parent / "templates"
    if beside.is_dir():
        return beside
    return _PACKAGE / "_templates"
