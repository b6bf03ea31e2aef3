"""Job: a borrower's archive, one ZIP of their cases (:func:`webapp.services.archive.build`).

Idempotent: a job already done is left alone; run again, it writes the archive afresh.
"""

from __future__ import annotations

from . import in_app_context


def run(job_id: int) -> None:
    """RQ's entry point (and the thread's and the tests')."""
    from ..services.archive import build

    in_app_context(lambda: build(job_id))
