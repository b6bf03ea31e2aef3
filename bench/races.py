"""Race Parley against itself as the review did: gunicorn, 2 workers, real HTTP.

    .venv/bin/python bench/races.py [--rounds 40] [--database URL --reset] [--app-dir DIR]

Prints, per race, how many rounds went wrong: server errors (5xx), duplicate
debts from one double-submitted form, extra drafts from writing a proposal's
letters twice at once, sent letters whose stored HTML does not match their
SHA-256, and stale saves that silently overwrote a newer one. It is not a test
(tests/integration/test_*races*.py and test_concurrent_edits.py are).

Without ``--database`` it uses a fresh SQLite file. With a PostgreSQL URL the
database must be empty, or ``--reset`` drops and recreates its ``public``
schema: give it a scratch database only. ``--app-dir`` serves another checkout
of Parley (e.g. an older commit exported with ``git archive``) with this venv,
to measure before and after on the same machine.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from hashlib import sha256
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _field(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html)
    return match.group(1) if match else ""


class Browser:
    """One logged-in session, posting forms with their CSRF token."""

    def __init__(self, base: str):
        self.base, self.http = base, requests.Session()

    def form(self, path: str) -> dict[str, str]:
        html = self.http.get(self.base + path).text
        return {name: _field(html, name) for name in ("csrf_token", "version", "form_token")}

    def post(self, path: str, data: dict, form: dict | None = None) -> requests.Response:
        form = form if form is not None else self.form(path if "/new" in path or
                                                       path.endswith("/edit") else "/")
        fields = {k: v for k, v in form.items() if v}
        return self.http.post(self.base + path, data={**fields, **data}, allow_redirects=False)


def _codes(pairs: Counter) -> str:
    return ", ".join(f"{a}+{b}: {n}" for (a, b), n in sorted(pairs.items()))


def race(*calls):
    barrier, out = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        barrier.wait()
        out[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def _serve(app_dir: Path, env: dict, workers: int = 2) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    subprocess.run([sys.executable, "-c", "from webapp import create_app;"
                    "from webapp.commands.serve import upgrade_database;"
                    "upgrade_database(create_app())"], cwd=app_dir, env=env, check=True)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-b",
         f"127.0.0.1:{port}",
         "--log-level", "critical", "webapp:create_app()"],
        cwd=app_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            requests.get(base + "/healthz", timeout=10)
            return server, base
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def _setup(base: str) -> tuple[Browser, Browser, str]:
    a, b = Browser(base), Browser(base)
    form = a.form("/auth/register")
    a.post("/auth/register", {"email": "race@example.com", "password": PASSWORD,
                              "confirm": PASSWORD, "role": "borrower"}, form)
    b.post("/auth/login", {"email": "race@example.com", "password": PASSWORD},
           b.form("/auth/login"))
    case = a.post("/cases/new", {"title": "Race", "currency": "GBP", "jurisdiction": "GB",
                                 "start_date": "2027-01-31", "adults": "1", "children": "0",
                                 "min_offer": "1.00", "term_apr": "0",
                                 "pro_rata_basis": "balance", "borrower_name": "Sam"})
    path = case.headers["Location"].replace(base, "")
    a.post(f"{path}/income/new", {"label": "Wages", "amount": "2000", "frequency": "monthly",
                                  "category": "other"})
    return a, b, path


DEBT = {"kind": "credit_card", "balance": "3000", "apr": "20", "contractual_payment": "90",
        "priority": "auto"}


def measure(base: str, engine, rounds: int) -> dict[str, str]:
    a, b, case = _setup(base)
    out = {}

    # 1. a double-submitted "add debt": the same form posted twice at once
    errors = dupes = 0
    codes: Counter = Counter()
    for n in range(rounds):
        form = a.form(f"{case}/debts/new")
        data = {**DEBT, "creditor": f"Lender {n}"}
        theirs = {**form, "csrf_token": b.form("/")["csrf_token"]}
        results = race(partial(a.post, f"{case}/debts/new", data, form),
                       partial(b.post, f"{case}/debts/new", data, theirs))
        codes[tuple(sorted(r.status_code for r in results))] += 1
        errors += any(r.status_code >= 500 for r in results)
        with engine.connect() as conn:
            dupes += conn.scalar(text("SELECT count(*) FROM debts WHERE creditor = :c"),
                                 {"c": f"Lender {n}"}) > 1
    out["double add debt: rounds with a 5xx"] = f"{errors} of {rounds}"
    out["double add debt: rounds saving two debts"] = f"{dupes} of {rounds}"
    out["double add debt: answers"] = _codes(codes)

    # 2. edit and delete the same debt at once
    errors, codes = 0, Counter()
    for n in range(rounds):
        a.post(f"{case}/debts/new", {**DEBT, "creditor": f"Gone {n}"})
        with engine.connect() as conn:
            debt_id = conn.scalar(text("SELECT max(id) FROM debts"))
        edit = f"{case}/debts/{debt_id}/edit"
        form = a.form(edit)
        data = {**DEBT, "creditor": f"Gone {n}", "balance": "1"}
        delete = b.form("/")
        results = race(partial(a.post, edit, data, form),
                       partial(b.post, f"{case}/debts/{debt_id}/delete", {}, delete))
        codes[tuple(r.status_code for r in results)] += 1
        errors += any(r.status_code >= 500 for r in results)
    out["edit and delete at once: rounds with a 5xx"] = f"{errors} of {rounds}"
    out["edit and delete at once: answers (edit+delete)"] = _codes(codes)

    # 3. a stale save (two tabs): B saves a form loaded before A's save
    silent = 0
    a.post(f"{case}/debts/new", {**DEBT, "creditor": "Tab"})
    with engine.connect() as conn:
        debt_id = conn.scalar(text("SELECT max(id) FROM debts"))
    edit = f"{case}/debts/{debt_id}/edit"
    for n in range(min(rounds, 10)):
        mine, theirs = a.form(edit), b.form(edit)
        a.post(edit, {**DEBT, "creditor": "Tab", "balance": f"{n + 100}"}, mine)
        stale = b.post(edit, {**DEBT, "creditor": "Tab", "balance": f"{n + 200}"}, theirs)
        silent += stale.status_code == 302
    out["stale save: silent overwrites"] = f"{silent} of {min(rounds, 10)}"

    # 4. letters: write them twice at once; mark sent and edit at once
    plan = a.post(f"{case}/plan", {"strategy": "pro_rata"})
    letters = plan.headers["Location"].replace(base, "").split("#")[0]
    if not letters.endswith("/letters"):
        letters = a.http.get(base + letters).text
        letters = re.search(r'href="([^"]+/letters)"', letters).group(1)
    with engine.connect() as conn:
        proposal = conn.scalar(text("SELECT max(id) FROM proposals"))
        creditors = conn.scalar(text("SELECT count(*) FROM debts"))
    errors = extra = 0
    codes = Counter()
    for _ in range(rounds):
        data = {"letter_type": "proposal", "language": "en"}
        results = race(partial(a.post, letters, data, a.form("/")),
                       partial(b.post, letters, data, b.form("/")))
        codes[tuple(sorted(r.status_code for r in results))] += 1
        errors += any(r.status_code >= 500 for r in results)
        with engine.connect() as conn:
            drafts = conn.scalar(text("SELECT count(*) FROM letters WHERE proposal_id = :p "
                                      "AND status = 'draft'"), {"p": proposal})
        extra += drafts > creditors + 1
    out["write letters twice at once: rounds with a 5xx"] = f"{errors} of {rounds}"
    out["write letters twice at once: rounds leaving two sets"] = f"{extra} of {rounds}"
    out["write letters twice at once: answers"] = _codes(codes)

    errors, codes = 0, Counter()
    today = datetime.now(UTC).date().isoformat()
    for n in range(rounds):
        a.post(letters, {"letter_type": "proposal", "language": "en"})
        with engine.connect() as conn:
            public_id = conn.scalar(text(
                "SELECT public_id FROM letters WHERE proposal_id = :p AND status = 'draft' "
                "AND debt_ref IS NOT NULL ORDER BY id LIMIT 1"), {"p": proposal})
        url = f"{case}/letters/{public_id}"
        form = a.form(url + "/edit")
        results = race(
            partial(a.post, url + "/edit", {"body_text": f"Round {n}."}, form),
            partial(b.post, url + "/mark-sent", {"sent_on": today, "channel": "post"},
                    b.form("/")))
        codes[tuple(r.status_code for r in results)] += 1
        errors += any(r.status_code >= 500 for r in results)
    with engine.connect() as conn:
        sent = conn.execute(text("SELECT html, sha256 FROM letters WHERE status = 'sent'")).all()
    broken = sum(sha256(html.encode()).hexdigest() != digest for html, digest in sent)
    out["mark sent and edit at once: rounds with a 5xx"] = f"{errors} of {rounds}"
    out["mark sent and edit at once: answers (edit+mark)"] = _codes(codes)
    out["sent letters whose HTML does not match the SHA-256"] = f"{broken} of {len(sent)}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--database", help="postgresql://... (default: a new SQLite file)")
    parser.add_argument("--reset", action="store_true", help="empty that database first")
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{tmp}/races.sqlite"
        from webapp.config import normalise_database_url

        engine = create_engine(normalise_database_url(url))
        if args.reset and engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": "0",
               "PYTHONPATH": str(args.app_dir)}
        server, base = _serve(args.app_dir.resolve(), env)
        try:
            started = time.perf_counter()
            figures = measure(base, engine, args.rounds)
        finally:
            server.terminate()
            server.wait(10)
        print(f"{engine.dialect.name}, gunicorn -w 2, {args.rounds} rounds per race, "
              f"app from {args.app_dir} ({time.perf_counter() - started:.0f} s)")
        for name, value in figures.items():
            print(f"  {name:55} {value}")
        engine.dispose()


if __name__ == "__main__":
    main()
