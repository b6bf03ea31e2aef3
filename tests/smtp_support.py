"""A local SMTP server (aiosmtpd) for tests that send mail."""

from __future__ import annotations

import re
import socket
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage


class Inbox:
    """An aiosmtpd handler keeping every envelope it receives; it refuses the
    recipients in ``refuse`` with a reply that quotes the address, as real
    servers do."""

    def __init__(self, refuse: set[str] | None = None):
        self.envelopes = []
        self.refuse = refuse or set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server(refuse: set[str] | None = None):
    """(port, inbox) of a running local SMTP server."""
    from aiosmtpd.controller import Controller

    inbox = Inbox(refuse)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def verification_link(message: EmailMessage) -> str:
    """The path of the verification link in a mail Parley sent."""
    match = re.search(r"https?://[^/\s]+(/auth/verify/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def reset_link(message: EmailMessage) -> str:
    """The path of the password-reset link in a mail Parley sent."""
    match = re.search(r"https?://[^/\s]+(/auth/reset/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)
