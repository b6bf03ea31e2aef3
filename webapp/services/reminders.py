"""``parley remind``: e-mail each user what is due with their creditors, once.

For every account with a verified address, one e-mail lists, case by case,
the next steps that are overdue or due within the next ``days`` days
(:func:`webapp.domain.agenda.reminders_due`) and the agreements' annual reviews
that fall within them (``reviews_due``), in the user's language. Each
item (user, case, debt, kind, due date) is mailed once: its ``reminders_sent``
row is committed *before* the mail goes out (the unique key stops a second
run, even one running at the same time), and deleted again if the mail server
refuses the message, so the next run tries again. A crash between the two
loses a reminder rather than sending it twice.

The log gets user ids and counts, never an address, a name or a creditor.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain.agenda import Item, reminders_due, reviews_due
from ..domain.errors import ValidationError
from ..domain.status import creditor_statuses
from ..extensions import db
from ..models import Case, ReminderSent, User
from . import agenda_text as words
from . import mailer
from .cases import to_domain
from .negotiations import today_for

log = logging.getLogger(__name__)
#: The default look-ahead, in days.
DEFAULT_DAYS = 3


@dataclass
class Summary:
    #: items mailed
    reminders: int = 0
    #: people mailed
    people: int = 0
    #: people whose mail the server did not take (tried again next run)
    failed: int = 0
    #: cases whose record could not be read on the day (an event after it)
    skipped_cases: int = 0

    def line(self) -> str:
        text = (f"sent {self.reminders} reminder{'s' * (self.reminders != 1)} to "
                f"{self.people} {'person' if self.people == 1 else 'people'}")
        if self.failed:
            text += f"; {self.failed} e-mail{'s' * (self.failed != 1)} failed (tried again " \
                    "next run)"
        if self.skipped_cases:
            text += f"; {self.skipped_cases} case(s) skipped (events after the day given)"
        return text


def _sent_keys(user: User) -> set[tuple[int, str, str, date]]:
    rows = db.session.execute(select(
        ReminderSent.case_id, ReminderSent.debt_ref, ReminderSent.kind, ReminderSent.due,
    ).where(ReminderSent.user_id == user.id))
    return {tuple(r) for r in rows}


def due_for(user: User, today: date | None, days: int,
            summary: Summary) -> list[tuple[Case, list[Item]]]:
    """The user's cases with the items not yet mailed, oldest case first."""
    sent = _sent_keys(user)
    out = []
    cases = db.session.scalars(select(Case).where(Case.owner_id == user.id).order_by(Case.id))
    for case in cases:
        day = today or today_for(case)
        try:
            states = creditor_statuses(to_domain(case), day)
        except ValidationError:
            summary.skipped_cases += 1
            continue
        due = sorted(reminders_due(states, day, days) + reviews_due(states, day, days),
                     key=lambda i: (i.due, i.debt_id, i.kind))
        items = [i for i in due if (case.id, i.debt_id, i.kind, i.due) not in sent]
        if items:
            out.append((case, items))
    return out


def compose(user: User, batch: list[tuple[Case, list[Item]]],
            config: Mapping[str, Any]) -> mailer.Mail:
    """The one e-mail for ``user``: overdue first, then what is coming, per case."""
    lang = words.language(user.locale)
    t = words.MAIL[lang]
    parts = [t["hello"]]
    for case, items in batch:
        block = [t["case"].format(title=case.title or t["untitled"])]
        for heading, group in ((t["overdue"], [i for i in items if i.overdue]),
                               (t["coming"], [i for i in items if not i.overdue])):
            if group:
                block.append(heading)
                block += [t["line"].format(
                    day=words.day(i.due, lang, case.jurisdiction),
                    what=words.what(i, case.currency, lang, case.jurisdiction))
                    for i in group]
        if config.get("SERVER_NAME"):
            block.append(t["link"].format(
                url=url_for("cases.show", case_id=case.public_id, _external=True)))
        parts.append("\n".join(block))
    parts.append(t["footer"])
    return mailer.Mail(to=user.email, subject=t["subject"], text="\n\n".join(parts) + "\n",
                       from_name="Parley")


def remind(config: Mapping[str, Any], *, today: date | None = None,
           days: int = DEFAULT_DAYS) -> Summary:
    """Mail every verified user the items due (see the module); commits per user.

    ``today`` None: each case's own today, where its borrower lives.
    """
    summary = Summary()
    users = db.session.scalars(select(User).where(User.email_verified_at.is_not(None))
                               .order_by(User.id)).all()
    for user in users:
        batch = due_for(user, today, days, summary)
        if not batch:
            continue
        claims = [ReminderSent(user_id=user.id, case_id=case.id, debt_ref=i.debt_id,
                               kind=i.kind, due=i.due)
                  for case, items in batch for i in items]
        mail = compose(user, batch, config)
        db.session.add_all(claims)
        try:
            db.session.commit()
        except IntegrityError:  # another run claimed them first: it mails them
            db.session.rollback()
            continue
        try:
            mailer.send(config, mail)
        except (mailer.MailError, mailer.BadAddress) as exc:
            for claim in claims:
                db.session.delete(claim)
            db.session.commit()
            summary.failed += 1
            log.warning("reminder mail for user %s failed: %s", user.id,
                        exc if isinstance(exc, mailer.MailError) else "BadAddress")
            continue
        summary.people += 1
        summary.reminders += len(claims)
        log.info("reminders: %d item(s) mailed to user %s", len(claims), user.id)
    return summary
