"""Database models, one aggregate per module. Import them all here so Alembic sees them."""

from .case import BudgetItem, Case, Debt
from .job import Job, JobStatus
from .letter import Letter
from .negotiation import Negotiation
from .proposal import Proposal
from .user import Role, User

__all__ = ["BudgetItem", "Case", "Debt", "Job", "JobStatus", "Letter", "Negotiation", "Proposal",
           "Role", "User"]
