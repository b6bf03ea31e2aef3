"""Domain errors carry the field path and a human message.

``webapp.errors`` maps them once: to a form error beside the field, to a 422
JSON body (``[{"path", "message"}]``), or to CLI exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one field, e.g. ``debts[1].balance: must be ≥ 0``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ValidationError(ValueError):
    """Raised with *every* problem found, never just the first."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))
