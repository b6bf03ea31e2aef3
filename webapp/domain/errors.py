"""Domain errors carry the field path and a human message.

``webapp.errors`` maps them once: to a form error beside the field, to a 422
JSON body (``[{"path", "message"}]``), or to CLI exit code 2.

The message is English and is the contract's (the CLI and the API show it as
it is). An error a person may meet on a page also carries a ``code`` and its
``params`` (``code="transition", params={"event": "payment", "status":
"rejected"}``): the web edge turns those into the page's language. Neither
takes part in comparing errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One problem with one field, e.g. ``debts[1].balance: must be ≥ 0``."""

    path: str
    message: str
    #: what went wrong, for a translation at the edge ("" when there is none)
    code: str = field(default="", compare=False)
    #: the values the translation needs (dates as ISO strings, amounts as text)
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ValidationError(ValueError):
    """Raised with *every* problem found, never just the first."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))
