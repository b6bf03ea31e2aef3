"""Database models, one aggregate per module. Import them all here so Alembic sees them."""

from .case import BudgetItem, Case, Debt
from .job import Job, JobStatus
from .letter import Letter
from .mail import SentMail
from .negotiation import CollectionContact, Negotiation, NegotiationEvent
from .proposal import Proposal
from .reminder import CalendarLink, ReminderSent
from .session import UserSession
from .spending import SpendingReason
from .user import Role, User

__all__ = ["BudgetItem", "CalendarLink", "Case", "CollectionContact", "Debt", "Job",
           "JobStatus", "Letter", "Negotiation", "NegotiationEvent", "Proposal",
           "ReminderSent", "Role", "SentMail", "SpendingReason", "User", "UserSession"]
