"""Where the letter templates live: the one rule is in :mod:`webapp.paths`."""

from ..paths import templates_dir

__all__ = ["templates_dir"]
