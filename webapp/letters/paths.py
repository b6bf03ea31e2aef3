"""Where the letter templates live, in a checkout and in a built wheel."""

from __future__ import annotations

from pathlib import Path

import webapp


def templates_dir() -> Path:
    """The repo-root ``templates/`` folder, or the wheel's ``webapp/_templates``.

    An editable install runs from the checkout, where templates sit beside the
    package; a wheel cannot ship files outside its package, so the build copies
    them to ``webapp/_templates``.
    """
    repo = Path(__file__).resolve().parents[2] / "templates"
    if repo.is_dir():
        return repo
    return Path(webapp.__file__).parent / "_templates"
