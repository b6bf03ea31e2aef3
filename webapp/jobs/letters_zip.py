"""Job: a proposal's letters as one ZIP of PDFs (:func:`webapp.services.bundles.build_zip`).

Idempotent: a job already done is left alone; run again, it makes the same ZIP.
"""

from __future__ import annotations

from . import in_app_context


def run(job_id: int) -> None:
    """RQ's entry point (and the thread's and the tests')."""
    from ..services.bundles import build_zip

    in_app_context(lambda: build_zip(job_id))
