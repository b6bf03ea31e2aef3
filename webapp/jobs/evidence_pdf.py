"""Job: the contact log's evidence table as a PDF (:func:`webapp.services.evidence_jobs.build`).

Idempotent: the HTML to print is in the row (``payload``), so a re-run prints
the same table; a job already done is left alone.
"""

from __future__ import annotations

from . import in_app_context


def run(job_id: int) -> None:
    """RQ's entry point (and the thread's and the tests')."""
    from ..services.evidence_jobs import build

    in_app_context(lambda: build(job_id))
