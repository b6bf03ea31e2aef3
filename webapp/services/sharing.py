"""Consent: the owner grants counselors access to one case, and revokes it;
a counselor's case is handed over to the client.

Three ways in, all per case:

- by e-mail: the owner names a counselor's account (only counselors can be
  granted, so refusing says "no counselor account with that e-mail" whether the
  address is unknown or a borrower's: a borrower's account is never revealed);
- by a one-time code the owner's page shows and the counselor types in
  (``INVITE_HOURS`` to use it, once);
- by handover: a counselor who made a case for a client makes a one-time link
  (``HANDOVER_DAYS``); the client, logged in, accepts it and becomes the owner;
  the counselor keeps a grant only if the client ticks that they agree.

Codes are random; only their SHA-256 is stored. Each grant, revocation and
handover is written to the case's audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import AccessCode, AuditAction, Case, CaseGrant, CodeKind, Role, User
from ..models.types import now_utc
from . import audit
from .accounts import N_, AccountError, normalise_email

INVITE_HOURS = 24
HANDOVER_DAYS = 14
#: Invite codes are read aloud or typed from a screen: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12 ≈ 2**59: unguessable in the hours it lives, even unthrottled


class SharingError(AccountError):
    """A refused sharing step; ``field`` names the form field or JSON key."""


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normal_code(code: str) -> str:
    """What the counselor typed, as the code was made: capitals, no spaces or dashes."""
    return "".join(c for c in code.upper() if c.isalnum())


def live_grants(case: Case) -> list[CaseGrant]:
    return list(db.session.scalars(select(CaseGrant).where(
        CaseGrant.case_id == case.id, CaseGrant.revoked_at.is_(None)).order_by(CaseGrant.id)))


def _counselor(email: str) -> User:
    user = db.session.scalar(select(User).where(
        func.lower(User.email) == normalise_email(email or "")))
    if user is None or user.role != Role.COUNSELOR:
        raise SharingError("email", N_("There is no counselor account with that e-mail."))
    return user


def _grant(case: Case, counselor: User, by: User) -> tuple[CaseGrant, bool]:
    """The live grant of ``case`` to ``counselor``, made if there is none (not committed)."""
    if counselor.id == case.owner_id:
        raise SharingError("email", N_("That is the owner of this case."))
    for grant in live_grants(case):
        if grant.counselor_id == counselor.id:
            return grant, False
    grant = CaseGrant(case_id=case.id, counselor_id=counselor.id, granted_by_id=by.id,
                      granted_at=now_utc())
    db.session.add(grant)
    audit.add(case, by, AuditAction.GRANT, counselor.email)
    return grant, True


def grant(case: Case, email: str, by: User) -> tuple[CaseGrant, bool]:
    """Grant the counselor with this e-mail access to the case; True if new.

    SharingError("email") when no counselor account has that address."""
    result = _grant(case, _counselor(email), by)
    db.session.commit()
    return result


def revoke(case: Case, email: str, by: User) -> bool:
    """End every live grant of the case to this e-mail address; False if there was none."""
    user = db.session.scalar(select(User).where(
        func.lower(User.email) == normalise_email(email or "")))
    if user is None:
        return False
    ended = db.session.execute(update(CaseGrant).where(
        CaseGrant.case_id == case.id, CaseGrant.counselor_id == user.id,
        CaseGrant.revoked_at.is_(None)).values(revoked_at=now_utc())).rowcount
    if ended:
        audit.add(case, by, AuditAction.REVOKE, user.email)
    db.session.commit()
    return bool(ended)


def revoke_grant(case: Case, grant_id: int, by: User) -> bool:
    """Revoke one grant listed on the sharing page (by its id)."""
    grant = db.session.get(CaseGrant, grant_id)
    if grant is None or grant.case_id != case.id or not grant.live:
        return False
    return revoke(case, grant.counselor.email, by)


# --- one-time codes -----------------------------------------------------------------


def _new_code(case: Case, kind: CodeKind, by: User, lifetime: timedelta, code: str) -> str:
    now = now_utc()
    db.session.add(AccessCode(case_id=case.id, kind=kind.value, code_hash=_digest(code),
                              created_by_id=by.id, created_at=now, expires_at=now + lifetime))
    db.session.commit()
    return code


def new_invite_code(case: Case, by: User) -> str:
    """A code for a counselor to type in, shown once (``ABCD-EFGH-JKMN``)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    _new_code(case, CodeKind.INVITE, by, timedelta(hours=INVITE_HOURS), raw)
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def new_handover(case: Case, by: User) -> str:
    """A token for the client's handover link, shown once."""
    return _new_code(case, CodeKind.HANDOVER, by, timedelta(days=HANDOVER_DAYS),
                     secrets.token_urlsafe(24))


def _live_code(kind: CodeKind, code: str) -> AccessCode | None:
    if not code or len(code) > 100:
        return None
    row = db.session.scalar(select(AccessCode).where(
        AccessCode.code_hash == _digest(code), AccessCode.kind == kind.value))
    if row is None or row.used_at is not None or row.expires_at <= now_utc():
        return None
    return row


def _use(row: AccessCode) -> bool:
    """Mark the code used, once: of two requests at the same moment one wins."""
    return db.session.execute(update(AccessCode).where(
        AccessCode.id == row.id, AccessCode.used_at.is_(None)).values(
        used_at=now_utc())).rowcount == 1


def redeem_invite(code: str, counselor: User) -> Case:
    """The counselor typed the owner's code: grant them the case.

    SharingError("code") when the code is unknown, used or expired, or the
    account is not a counselor's."""
    if counselor.role != Role.COUNSELOR:
        raise SharingError("code", N_("Only a counselor account can use an access code."))
    row = _live_code(CodeKind.INVITE, _normal_code(code))
    if row is None or not _use(row):
        db.session.rollback()
        raise SharingError("code", N_("This code is not valid: it may be mistyped, used "
                                      "already or expired. Ask for a new one."))
    case = row.case
    owner = case.owner
    _grant(case, counselor, owner)
    db.session.commit()
    return case


def handover_for(token: str) -> AccessCode | None:
    """The live handover of this link, or None (unknown, used or expired)."""
    return _live_code(CodeKind.HANDOVER, token)


def accept_handover(token: str, client: User, *, keep_counselor: bool) -> Case:
    """The client takes the case over: they own it; the counselor who made the
    link keeps a grant only if ``keep_counselor``."""
    row = handover_for(token)
    if row is None:
        raise SharingError("token", N_("This link is not valid: it may be used already or "
                                       "expired. Ask your counselor for a new one."))
    case = row.case
    if client.id == case.owner_id:
        raise SharingError("token", N_("This case is already yours."))
    if client.role != Role.BORROWER:
        raise SharingError("token", N_("Only a borrower's account can take over a case."))
    if not _use(row):
        db.session.rollback()
        raise SharingError("token", N_("This link is not valid: it may be used already or "
                                       "expired. Ask your counselor for a new one."))
    counselor = case.owner
    case.owner_id = client.id
    # The client owns the case now: nobody keeps access they did not give.
    db.session.execute(update(CaseGrant).where(
        CaseGrant.case_id == case.id, CaseGrant.revoked_at.is_(None)).values(
        revoked_at=now_utc()))
    db.session.execute(update(AccessCode).where(
        AccessCode.case_id == case.id, AccessCode.used_at.is_(None)).values(
        used_at=now_utc()))
    audit.add(case, client, AuditAction.HANDOVER, counselor.email)
    if keep_counselor and counselor.role == Role.COUNSELOR:
        db.session.flush()
        _grant(case, counselor, client)
    db.session.commit()
    return case
