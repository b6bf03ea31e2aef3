"""Benchmark the borrower's archive (``services.archive``): time, size and memory.

    .venv/bin/python bench/archive.py [--letters 30] [--uploads 20] [--upload-mb 5]

Prints figures; it is not a test. One account, one case in a temporary SQLite
database and upload folder: ``--letters`` sent letters (each printed to PDF in
the archive) and ``--uploads`` files of ``--upload-mb`` MB of random bytes (which
do not compress). Reports the build time, the ZIP's size, and the peak
Python-level memory while building (tracemalloc), which should stay near one
upload's size whatever the total, since the ZIP is written entry by entry to
a file.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=30)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--upload-mb", type=float, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="parley-bench-archive-"))
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Job, Letter, NegotiationEvent, Upload
    from webapp.models.types import now_utc
    from webapp.services import accounts, archive, cases, uploads

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'db.sqlite'}",
                      "UPLOAD_DIR": str(tmp / "uploads"), "EXPORT_DIR": str(tmp / "exports"),
                      "JOBS_BACKEND": "inline", "TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        user = accounts.register("bench@example.com", "correct horse battery", "borrower")
        examples = Path(__file__).resolve().parents[1] / "tests" / "data" / "examples"
        case = cases.import_case(user, (examples / "gb-family.json").read_bytes())
        # A one-page letter: what WeasyPrint prints for each sent letter.
        body = ("<!doctype html><html><head><meta charset='utf-8'><title>Letter</title>"
                "</head><body>" + "<p>" + "I am writing about my account. " * 40
                + "</p>" * 1 + "<p>" + "Yours faithfully. " * 30 + "</p></body></html>")
        for i in range(args.letters):
            db.session.add(Letter(case=case, debt_ref=f"d{i}", letter_type="proposal",
                                  language="en", status="sent", html=body,
                                  sent_at=now_utc(), channel="post", sha256="0" * 64))
        event = NegotiationEvent(case=case, debt_ref="d0", type="rejected",
                                 on=now_utc().date()) if args.uploads else None
        if event is not None:
            db.session.add(event)
        size = int(args.upload_mb * 1024 * 1024)
        for i in range(args.uploads):
            key = uploads.new_key()
            data = os.urandom(size)
            uploads.storage().put(key, data)
            db.session.add(Upload(case=case, event=event, filename=f"evidence-{i}.pdf",
                                  media_type="application/pdf", size=size,
                                  sha256=hashlib.sha256(data).hexdigest(), storage_key=key))
            del data
        db.session.commit()
        job = Job(kind=archive.KIND, user_id=user.id, key="bench")
        db.session.add(job)
        db.session.commit()
        tracemalloc.start()
        started = time.perf_counter()
        archive.build(job.id)
        took = time.perf_counter() - started  # float ok (seconds)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        db.session.refresh(job)
        path = archive.path_of(job)
        total = args.uploads * size
        print(f"status {job.status} {job.error}")
        print(f"{args.letters} sent letters (HTML + PDF), {args.uploads} uploads x "
              f"{args.upload_mb:g} MB = {total / 2**20:.0f} MB of uploads")
        print(f"build {took:.1f} s; ZIP {path.stat().st_size / 2**20:.1f} MB; "
              f"peak Python memory while building {peak / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
