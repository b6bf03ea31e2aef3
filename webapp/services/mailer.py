"""Sending mail through the configured SMTP server (stdlib only).

Configuration comes from ``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USE_TLS``
(STARTTLS), ``MAIL_USERNAME``, ``MAIL_PASSWORD`` and ``MAIL_FROM``. Every
failure (refused connection, timeout, rejected recipient, bad login) is one
:class:`MailError`, so the caller can keep the letter a draft and say so.

A message goes to exactly one ``To`` address and at most one ``Cc``, each a
single address checked by email-validator; the SMTP envelope names exactly
those, never what the headers might be made to say. Display names and the
subject are stripped of control characters, so no header can be injected.
A :class:`MailError`'s text never quotes an address (it is logged).
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from email_validator import EmailNotValidError, validate_email

#: Seconds to wait for the SMTP server before giving up (the user is waiting).
TIMEOUT = 20


class MailError(Exception):
    """The message could not be handed to the SMTP server.

    The text says what failed (exception type, SMTP code), never to whom."""


class BadAddress(ValueError):
    """Not exactly one valid e-mail address."""


#: Characters that separate several addresses, or start a new header line.
_SEPARATORS = re.compile(r"[,;\s<>\"()\[\]\\]")
#: Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def single_address(value: str) -> str:
    """``value`` as one plain e-mail address (``name@domain``), or BadAddress.

    Refuses lists (commas, semicolons, spaces, newlines), display-name forms
    (``Name <a@b>``) and anything email-validator does not accept as one
    deliverable-looking address (no DNS lookup: the SMTP server decides that).
    """
    value = value or ""
    if _CONTROL.search(value):  # a line break anywhere could start a header
        raise BadAddress(value)
    value = value.strip(" ")
    if not value or _SEPARATORS.search(value) or value.count("@") != 1:
        raise BadAddress(value)
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise BadAddress(value) from exc


def header_text(value: str, limit: int = 200) -> str:
    """One line of header text: control characters gone, whitespace collapsed."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:limit]


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass(frozen=True)
class Mail:
    #: the one recipient
    to: str
    subject: str
    text: str
    #: at most one copy
    cc: str = ""
    reply_to: str = ""
    #: shown as the sender's name; the address is always MAIL_FROM
    from_name: str = ""
    attachments: Sequence[Attachment] = field(default_factory=tuple)


def is_configured(config: Mapping[str, Any]) -> bool:
    """Whether Parley can send mail: a server and a sender address are set."""
    return bool(config.get("MAIL_SERVER") and config.get("MAIL_FROM"))


def recipients(mail: Mail) -> list[str]:
    """The envelope's recipients: the one ``To`` and the optional ``Cc``,
    each a single valid address (BadAddress otherwise)."""
    out = [single_address(mail.to)]
    if mail.cc:
        cc = single_address(mail.cc)
        if cc != out[0]:
            out.append(cc)
    return out


def build_message(mail: Mail, sender: str) -> EmailMessage:
    """The MIME message: text body, then the attachments. BadAddress when an
    address is not exactly one valid address."""
    msg = EmailMessage()
    sender = single_address(sender)
    name = header_text(mail.from_name, 120)
    msg["From"] = formataddr((name, sender)) if name else sender
    msg["To"] = single_address(mail.to)
    if mail.cc:
        msg["Cc"] = single_address(mail.cc)
    if mail.reply_to:
        msg["Reply-To"] = single_address(mail.reply_to)
    msg["Subject"] = header_text(mail.subject, 250)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(mail.text)
    for a in mail.attachments:
        msg.add_attachment(a.data, maintype=a.maintype, subtype=a.subtype,
                           filename=header_text(a.filename, 120))
    return msg


def _reason(exc: Exception) -> str:
    """What went wrong, without the server's text (it may quote an address)."""
    code = getattr(exc, "smtp_code", None)
    return f"{exc.__class__.__name__}" + (f" (SMTP {code})" if code else "")


def send(config: Mapping[str, Any], mail: Mail) -> str:
    """Hand ``mail`` to the SMTP server; returns the Message-ID. Raises MailError."""
    if not is_configured(config):
        raise MailError("sending e-mail is not set up (MAIL_SERVER, MAIL_FROM)")
    sender = config["MAIL_FROM"]
    msg = build_message(mail, sender)
    to_addrs = recipients(mail)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                          timeout=TIMEOUT) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            # The envelope is given explicitly: exactly the checked recipients.
            refused = smtp.send_message(msg, from_addr=single_address(sender),
                                        to_addrs=to_addrs)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError("SMTPRecipientsRefused (every recipient refused)") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(_reason(exc)) from exc
    if to_addrs[0] in refused:
        raise MailError("the server refused the creditor's address")
    return str(msg["Message-ID"])
