"""Spending guidelines for a case, the borrower's reasons, and the SFS export.

The guideline tables are the shipped ones (``domain/guidelines/shipped.py``)
unless the agency loads its own from ``SPENDING_GUIDELINES_FILE`` at start; a
file that cannot be read or parsed stops the start with every problem named
(``tables[0].guidelines[1].figure.child: ...``). A reason is saved per expense
category; an empty one deletes it. Reasons do not change the plan, so saving one
leaves the case's revision (and saved proposals) alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..domain.errors import FieldError, ValidationError
from ..domain.guidelines import GuidelineTable, SpendingCheck, check_spending, load_guidelines
from ..domain.guidelines import table_for as _table_for
from ..domain.model import ExpenseCategory, Household
from ..domain.text import normalise, text_problem
from ..extensions import db
from ..models import Case, SpendingReason
from ..models.spending import REASON_MAX
from ..models.types import now_utc
from .cases import to_domain

EXTENSION = "parley.spending_guidelines"


def init_app(app) -> None:
    """Load the agency's guideline tables, if a file is configured."""
    path = app.config.get("SPENDING_GUIDELINES_FILE") or ""
    tables: dict[str, GuidelineTable] = {}
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"SPENDING_GUIDELINES_FILE {path}: cannot read it ({exc})") from None
        try:
            tables = load_guidelines(text)
        except ValidationError as exc:
            raise ValueError(f"SPENDING_GUIDELINES_FILE {path}: {exc}") from None
    app.extensions[EXTENSION] = tables


def table_for(jurisdiction: str) -> GuidelineTable | None:
    """The guideline table in force for ``jurisdiction`` (loaded, else shipped)."""
    return _table_for(jurisdiction, current_app.extensions.get(EXTENSION))


@dataclass(frozen=True)
class SpendingAdvice:
    """What the budget page says about spending: the table, each check, the reasons."""

    table: GuidelineTable | None
    checks: list[SpendingCheck]
    household: Household
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def flagged(self) -> list[SpendingCheck]:
        return [c for c in self.checks if c.flagged]

    @property
    def compared(self) -> list[SpendingCheck]:
        """Checks with a figure for this household (flagged or not)."""
        return [c for c in self.checks if c.guideline is not None]

    @property
    def unchecked(self) -> list[SpendingCheck]:
        return [c for c in self.checks if c.guideline is None]


def advice(case: Case, domain=None) -> SpendingAdvice:
    """The case's spending beside the guidelines of its jurisdiction (``domain``:
    ``to_domain(case)``, when the caller has it)."""
    domain = domain or to_domain(case)
    table = table_for(case.jurisdiction)
    return SpendingAdvice(table, check_spending(domain, table), domain.household,
                          domain.reasons)


def reason_problem(text: str) -> str | None:
    """Why ``text`` cannot be kept as a reason (None: it can)."""
    if len(text) > REASON_MAX:
        return f"at most {REASON_MAX} characters"
    return text_problem(text)


def save_reason(case: Case, category: str, text: str) -> None:
    """Keep the borrower's reason for spending in ``category``; "" deletes it.

    ValidationError on ``category`` (not an expense category) or ``reason``.
    Two saves at once for the same category keep the later one.
    """
    if category not in {c.value for c in ExpenseCategory}:
        raise ValidationError([FieldError("category", "not an expense category")])
    text = normalise(text or "").strip()
    if problem := reason_problem(text):
        raise ValidationError([FieldError("reason", problem)])
    table = SpendingReason.__table__
    where = (table.c.case_id == case.id, table.c.category == category)
    if not text:
        db.session.execute(delete(SpendingReason).where(*where)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        db.session.expire(case, ["spending_reasons"])
        return
    for _attempt in range(2):
        row = db.session.scalar(select(SpendingReason).where(*where))
        if row is None:
            row = SpendingReason(case_id=case.id, category=category)
            db.session.add(row)
        row.text, row.updated_at = text, now_utc()
        try:
            db.session.commit()
        except IntegrityError:  # a concurrent first save of this category: update it
            db.session.rollback()
            continue
        break
    db.session.expire(case, ["spending_reasons"])


def sfs_json(case: Case) -> str:
    """The case's budget as Standard Financial Statement JSON text (numbers exact);
    the repayment offers are those of the saved proposal, when there is one."""
    from ..domain.sfs import dumps, sfs_summary
    from .proposals import current_proposal

    offers = {}
    proposal = current_proposal(case)
    if proposal is not None:
        for row in proposal.plan_snapshot.get("strategy", {}).get("offers", ()):
            if row.get("monthly") is not None:
                offers[row["debt_id"]] = Decimal(str(row["monthly"]))
    return dumps(sfs_summary(to_domain(case), offers))
