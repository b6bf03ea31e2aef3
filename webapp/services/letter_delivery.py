"""Getting letters out: files to download, a ZIP of a proposal's letters, e-mail.

Every file is made from the letter's stored HTML, so what is downloaded or
e-mailed is exactly what is kept (and, once sent, what its SHA-256 covers).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

from ..domain.errors import FieldError, ValidationError
from ..letters import render_docx, render_pdf
from ..letters.bundle import BUDGET_STATEMENT_NAME, safe_name
from ..models import Letter, Proposal
from ..models.letter import Channel
from ..models.types import now_utc
from . import mailer
from .letters import (
    claim_for_sending,
    describe,
    refuse_busy,
    refuse_sent,
    release_claim,
    send_and_freeze,
    statement_for,
)
from .proposals import snapshot_case

#: How a downloaded letter is served: mimetype and how its bytes are made.
FILE_FORMATS = {
    "pdf": ("application/pdf", render_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             render_docx),
    "html": ("text/html; charset=utf-8", lambda html: html.encode("utf-8")),
}
#: The e-mail that carries a letter, per language: short, the letter is attached.
MAIL_TEXT = {
    "en": ("Dear Sir or Madam,\n\nPlease find my letter attached{statement}.\n\n"
           "Please reply in writing{reply}.\n\n{name}\n"),
    "zh_CN": "您好：\n\n本人的信函见附件{statement}，请查收。\n\n请书面回复{reply}。\n\n{name}\n",
}
MAIL_STATEMENT = {"en": ", with my budget statement", "zh_CN": "（附家庭收支情况说明）"}
MAIL_REPLY = {"en": " to {email}", "zh_CN": "至 {email}"}


# --- e-mail -------------------------------------------------------------------------


def email_problem(letter: Letter, config: Mapping[str, Any]) -> str | None:
    """Why Parley cannot e-mail this letter: "not_configured", "no_address", or None."""
    if not mailer.is_configured(config):
        return "not_configured"
    if not describe(letter).email:
        return "no_address"
    return None


def _filename(letter: Letter, fmt: str) -> str:
    name = BUDGET_STATEMENT_NAME if letter.is_statement else (
        f"{safe_name(letter.debt_ref or '')}-{letter.letter_type}")
    return f"{name}.{fmt}"


def send_by_email(letter: Letter, config: Mapping[str, Any]) -> None:
    """E-mail the letter as PDF (with its budget statement) to the creditor, a
    copy to the borrower; then freeze it. Raises ``mailer.MailError`` when the
    server fails: the letter then stays a draft.

    The letter is claimed (committed) before the mail goes out and frozen after,
    so two sends at once e-mail it once: the second gets Conflict or LetterBusy.
    No database lock is held while the mail server is talked to.
    """
    refuse_sent(letter)
    refuse_busy(letter)
    problem = email_problem(letter, config)
    if problem:
        raise ValidationError([FieldError("email", problem)])
    # The statement attached is the one frozen, even if the letters are written
    # again meanwhile (a newer statement then exists).
    statement = statement_for(letter)
    since = claim_for_sending(letter, statement)
    try:
        sent_to = _mail(letter, statement, config)
    except BaseException:
        release_claim(letter, since)
        raise
    send_and_freeze(letter, Channel.EMAIL, now_utc(), sent_to, statement)


def _mail(letter: Letter, statement: Letter | None, config: Mapping[str, Any]) -> str:
    """E-mail the letter as claimed (its stored HTML); the address it went to."""
    row = describe(letter)
    snapshot = snapshot_case(letter.proposal)
    borrower_email = letter.case.borrower_email or snapshot.borrower.email
    name = letter.case.borrower_name or snapshot.borrower.name
    attachments = [mailer.Attachment(_filename(letter, "pdf"), render_pdf(letter.html))]
    if statement is not None:
        attachments.append(mailer.Attachment(_filename(statement, "pdf"),
                                             render_pdf(statement.html)))
    lang = letter.language
    text = MAIL_TEXT[lang].format(
        statement=MAIL_STATEMENT[lang] if statement is not None else "",
        reply=MAIL_REPLY[lang].format(email=borrower_email) if borrower_email else "",
        name=name)
    account = next((d.account_ref for d in snapshot.debts if d.id == letter.debt_ref), "")
    subject = row.title[lang] + (f" ({account})" if account else "")
    mailer.send(config, mailer.Mail(
        to=row.email, subject=subject, text=text, cc=[borrower_email] if borrower_email else [],
        reply_to=borrower_email, from_name=name, attachments=attachments))
    return row.email


# --- files --------------------------------------------------------------------------


def letter_file(letter: Letter, fmt: str) -> tuple[str, str, bytes]:
    """(file name, mimetype, bytes) of the letter exactly as stored."""
    mimetype, convert = FILE_FORMATS[fmt]
    return _filename(letter, fmt), mimetype, convert(letter.html)


def bundle_zip(proposal: Proposal, fmt: str = "pdf") -> tuple[str, bytes]:
    """The proposal's newest letter to each creditor plus its budget statement, as a ZIP."""
    newest: dict[str | None, Letter] = {}
    for x in proposal.letters:
        if x.debt_ref not in newest or x.id > newest[x.debt_ref].id:
            newest[x.debt_ref] = x
    if not newest:
        raise ValidationError([FieldError("letters", "write the letters first")])
    _, convert = FILE_FORMATS[fmt]
    today = now_utc().date()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for x in sorted(newest.values(), key=lambda x: (x.is_statement, x.id)):
            info = zipfile.ZipInfo(_filename(x, fmt), (today.year, today.month, today.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, convert(x.html))
    return f"letters-{proposal.public_id}.zip", out.getvalue()
