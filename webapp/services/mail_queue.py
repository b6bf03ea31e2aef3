"""E-mailing a letter through the outbox: the request records it, a job sends it.

The truth is the ``sent_mail`` row (:class:`~webapp.models.MailState`), and an
e-mail is never sent twice:

1. :func:`send_letter` (the request) checks the letter may go, claims it, and
   commits the row ``queued`` with its job (``letter_mail``) in one transaction.
2. :func:`deliver` (the job) moves the row ``queued -> sending`` with a
   conditional UPDATE and commits *before* talking to the mail server: of two
   runs of the job, one sends.
3. Once the server took it, ``sent``, the letter frozen and the job ``done`` are
   one transaction.

A worker killed between 2 and 3 leaves a ``sending`` row. The mail server may
have taken the message (its 250 was the last thing the worker heard) or not;
nothing in Parley can tell which. For a letter to a creditor, a second copy of
an offer is worse than a letter the user is told about: it reads as two offers,
and two payments may follow. So a re-run never sends a ``sending`` row again:
it marks it ``uncertain`` and frees the letter, and the letter page asks the
user to look at the copy in their own inbox (they are always in Cc), then mark
the letter as sent, or send it again on purpose. A ``sending`` row is re-run
only once its job's heartbeat has stopped for ``JOBS_DEAD_AFTER`` (a worker
that is alive, however slow the mail server, keeps its row).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from ..domain.errors import FieldError, ValidationError
from ..extensions import db
from ..models import Job, JobStatus, Letter, MailState, SentMail, User
from ..models.letter import Channel, LetterStatus
from ..models.types import now_utc
from . import mailer
from .concurrency import Conflict
from .letter_delivery import compose, email_problem
from .letters import (
    claim_for_sending,
    describe,
    lock_letters,
    refuse_busy,
    refuse_old_version,
    refuse_sent,
    send_and_freeze,
    statement_for,
)

KIND = "letter_mail"
log = logging.getLogger(__name__)


class MailUncertain(Exception):
    """An earlier e-mail of this letter may have gone out: the user must say
    whether to send it again (``again``)."""


def latest(letter: Letter) -> SentMail | None:
    """The newest e-mail of the letter, if any."""
    return db.session.scalar(select(SentMail).where(SentMail.letter_id == letter.id)
                             .order_by(SentMail.id.desc()).limit(1))


def job_of(mail: SentMail) -> Job | None:
    return db.session.scalar(select(Job).where(Job.kind == KIND, Job.key == f"mail:{mail.id}"))


def send_letter(letter: Letter, config: Mapping[str, Any], user: User, *,
                again: bool = False, confirm_old_version: bool = False
                ) -> tuple[SentMail, Job]:
    """Queue the letter's e-mail (see the module); the row and its job, after
    the job was handed to the queue (inline, it has run).

    ValidationError("email", <email_problem>) when it may not be sent;
    LetterBusy, LetterFrozen, Conflict as :func:`claim_for_sending`;
    MailUncertain when an earlier e-mail of it may have gone and ``again`` is not set;
    ValidationError ``confirm_old_version`` for a draft of an older proposal
    version without ``confirm_old_version`` (see ``letters.refuse_old_version``).
    """
    from ..jobs import enqueue

    # On PostgreSQL, lock the account's row until the claim is committed: two
    # sends at once by one account run one after the other, so the daily limit
    # cannot be raced past. (SQLite serialises writers anyway.)
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    db.session.refresh(letter)
    refuse_sent(letter)
    refuse_busy(letter)
    refuse_old_version(letter, confirm_old_version)
    problem = email_problem(letter, config, user)
    if problem:
        raise ValidationError([FieldError("email", problem)])
    before = latest(letter)
    if before is not None and before.outcome == MailState.UNCERTAIN and not again:
        raise MailUncertain(letter.public_id)
    recipient = mailer.single_address(describe(letter).email)
    # Recorded with the claim, so the daily limit counts it at once.
    record = SentMail(user_id=user.id, case_id=letter.case_id, letter_id=letter.id,
                      recipient=recipient, cc=user.email, outcome=MailState.QUEUED.value,
                      at=now_utc())
    db.session.add(record)
    db.session.flush()
    job = Job(kind=KIND, case_id=letter.case_id, key=f"mail:{record.id}")
    db.session.add(job)
    # commits the row, the job and the claim (the version check still decides a race)
    claim_for_sending(letter, statement_for(letter), checked=True)
    enqueue(job)
    db.session.refresh(record)
    db.session.refresh(job)
    return record, job


def _finish(job_id: int, status: JobStatus, error: str = "") -> None:
    """Set the job's end in the session (the caller commits)."""
    db.session.execute(update(Job).where(Job.id == job_id).values(
        status=status.value, error=error[:300], finished_at=now_utc())
        .execution_options(synchronize_session=False))


def _free(letter: Letter | None, statement: Letter | None) -> None:
    """The letter (and its statement) are drafts no one is e-mailing (not committed)."""
    ids = [x.id for x in (letter, statement) if x is not None]
    if ids:
        lock_letters(letter.proposal_id if letter is not None else None)
        db.session.execute(update(Letter).where(
            Letter.id.in_(ids), Letter.status == LetterStatus.DRAFT.value)
            .values(sending_since=None, version=Letter.version + 1)
            .execution_options(synchronize_session=False))


def _give_up(job_id: int, mail_id: int, letter: Letter, statement: Letter | None,
             reason: str) -> None:
    """Nothing went out: the row ``failed``, the letter a draft again; committed."""
    db.session.execute(update(SentMail).where(SentMail.id == mail_id)
                       .values(outcome=MailState.FAILED.value)
                       .execution_options(synchronize_session=False))
    _free(letter, statement)
    _finish(job_id, JobStatus.FAILED, reason)
    db.session.commit()
    log.warning("sending letter %s failed: %s", letter.public_id, reason)


def deliver(job_id: int) -> None:
    """The ``letter_mail`` job (idempotent; see the module for why a ``sending``
    row becomes ``uncertain`` and is never sent again)."""
    from ..jobs import claim, heartbeat

    if not claim(job_id):
        return
    job = db.session.get(Job, job_id)
    mail = db.session.get(SentMail, int(job.key.partition(":")[2]))
    letter = db.session.get(Letter, mail.letter_id) if mail and mail.letter_id else None
    if mail is None or mail.outcome != MailState.QUEUED:
        state = mail.outcome if mail is not None else "gone"
        if state == MailState.SENDING:  # its worker died with the mail server on the line
            mail.outcome = MailState.UNCERTAIN.value
            _free(letter, statement_for(letter) if letter else None)
            log.warning("letter mail %s: worker died while sending; marked uncertain",
                        mail.id)
            state = MailState.UNCERTAIN.value
        _finish(job_id, JobStatus.DONE if state == MailState.SENT else JobStatus.FAILED,
                "" if state == MailState.SENT else state)
        db.session.commit()
        return
    if letter is None or letter.is_sent:
        mail.outcome = MailState.FAILED.value
        _finish(job_id, JobStatus.FAILED, "the letter was deleted or sent another way")
        db.session.commit()
        return
    statement = statement_for(letter)
    user = db.session.get(User, mail.user_id)
    try:  # printing the PDFs can fail too: before 'sending', nothing has gone
        with heartbeat(job_id):
            message = compose(letter, statement, user)
    except Exception as exc:  # noqa: BLE001 (recorded: the type only, no personal data)
        db.session.rollback()
        _give_up(job_id, mail.id, letter, statement, type(exc).__name__)
        return
    now = now_utc()
    # The point of no return, committed before the mail server hears anything.
    taken = db.session.execute(
        update(SentMail).where(SentMail.id == mail.id, SentMail.outcome == MailState.QUEUED.value)
        .values(outcome=MailState.SENDING.value, sending_at=now)
        .execution_options(synchronize_session=False)).rowcount
    lock_letters(letter.proposal_id)
    db.session.execute(update(Letter).where(
        Letter.id.in_([x.id for x in (letter, statement) if x is not None]),
        Letter.status == LetterStatus.DRAFT.value).values(sending_since=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    if taken != 1:
        return
    db.session.refresh(letter)
    try:
        with heartbeat(job_id):
            mailer.send(current_app.config, message)
    except (mailer.MailError, mailer.BadAddress) as exc:  # the server said no: nothing went
        db.session.rollback()
        _give_up(job_id, mail.id, letter, statement,
                 str(exc) if isinstance(exc, mailer.MailError) else "BadAddress")
        return
    sent_to = message.to
    # Sent: the row, the job and the frozen letter in one transaction.
    db.session.execute(update(SentMail).where(SentMail.id == mail.id)
                       .values(outcome=MailState.SENT.value)
                       .execution_options(synchronize_session=False))
    _finish(job_id, JobStatus.DONE)
    try:
        send_and_freeze(letter, Channel.EMAIL, now_utc(), sent_to, statement)
    except Conflict:  # the letter changed meanwhile: it went out all the same
        db.session.execute(update(SentMail).where(SentMail.id == mail.id)
                           .values(outcome=MailState.SENT.value)
                           .execution_options(synchronize_session=False))
        _finish(job_id, JobStatus.DONE)
        db.session.commit()
    log.info("letter %s e-mailed for user %s", letter.public_id, mail.user_id)


def abandon(job: Job) -> None:
    """The sweep gave up the job: its e-mail, if it got as far as the mail
    server, is ``uncertain``; if not, ``failed``; the letter a draft again
    (not committed)."""
    mail = db.session.get(SentMail, int(job.key.partition(":")[2]))
    if mail is None or not mail.pending:
        return
    mail.outcome = (MailState.UNCERTAIN if mail.outcome == MailState.SENDING
                    else MailState.FAILED).value
    letter = db.session.get(Letter, mail.letter_id) if mail.letter_id else None
    _free(letter, statement_for(letter) if letter else None)


def resolve_lost(letter: Letter) -> SentMail | None:
    """The letter's newest e-mail, after settling one whose worker died (for
    a page opened when no ``parley worker`` sweeps): commits if it changed."""
    from ..jobs import backend, is_lost

    mail = latest(letter)
    if mail is None or not mail.pending or backend(current_app.config) == "rq":
        return mail  # with a queue, the worker's sweep settles it
    job = job_of(mail)
    if job is not None and job.status == JobStatus.RUNNING and is_lost(job):
        deliver(job.id)
        db.session.refresh(mail)
    return mail
