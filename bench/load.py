"""Fifty people using Parley at once: zero server errors, and no write lost.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 4]
                                   [--database URL --reset]

Serves Parley with gunicorn (``--workers`` sync workers, loopback only) on a
fresh database (SQLite by default; a PostgreSQL URL with ``--reset`` empties
that scratch database first). Each simulated user registers, logs in, then for
``--seconds`` repeats the whole journey: create a case, add income and an
expense, add debts, open the plan, save a proposal, write its letters, record a
creditor's reply and a payment, log a collection contact, open the case page.

Every write that got a success answer (a redirect to the new thing) is noted
with a unique label. At the end the script counts, in the database, the rows
behind those answers: a write that was answered "saved" but is not there is a
lost write. Prints requests, answers by status class, writes checked and lost.
Rate limits are off (all users share one address). Not a test: a run takes a
minute; tests/integration covers each path.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from races import _serve  # noqa: E402  (same server start-up as the race bench)

from webapp.crypto import Keyring  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


class User:
    def __init__(self, base: str, n: int, stats: Counter, written: dict, lock: threading.Lock):
        self.base, self.n, self.stats, self.written, self.lock = base, n, stats, written, lock
        self.http = requests.Session()
        self.email = f"load{n}@example.com"
        self.token = ""

    def _count(self, response: requests.Response) -> requests.Response:
        with self.lock:
            self.stats["requests"] += 1
            self.stats[f"{response.status_code // 100}xx"] += 1
            if response.status_code >= 400:
                where = re.sub(r"/[A-Za-z0-9_-]{16}(?=/|$)", "/ID", response.request.path_url)
                self.stats[f"{response.status_code} {response.request.method} "
                           f"{where.split('?')[0][:60]}"] += 1
        return response

    def get(self, path: str) -> requests.Response:
        response = self._count(self.http.get(self.base + path, timeout=60))
        token = _csrf(response.text)
        if token:
            self.token = token
        return response

    def post(self, path: str, data: dict) -> requests.Response:
        return self._count(self.http.post(self.base + path, data={
            "csrf_token": self.token, **data}, allow_redirects=False, timeout=60))

    def saved(self, kind: str, label: str, response: requests.Response) -> bool:
        ok = response.status_code in (302, 303)
        if ok:
            with self.lock:
                self.written.setdefault(kind, []).append(label)
        return ok

    def start(self) -> None:
        self.get("/auth/register")
        self.post("/auth/register", {"email": self.email, "password": PASSWORD,
                                     "confirm": PASSWORD, "role": "borrower"})
        self.get("/auth/login")
        self.post("/auth/login", {"email": self.email, "password": PASSWORD})

    def journey(self, round_: int) -> None:
        tag = f"u{self.n}r{round_}"
        self.get("/cases/new")
        made = self.post("/cases/new", {
            "title": f"Case {tag}", "currency": "GBP", "jurisdiction": "GB",
            "start_date": "2027-01-31", "adults": "1", "children": "0", "min_offer": "1.00",
            "borrower_name": "Sam Load", "borrower_address": "1 High Street"})
        if not self.saved("cases", f"Case {tag}", made):
            return
        case = made.headers["Location"].replace(self.base, "")
        self.get(f"{case}/income/new")
        self.saved("budget_items", f"Wages {tag}", self.post(f"{case}/income/new", {
            "label": f"Wages {tag}", "amount": "1800", "frequency": "monthly",
            "category": "other"}))
        self.get(f"{case}/expense/new")
        self.saved("budget_items", f"Rent {tag}", self.post(f"{case}/expense/new", {
            "label": f"Rent {tag}", "amount": "700", "frequency": "monthly",
            "category": "housing"}))
        for k in range(3):
            self.get(f"{case}/debts/new")
            self.saved("debts", f"Lender {tag} {k}", self.post(f"{case}/debts/new", {
                "creditor": f"Lender {tag} {k}", "kind": "credit_card", "balance": "4000",
                "apr": "22", "contractual_payment": "450", "priority": "auto",
                "account_ref": f"AC{k}"}))
        offered = re.findall(r'name="strategy" value="([a-z_]+)"', self.get(f"{case}/plan").text)
        plan = self.post(f"{case}/plan", {"strategy": offered[0] if offered else "pro_rata"})
        today = time.strftime("%Y-%m-%d", time.gmtime())
        link = re.search(r'href="([^"]*/proposals/[^"/]+/letters)"',
                         self.get(f"{case}/plan").text) if plan.status_code == 302 else None
        if link:
            letters = link.group(1)
            self.get(letters)
            self.post(letters, {"letter_type": "proposal", "language": "en"})
            page = self.get(letters).text
            sent = sorted(set(re.findall(r'href="([^"]+/letters/[A-Za-z0-9_-]{16})"', page)))
            for letter in sent:  # every creditor's letter (and the budget statement)
                self.get(letter)
                self.saved("letters_sent", letter.rsplit("/", 1)[1], self.post(
                    letter + "/mark-sent", {"sent_on": today, "channel": "post"}))
        page = self.get(case)
        waiting = re.findall(r'/creditors/([^"/?#]+)"', page.text)
        for ref in waiting[:1]:
            self.get(f"{case}/creditors/{ref}")
            self.saved("negotiation_events", f"reply {tag}", self.post(
                f"{case}/creditors/{ref}", {"type": "accepted", "on": today, "monthly": "40",
                                            "first_payment": today, "channel": "phone",
                                            "notes": f"reply {tag}"}))
            self.saved("negotiation_events", f"paid {tag}", self.post(
                f"{case}/creditors/{ref}", {"type": "payment", "on": today, "amount": "40",
                                            "notes": f"paid {tag}"}))
        self.get(f"{case}/contacts")
        self.saved("collection_contacts", f"call {tag}", self.post(f"{case}/contacts", {
            "on": "2026-11-20", "at": "21:30", "channel": "call", "connected": "y",
            "party": "borrower", "collector": "Collections Ltd", "notes": f"call {tag}",
            "debt_ref": waiting[0] if waiting else ""}))
        self.get(case)


def _run(user: User, until: float, errors: list) -> None:
    try:
        user.start()
        round_ = 0
        while time.monotonic() < until:
            user.journey(round_)
            round_ += 1
    except requests.RequestException as exc:  # a dropped connection is a failure too
        errors.append(type(exc).__name__)


#: Where each kind of write leaves its label.
LABEL_COLUMN = {"cases": "title", "budget_items": "label", "debts": "creditor",
                "negotiation_events": "notes", "collection_contacts": "notes",
                "letters_sent": "public_id"}
#: The table behind each kind, and the condition a row must meet.
TABLE = {"letters_sent": "letters WHERE status = 'sent'"}
#: Labels kept encrypted at rest (webapp.crypto): decrypted to compare.
ENCRYPTED = {"negotiation_events", "collection_contacts"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database", help="postgresql://... (default: a new SQLite file)")
    parser.add_argument("--reset", action="store_true", help="empty that database first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{tmp}/load.sqlite"
        from webapp.config import normalise_database_url

        engine = create_engine(normalise_database_url(url))
        if args.reset and engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        key = Fernet.generate_key().decode()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load", "PYTHONPATH": str(ROOT),
               "RATELIMIT_ENABLED": "0", "WEB_CONCURRENCY": str(args.workers),
               "PARLEY_ENCRYPTION_KEYS": key}
        server, base = _serve(ROOT, env, workers=args.workers)
        stats: Counter = Counter()
        written: dict[str, list[str]] = {}
        errors: list[str] = []
        lock = threading.Lock()
        users = [User(base, n, stats, written, lock) for n in range(args.users)]
        until = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [threading.Thread(target=_run, args=(u, until, errors)) for u in users]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            server.terminate()
            server.wait(30)
        elapsed = time.monotonic() - started
        lost = Counter()
        with engine.connect() as conn:
            for kind, labels in written.items():
                column = LABEL_COLUMN[kind]
                table = TABLE.get(kind, kind)
                stored = set(conn.scalars(text(f"SELECT {column} FROM {table}")))
                if kind in ENCRYPTED:
                    stored = {Keyring([key]).decrypt(v) if v else v for v in stored}
                lost[kind] = sum(1 for label in labels if label not in stored)
        engine.dispose()
    checked = sum(len(v) for v in written.values())
    print(f"{engine.dialect.name}, gunicorn -w {args.workers} (sync), {args.users} users, "
          f"{elapsed:.0f} s")
    print(f"requests: {stats['requests']} ({stats['requests'] / elapsed:.0f}/s); "
          f"2xx {stats['2xx']}, 3xx {stats['3xx']}, 4xx {stats['4xx']}, 5xx {stats['5xx']}")
    for key, value in sorted(stats.items()):
        if key[:1] in "45" and " " in key:
            print(f"  {key}: {value}")
    print(f"connection errors: {len(errors)}")
    print(f"writes answered as saved and checked: {checked} "
          f"({', '.join(f'{k} {len(v)}' for k, v in sorted(written.items()))})")
    print(f"writes lost: {sum(lost.values())}" + (f" ({dict(+lost)})" if +lost else ""))
    sys.exit(1 if stats["5xx"] or errors or sum(lost.values()) else 0)


if __name__ == "__main__":
    main()
