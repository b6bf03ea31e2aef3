"""Database models, one aggregate per module. Import them all here so Alembic sees them."""

# session hooks: the case-file change counter, and the pages' change counter
from . import changes, page_version  # noqa: F401
from .access import AccessCode, CaseGrant, CodeKind
from .audit import AuditAction, AuditEvent
from .case import BudgetItem, Case, Debt
from .job import Job, JobStatus
from .letter import Letter
from .mail import MailState, SentMail
from .negotiation import CollectionContact, Negotiation, NegotiationEvent
from .proposal import Proposal
from .reminder import CalendarLink, ReminderSent
from .security import PasswordReset, RecoveryCode
from .session import UserSession
from .spending import SpendingReason
from .token import ApiToken
from .upload import Upload
from .user import Role, User
from .workspace import CaseNote, CaseSummary, CaseTask

__all__ = ["AccessCode", "ApiToken", "AuditAction", "AuditEvent", "BudgetItem", "CalendarLink",
           "Case", "CaseGrant", "CaseNote", "CaseSummary", "CaseTask", "CodeKind",
           "CollectionContact", "Debt", "Job", "JobStatus",
           "Letter", "MailState", "Negotiation", "NegotiationEvent", "PasswordReset", "Proposal",
           "RecoveryCode", "ReminderSent", "Role",
           "SentMail", "SpendingReason", "Upload", "User", "UserSession"]
