"""Getting letters out: files to download, a ZIP of a proposal's letters, e-mail.

Every file is made from the letter's stored HTML, so what is downloaded or
e-mailed is exactly what is kept (and, once sent, what its SHA-256 covers).

E-mail is guarded so Parley cannot be used to send phishing: only an account
whose e-mail address is verified may send; a letter goes to exactly one
address, the creditor address on its debt; the copy and Reply-To go only to
the account's verified address (the case's borrower e-mail is free text anyone
can type or import, so copying to it would let an account mail a second
address of its choosing); the From name is the case's borrower with
"via Parley", the address always ``MAIL_FROM``; an account sends at most
``MAIL_PER_DAY`` in any 24 hours; and every attempt is recorded in
``sent_mail`` (the user's own record; the application log gets no address).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select

from ..domain.errors import FieldError, ValidationError
from ..extensions import db
from ..letters import render_docx, render_pdf
from ..letters.bundle import BUDGET_STATEMENT_NAME
from ..letters.catalogue import BUDGET_STATEMENT, CATALOGUE
from ..models import Letter, Proposal, SentMail, User
from ..models.types import local_date, now_utc
from . import mailer
from .letters import (
    describe,
    snapshot_of,
)

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
#: The sender's display name: the borrower, and plainly that Parley carried it.
MAIL_FROM_NAME = {"en": "{name} via Parley", "zh_CN": "{name}（经 Parley 发送）"}


# --- e-mail -------------------------------------------------------------------------


#: the span ``MAIL_PER_DAY`` counts over
SENT_TODAY_SPAN = timedelta(days=1)


def sent_today(user: User) -> int:
    """E-mails sent (or tried) for ``user`` in the last 24 hours."""
    since = now_utc() - SENT_TODAY_SPAN
    return db.session.scalar(select(func.count(SentMail.id)).where(
        SentMail.user_id == user.id, SentMail.at >= since)) or 0


def limit_reached(config: Mapping[str, Any], verified: bool, sent: int | Callable[[], int]
                  ) -> bool | None:
    """Whether the account used up ``MAIL_PER_DAY`` (``sent``: its count of the last
    24 hours, or a function asked only when it matters); None when mail cannot go
    anyway (no mail server, address not verified).

    With the letter, the case and the account, this is all :func:`email_problem`
    depends on: a letter page is cached under it (``page_cache``, ``fast_pages``).
    """
    if not mailer.is_configured(config) or not verified:
        return None
    return (sent() if callable(sent) else sent) >= int(config.get("MAIL_PER_DAY") or 20)


def email_problem(letter: Letter, config: Mapping[str, Any], user: User) -> str | None:
    """Why Parley cannot e-mail this letter for ``user``, or None:

    "not_configured" (no MAIL_SERVER), "unverified" (the account's e-mail is
    not verified), "no_address" (the debt has no creditor e-mail),
    "bad_address" (it is not exactly one valid address), "limit" (the
    account sent ``MAIL_PER_DAY`` in the last 24 hours), "to_regulator" (a
    complaint to a regulator: it goes by the regulator's own route).
    """
    if CATALOGUE.get(letter.letter_type, BUDGET_STATEMENT).to_regulator:
        # it goes to the regulator, never to the creditor's address on the debt
        return "to_regulator"
    if not mailer.is_configured(config):
        return "not_configured"
    if not user.email_verified:
        return "unverified"
    address = describe(letter).email
    if not address:
        return "no_address"
    try:
        mailer.single_address(address)
    except mailer.BadAddress:
        return "bad_address"
    if limit_reached(config, True, lambda: sent_today(user)):
        return "limit"
    return None


# --- file names ---------------------------------------------------------------------

#: Characters no file system or header should get: separators, quotes, controls.
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|%;,]+')
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class FileName:
    """A download's name: as the user would write it (``招商银行-2027-01-31.pdf``)
    and an ASCII stand-in for clients that know no other (``letter-2027-01-31.pdf``)."""

    name: str
    ascii: str

    def content_disposition(self) -> str:
        """``attachment`` with the ASCII name and, when they differ, the real one
        encoded as RFC 5987 / RFC 6266 ``filename*``."""
        header = f'attachment; filename="{self.ascii}"'
        if self.name != self.ascii:
            header += f"; filename*=UTF-8''{quote(self.name, safe='')}"
        return header


def _stem(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", "-", _NOT_IN_FILE_NAMES.sub(" ", text).strip())
    return text[:limit].strip(".-")


def _ascii_stem(text: str, limit: int = 80) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ASCII_SAFE.sub("-", folded)[:limit].strip(".-")


def file_name(letter: Letter, fmt: str) -> FileName:
    """Named by creditor and the letter's date: ``Barclaycard-2027-01-31.pdf``;
    the budget statement by its title in the letter's language."""
    day = local_date(letter.created_at, letter.case.jurisdiction).isoformat()
    if letter.is_statement:
        who, fallback = BUDGET_STATEMENT.title[letter.language], BUDGET_STATEMENT_NAME
    else:
        who, fallback = describe(letter).creditor, "letter"
        if letter.proposal_id is None and letter.letter_type != "contact_restrictions":
            # several letters about one creditor's collection may be written on
            # one day: the complaint to it and the one to the regulator
            who = f"{who} {letter.letter_type.replace('_', ' ')}"
    name = _stem(who) or fallback
    plain = _ascii_stem(name)
    # A name folded to ASCII must still say something: not "-2027-01-31".
    plain = plain if re.search(r"[A-Za-z]", plain) else fallback
    return FileName(f"{name}-{day}.{fmt}", f"{plain}-{day}.{fmt}")


def _filename(letter: Letter, fmt: str) -> str:
    return file_name(letter, fmt).name


def compose(letter: Letter, statement: Letter | None, user: User) -> mailer.Mail:
    """The e-mail of the letter as claimed (its stored HTML, printed), ready to
    hand to the mail server: everything that can fail before sending."""
    row = describe(letter)
    recipient = mailer.single_address(row.email)
    snapshot = snapshot_of(letter)
    # The verified account address: the only one proven to be the sender's.
    borrower_email = user.email
    name = mailer.header_text(letter.case.borrower_name or snapshot.borrower.name, 100)
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
    from_name = MAIL_FROM_NAME[lang].format(name=name) if name else "Parley"
    return mailer.Mail(to=recipient, subject=subject, text=text, cc=borrower_email,
                       reply_to=borrower_email, from_name=from_name, attachments=attachments)


# --- files --------------------------------------------------------------------------


def letter_file(letter: Letter, fmt: str) -> tuple[FileName, str, bytes]:
    """(file name, mimetype, bytes) of the letter exactly as stored."""
    mimetype, convert = FILE_FORMATS[fmt]
    return file_name(letter, fmt), mimetype, convert(letter.html)


def bundle_letters(proposal: Proposal) -> list[Letter]:
    """What the ZIP holds: the newest letter to each creditor, then the budget statement."""
    newest: dict[str | None, Letter] = {}
    for x in proposal.letters:
        if x.debt_ref not in newest or x.id > newest[x.debt_ref].id:
            newest[x.debt_ref] = x
    return sorted(newest.values(), key=lambda x: (x.is_statement, x.id))


def bundle_zip(proposal: Proposal, fmt: str = "pdf") -> tuple[str, bytes]:
    """The proposal's newest letter to each creditor plus its budget statement, as a ZIP.

    Slow for many letters (about 50-100 ms of WeasyPrint per page): the web app
    runs it as a background job (``webapp.jobs.letters_zip``), never in a request.
    """
    letters = bundle_letters(proposal)
    if not letters:
        raise ValidationError([FieldError("letters", "write the letters first")])
    _, convert = FILE_FORMATS[fmt]
    today = now_utc().date()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        taken: set[str] = set()
        for x in letters:
            name = _unique(_filename(x, fmt), taken)
            info = zipfile.ZipInfo(name, (today.year, today.month, today.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, convert(x.html))
    return f"letters-{proposal.public_id}.zip", out.getvalue()


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name`` with ``-2``, ``-3``… before the extension: two debts
    with the same creditor must not overwrite each other in one ZIP."""
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}{dot}{ext}", n + 1
    taken.add(candidate)
    return candidate
