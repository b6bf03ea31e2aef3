"""Job: e-mail one letter from the outbox (:func:`webapp.services.mail_queue.deliver`).

Idempotent, and never sends twice: the ``sent_mail`` row moves queued -> sending
(committed) before the mail server is called; a re-run finds it ``sending`` and
marks it ``uncertain`` for the user to decide, instead of sending it again.
"""

from __future__ import annotations

from . import in_app_context


def run(job_id: int) -> None:
    """RQ's entry point (and the thread's and the tests')."""
    from ..services.mail_queue import deliver

    in_app_context(lambda: deliver(job_id))
