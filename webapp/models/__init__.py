"""Database models, one aggregate per module. Import them all here so Alembic sees them."""

from .case import BudgetItem, Case, Debt
from .letter import Letter
from .negotiation import Negotiation
from .proposal import Proposal
from .session import UserSession
from .user import Role, User

__all__ = ["BudgetItem", "Case", "Debt", "Letter", "Negotiation", "Proposal", "Role", "User",
           "UserSession"]
