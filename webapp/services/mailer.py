"""Sending mail through the configured SMTP server (stdlib only).

Configuration comes from ``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USE_TLS``
(STARTTLS), ``MAIL_USERNAME``, ``MAIL_PASSWORD`` and ``MAIL_FROM``. Every
failure (refused connection, timeout, rejected recipient, bad login) is one
:class:`MailError`, so the caller can keep the letter a draft and say so.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

#: Seconds to wait for the SMTP server before giving up (the user is waiting).
TIMEOUT = 20


class MailError(Exception):
    """The message could not be handed to the SMTP server."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    cc: Sequence[str] = ()
    reply_to: str = ""
    #: shown as the sender's name; the address is always MAIL_FROM
    from_name: str = ""
    attachments: Sequence[Attachment] = field(default_factory=tuple)


def is_configured(config: Mapping[str, Any]) -> bool:
    """Whether Parley can send mail: a server and a sender address are set."""
    return bool(config.get("MAIL_SERVER") and config.get("MAIL_FROM"))


def build_message(mail: Mail, sender: str) -> EmailMessage:
    """The MIME message: text body, then the attachments."""
    msg = EmailMessage()
    msg["From"] = formataddr((mail.from_name, sender)) if mail.from_name else sender
    msg["To"] = mail.to
    if mail.cc:
        msg["Cc"] = ", ".join(mail.cc)
    if mail.reply_to:
        msg["Reply-To"] = mail.reply_to
    msg["Subject"] = mail.subject
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(mail.text)
    for a in mail.attachments:
        msg.add_attachment(a.data, maintype=a.maintype, subtype=a.subtype, filename=a.filename)
    return msg


def send(config: Mapping[str, Any], mail: Mail) -> str:
    """Hand ``mail`` to the SMTP server; returns the Message-ID. Raises MailError."""
    if not is_configured(config):
        raise MailError("sending e-mail is not set up (MAIL_SERVER, MAIL_FROM)")
    sender = config["MAIL_FROM"]
    msg = build_message(mail, sender)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25),
                          timeout=TIMEOUT) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            refused = smtp.send_message(msg)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(str(exc) or exc.__class__.__name__) from exc
    if mail.to in refused:
        raise MailError(f"the server refused {mail.to}")
    return str(msg["Message-ID"])
