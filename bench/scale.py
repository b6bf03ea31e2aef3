"""Key pages on a large database: p50/p95 and SQL statements per page.

    .venv/bin/python bench/generate.py --database URL --reset      # once: 10,000 cases
    .venv/bin/python bench/scale.py --database URL [--samples 40] [--explain]

In process (Flask's test client, logged in, CSRF on as in production; no
network, so the figures are Parley's own time and its database's): for
``--samples`` cases picked at random among the first borrower's, each page is
fetched twice: the first view of that case (``cold``: nothing of it cached in
this process) and the next one (``warm``: the page cache may answer). Pages:
the case dashboard, the plan page, a letter, and the counselor's caseload (the
home page of ``counselor@example.com``, 50 granted cases) and one of the
counselor's cases. Prints p50/p95/max in ms and the number of SQL statements
(min-max over the samples: a constant number whatever the case), and the
median CPU time of this process per page (Parley's own work, without the
database's and without waiting for a busy machine's cores).

``--explain`` prints PostgreSQL's plan (EXPLAIN ANALYZE) of the slowest
statements seen, for finding missing indexes.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "correct horse battery staple"


class Statements:
    """Counts (and times) the SQL statements the app sends."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.count = 0
        self.slow: dict[str, list] = defaultdict(list)
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        # a cached page's one statement runs on the driver's cursor (webapp/fast_pages.py),
        # where SQLAlchemy's events do not see it: counted and timed here
        from webapp import fast_pages

        real, stats = fast_pages._Compiled.fetch, self

        def fetch(compiled, params):
            stats.count += 1
            started = time.perf_counter()
            try:
                return real(compiled, params)
            finally:
                stats.slow[compiled.sql].append(
                    ((time.perf_counter() - started) * 1000, params))

        fast_pages._Compiled.fetch = fetch

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        ms = (time.perf_counter() - conn.info.pop("bench_started")) * 1000
        entry = self.slow[statement]
        entry.append((ms, parameters))


def _token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _log_in(app, client, email: str) -> None:
    """Log in; a counselor logs in with two factors (enrolled here first)."""
    import pyotp

    from webapp.extensions import db
    from webapp.services import accounts, twofactor

    with app.app_context():
        user = accounts.find_by_email(email)
        secret = None
        if user.role == "counselor":
            secret = user.totp_secret or twofactor.begin(user)
            if not user.totp_enabled:
                twofactor.confirm(user, pyotp.TOTP(secret).at(time.time() - twofactor.STEP))
            secret = accounts.find_by_email(email).totp_secret
        db.session.remove()
    answer = client.post("/auth/login", data={"csrf_token": _token(client, "/auth/login"),
                                              "email": email, "password": PASSWORD})
    if secret and answer.status_code == 302 and answer.location.endswith("/auth/login/code"):
        answer = client.post("/auth/login/code", data={
            "csrf_token": _token(client, "/auth/login/code"), "code": pyotp.TOTP(secret).now()})
    if answer.status_code != 302:
        raise SystemExit(f"log in as {email} failed: {answer.status_code}")


def _measure(client, stats: Statements, url: str) -> tuple[float, int, float]:
    before = stats.count
    started, cpu = time.perf_counter(), time.process_time()
    answer = client.get(url)
    ms = (time.perf_counter() - started) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    if answer.status_code != 200:
        raise SystemExit(f"{url}: {answer.status_code}")
    return ms, stats.count - before, cpu_ms


def _row(name: str, samples: list[tuple[float, int, float]]) -> str:
    times = sorted(ms for ms, _, _ in samples)
    queries = [q for _, q, _ in samples]
    cpu = statistics.median(c for _, _, c in samples)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return (f"{name:34} {len(times):4} {statistics.median(times):8.1f} {p95:8.1f} "
            f"{times[-1]:8.1f} {cpu:8.1f} {min(queries):5}-{max(queries):<5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    os.environ.update(DATABASE_URL=args.database, SECRET_KEY="bench", RATELIMIT_ENABLED="0")
    os.environ.pop("REDIS_URL", None)
    from sqlalchemy import select, text

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Case, CaseGrant, Letter, User

    app = create_app({"RATELIMIT_ENABLED": False})
    rng = random.Random(args.seed)
    with app.app_context():
        stats = Statements(db.engine)
        owner = db.session.scalar(select(User).where(User.email == "borrower0@example.com"))
        counselor = db.session.scalar(select(User).where(User.email == "counselor@example.com"))
        ids = db.session.scalars(select(Case.id).where(Case.owner_id == owner.id)).all()
        picked = rng.sample(list(ids), min(args.samples, len(ids)))
        targets = []
        for case_id in picked:
            case = db.session.get(Case, case_id)
            letter = db.session.scalar(select(Letter.public_id).where(
                Letter.case_id == case_id, Letter.debt_ref.is_not(None)).limit(1))
            targets.append((case.public_id, letter))
        granted = db.session.scalars(select(Case.public_id).join(
            CaseGrant, CaseGrant.case_id == Case.id).where(
            CaseGrant.counselor_id == counselor.id, CaseGrant.revoked_at.is_(None))).all()
        n_cases = db.session.scalar(text("SELECT count(*) FROM cases"))
        db.session.remove()

    borrower = app.test_client()
    _log_in(app, borrower, "borrower0@example.com")
    adviser = app.test_client()
    _log_in(app, adviser, "counselor@example.com")
    results: dict[str, list] = defaultdict(list)
    pages = [("case dashboard", "/cases/{c}"), ("plan page", "/cases/{c}/plan"),
             ("letter", "/cases/{c}/letters/{l}")]
    stats.slow.clear()
    for case, letter in targets:
        for name, pattern in pages:
            url = pattern.format(c=case, l=letter)
            results[f"{name} (cold)"].append(_measure(borrower, stats, url))
            results[f"{name} (warm)"].append(_measure(borrower, stats, url))
    for n in range(args.samples):
        results["counselor's caseload (50)"].append(_measure(adviser, stats, "/"))
        results["counselor: a client's case"].append(
            _measure(adviser, stats, f"/cases/{granted[n % len(granted)]}"))

    dialect = args.database.split(":")[0]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{n_cases:,} cases ({dialect}), in process, {args.samples} cases sampled; "
          f"ms per request (load average {load})")
    print(f"{'page':34} {'n':>4} {'p50':>8} {'p95':>8} {'max':>8} {'cpu p50':>8} {'SQL':>11}")
    for name, samples in results.items():
        print(_row(name, samples))

    if args.explain:
        slowest = sorted(((max(t for t, _ in runs), sql, runs[0][1])
                          for sql, runs in stats.slow.items()), reverse=True)[:8]
        with app.app_context(), db.engine.connect() as conn:
            for ms, sql, params in slowest:
                print(f"\n-- {ms:.1f} ms max: {' '.join(sql.split())[:300]}")
                raw = conn.connection.dbapi_connection.cursor()
                raw.execute("EXPLAIN ANALYZE " + sql, params)
                print("\n".join("   " + r[0] for r in raw.fetchall()))


if __name__ == "__main__":
    main()
