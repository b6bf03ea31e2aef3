"""Crash safety: kill -9 the web workers and the queue worker in the middle of
writes and jobs, restart them, and check that nothing was half-saved or lost.

    .venv/bin/python bench/crash.py [--seconds 30] [--kills 2] [--users 4]
                                    [--database URL --reset]

Serves Parley with gunicorn (2 sync workers, loopback) and runs ``parley
worker`` on Redis database 5 (``TEST_REDIS_URL``), with an in-process SMTP
server (aiosmtpd) counting every message. ``--users`` simulated people repeat a
journey: a case, a budget item, two debts, a plan, letters (one e-mailed to its
creditor, the others marked sent), a creditor's reply, a ZIP of the letters, a
second budget item, the contact log's evidence PDF. ``--kills`` times during
the run, every process of the web server and of the queue worker is killed
with SIGKILL (as a power cut would) and started again.

Then, with the worker left to finish (its sweep re-runs what the kills
interrupted), the script checks by SQL: every write that got a success answer
is there; no half-saved case, letter, negotiation or job (the invariants in
:data:`CHECKS`); every job done; no e-mail left on its way; and no e-mail
delivered twice (the SMTP server's count per letter). Prints the figures; exit
status 1 on any problem. Not a test: tests/integration/test_crash_safety.py
runs it small on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.smtp_support import Inbox, free_port  # noqa: E402
from tests.worker_support import (  # noqa: E402
    delete_queue,
    kill,
    queue_name,
    start_worker,
    stop,
    wait_for,
    worker_env,
)
from webapp.crypto import Keyring  # noqa: E402

PASSWORD = "correct horse battery staple"
CREDITOR_DOMAIN = "creditor.example"

#: Invariants: each query returns the rows that break it (none is right).
CHECKS = {
    # a letter is sent with its fingerprint and time, or it is a draft, whole
    "sent letter without its digest or time":
        "SELECT id FROM letters WHERE status = 'sent' AND (sha256 IS NULL OR sha256 = '' "
        "OR sent_at IS NULL)",
    # sending opens the creditor's negotiation in the same transaction
    "sent letter to a creditor without its negotiation":
        "SELECT l.id FROM letters l WHERE l.status = 'sent' AND l.debt_ref IS NOT NULL "
        "AND l.proposal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM negotiations n "
        "WHERE n.proposal_id = l.proposal_id AND n.debt_ref = l.debt_ref)",
    "negotiation without a sent letter":
        "SELECT n.id FROM negotiations n LEFT JOIN letters l ON l.id = n.opened_by_letter_id "
        "WHERE n.opened_by_letter_id IS NOT NULL AND (l.id IS NULL OR l.status <> 'sent')",
    "negotiation event of no case":
        "SELECT e.id FROM negotiation_events e LEFT JOIN cases c ON c.id = e.case_id "
        "WHERE c.id IS NULL",
    "budget item, debt or letter of no case":
        "SELECT b.id FROM budget_items b LEFT JOIN cases c ON c.id = b.case_id WHERE c.id IS NULL "
        "UNION ALL SELECT d.id FROM debts d LEFT JOIN cases c ON c.id = d.case_id "
        "WHERE c.id IS NULL UNION ALL SELECT l.id FROM letters l LEFT JOIN cases c "
        "ON c.id = l.case_id WHERE c.id IS NULL",
    "job not finished after the restart":
        "SELECT id FROM jobs WHERE status NOT IN ('done', 'failed')",
    "finished file job without its file":
        "SELECT id FROM jobs WHERE status = 'done' AND kind <> 'letter_mail' "
        "AND (result IS NULL OR result_name = '')",
    "e-mail still queued or being sent":
        "SELECT id FROM sent_mail WHERE outcome IN ('queued', 'sending')",
    "e-mail sent but its letter not final":
        "SELECT m.id FROM sent_mail m JOIN letters l ON l.id = m.letter_id "
        "WHERE m.outcome = 'sent' AND l.status <> 'sent'",
    "letter e-mailed as sent more than once":
        "SELECT letter_id FROM sent_mail WHERE outcome = 'sent' GROUP BY letter_id "
        "HAVING COUNT(*) > 1",
}


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


class Person:
    """One simulated user; every answer counted, every success noted."""

    def __init__(self, run: Run, n: int):
        self.run, self.n = run, n
        self.http = requests.Session()
        self.email = f"crash{n}@example.com"
        self.token = ""
        #: (letters page, e-mailed letter) of the last round: its ZIP is asked for next
        self.previous: tuple[str, str] | None = None

    def _count(self, response: requests.Response) -> requests.Response:
        self.run.count(f"{response.status_code // 100}xx")
        return response

    def get(self, path: str) -> requests.Response:
        response = self._count(self.http.get(self.run.base + path, timeout=60))
        self.token = _csrf(response.text) or self.token
        return response

    def post(self, path: str, data: dict | None = None) -> requests.Response:
        return self._count(self.http.post(self.run.base + path, data={
            "csrf_token": self.token, **(data or {})}, allow_redirects=False, timeout=60))

    def saved(self, kind: str, label: str, response: requests.Response) -> bool:
        ok = response.status_code in (302, 303)
        if ok:
            self.run.note(kind, label)
        return ok

    def start(self) -> None:
        self.get("/auth/register")
        self.post("/auth/register", {"email": self.email, "password": PASSWORD,
                                     "confirm": PASSWORD, "role": "borrower"})
        self.get("/auth/login")
        self.post("/auth/login", {"email": self.email, "password": PASSWORD})
        link = wait_for(lambda: self.run.verification_link(self.email), timeout=30)
        self.get(link)

    def journey(self, tag: str) -> None:
        self.get("/cases/new")
        made = self.post("/cases/new", {
            "title": f"Case {tag}", "currency": "GBP", "jurisdiction": "GB",
            "start_date": "2027-01-31", "adults": "1", "children": "0", "min_offer": "1.00",
            "borrower_name": "Sam Crash", "borrower_address": "1 High Street"})
        if not self.saved("cases", f"Case {tag}", made):
            return
        case = made.headers["Location"].replace(self.run.base, "")
        self.get(f"{case}/income/new")
        self.saved("budget_items", f"Wages {tag}", self.post(f"{case}/income/new", {
            "label": f"Wages {tag}", "amount": "1800", "frequency": "monthly",
            "category": "other"}))
        for name, email in (("Card", f"card-{tag}@{CREDITOR_DOMAIN}"), ("Loan", "")):
            self.get(f"{case}/debts/new")
            self.saved("debts", f"{name} {tag}", self.post(f"{case}/debts/new", {
                "creditor": f"{name} {tag}", "kind": "credit_card", "balance": "4000",
                "apr": "22", "contractual_payment": "900", "priority": "auto",
                "account_ref": f"{name.upper()}-{tag}", "creditor_email": email}))
        offered = re.findall(r'name="strategy" value="([a-z_]+)"', self.get(f"{case}/plan").text)
        self.post(f"{case}/plan", {"strategy": offered[0] if offered else "pro_rata"})
        link = re.search(r'href="([^"]*/proposals/[^"/]+/letters)"', self.get(f"{case}/plan").text)
        if link:
            letters = link.group(1)
            self.get(letters)
            self.post(letters, {"letter_type": "proposal", "language": "en"})
            page = self.get(letters).text
            mailed = ""
            for letter in sorted(set(re.findall(r'href="([^"]+/letters/[A-Za-z0-9_-]{16})"',
                                                page))):
                html = self.get(letter).text
                if re.search(r'action="[^"]+/send"', html):
                    if self.saved("mails_queued", f"CARD-{tag}", self.post(letter + "/send")):
                        self.run.note("letter_ids", letter.rsplit("/", 1)[1])
                        mailed = letter
                elif "Loan" in html and "Mark as sent" in html:
                    self.saved("letters_sent", letter.rsplit("/", 1)[1], self.post(
                        letter + "/mark-sent", {"sent_on": time.strftime("%Y-%m-%d"),
                                                "channel": "post"}))
            # The ZIP of the previous round's letters: settled by now (a ZIP asked
            # for while the worker freezes a letter is refused as out of date).
            if self.previous and "This letter is final" in self.get(self.previous[1]).text:
                self.get(self.previous[0])
                self.saved("zips", tag, self.post(self.previous[0] + ".zip"))
            self.previous = (letters, mailed) if mailed else None
        page = self.get(case).text
        # the loan's negotiation: its letter went by post (the card's waits for the worker)
        for ref in [r for r in re.findall(r'/creditors/([^"/?#]+)"', page) if "loan" in r][:1]:
            self.get(f"{case}/creditors/{ref}")
            self.saved("negotiation_events", f"reply {tag}", self.post(
                f"{case}/creditors/{ref}", {"type": "accepted", "on": time.strftime("%Y-%m-%d"),
                                            "monthly": "40",
                                            "first_payment": time.strftime("%Y-%m-%d"),
                                            "channel": "phone", "notes": f"reply {tag}"}))
        self.get(f"{case}/expense/new")
        self.saved("budget_items", f"Rent {tag}", self.post(f"{case}/expense/new", {
            "label": f"Rent {tag}", "amount": "700", "frequency": "monthly",
            "category": "housing"}))
        if self.get(f"{case}/contacts/evidence.pdf").status_code in (200, 202):
            self.run.count("evidence_asked")


class Run:
    def __init__(self, env: dict, port: int, inbox: Inbox):
        self.env, self.port, self.inbox = env, port, inbox
        self.base = f"http://127.0.0.1:{port}"
        self.lock = threading.Lock()
        self.stats: Counter = Counter()
        self.written: dict[str, list[str]] = {}
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.interrupted: Counter = Counter()

    def count(self, key: str) -> None:
        with self.lock:
            self.stats[key] += 1

    def note(self, kind: str, label: str) -> None:
        with self.lock:
            self.written.setdefault(kind, []).append(label)

    def verification_link(self, email: str) -> str | None:
        from tests.smtp_support import verification_link

        for message in self.inbox.messages():
            if message["To"] == email and "Verify" in str(message["Subject"]):
                return verification_link(message)
        return None

    def start_web(self) -> None:
        self.web = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b",
             f"127.0.0.1:{self.port}", "--log-level", "critical", "webapp:create_app()"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)

        def up():
            try:
                return requests.get(self.base + "/healthz", timeout=5).ok
            except requests.RequestException:
                return False
        wait_for(up, timeout=60)

    def start_worker(self, log: Path) -> None:
        self.worker = start_worker(self.env, log)

    def crash(self, engine, log: Path) -> None:
        """kill -9 everything while a job runs (waiting up to 10 s for one), note
        the work left half-done, start again."""
        with engine.connect() as conn:
            def running():
                conn.rollback()
                return conn.scalar(text("SELECT COUNT(*) FROM jobs WHERE status = 'running'"))
            try:
                wait_for(running, timeout=10, every=0.05)
            except AssertionError:
                pass
        kill(self.web)
        kill(self.worker)
        with engine.connect() as conn:
            self.interrupted["jobs"] += conn.scalar(text(
                "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')"))
            self.interrupted["mails"] += conn.scalar(text(
                "SELECT COUNT(*) FROM sent_mail WHERE outcome IN ('queued', 'sending')"))
        self.count("kills")
        self.start_worker(log)
        self.start_web()


def _drive(person: Person, until: float, run: Run) -> None:
    rounds = 0
    started = False
    while time.monotonic() < until:
        try:
            if not started:
                person.start()
                started = True
            person.journey(f"u{person.n}r{rounds}")
        except (requests.RequestException, AssertionError):
            run.count("connection errors")  # the server was killed under it
            time.sleep(0.5)
        rounds += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--database", help="postgresql://... (default: a new SQLite file)")
    parser.add_argument("--reset", action="store_true", help="empty that database first")
    args = parser.parse_args(argv)
    from aiosmtpd.controller import Controller

    from webapp.config import normalise_database_url

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{tmp}/crash.sqlite"
        engine = create_engine(normalise_database_url(url))
        if args.reset and engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        inbox = Inbox()
        smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
        smtp.start()
        queue = queue_name()
        # One key for the servers and for reading the notes back (they are
        # stored encrypted, webapp.crypto).
        key = Fernet.generate_key().decode()
        env = worker_env(url, queue, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port),
                         MAIL_FROM="letters@parley.example", MAIL_PER_DAY="10000",
                         RATELIMIT_ENABLED="0", UPLOAD_DIR=f"{tmp}/uploads",
                         PARLEY_ENCRYPTION_KEYS=key)
        subprocess.run([sys.executable, "-c", "from webapp import create_app;"
                        "from webapp.commands.serve import upgrade_database;"
                        "upgrade_database(create_app())"], cwd=ROOT, env=env, check=True)
        run = Run(env, free_port(), inbox)
        log = Path(tmp) / "worker.log"
        started = time.monotonic()
        try:
            run.start_web()
            run.start_worker(log)
            until = time.monotonic() + args.seconds
            people = [Person(run, n) for n in range(args.users)]
            threads = [threading.Thread(target=_drive, args=(p, until, run)) for p in people]
            for t in threads:
                t.start()
            for k in range(args.kills):
                time.sleep(max(0.0, started + args.seconds * (k + 1) / (args.kills + 1)
                               - time.monotonic()))
                run.crash(engine, log)
            for t in threads:
                t.join()
            # The restarted worker's sweep finishes what the kills interrupted.
            # It gets as long as it keeps finishing jobs: a faster web server
            # queues more work in the same seconds, and one worker prints each
            # PDF in about a second. Stuck is no job finished for 60 s (or 10 min
            # in all): then the report counts what is left.
            with engine.connect() as conn:
                def unfinished() -> int:
                    conn.rollback()
                    return conn.scalar(text(
                        "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')"))

                left, last_progress, give_up = unfinished(), time.monotonic(), \
                    time.monotonic() + 600
                while left and time.monotonic() - last_progress < 60 \
                        and time.monotonic() < give_up:
                    time.sleep(0.5)
                    now_left = unfinished()
                    if now_left < left:
                        last_progress = time.monotonic()
                    left = now_left
            problems = report(run, engine, inbox, time.monotonic() - started, Keyring([key]))
            if problems and log.exists():  # what the worker said, for the one reading the failure
                print("worker log (last 40 lines):")
                print("\n".join(log.read_text(errors="replace").splitlines()[-40:]))
        finally:
            for process in (run.web, run.worker):
                if process is not None:
                    stop(process)
            smtp.stop()
            delete_queue(queue)
            engine.dispose()
    return 1 if problems else 0


#: Where each kind of write leaves its label: (SQL giving the labels stored).
STORED = {
    "cases": "SELECT title FROM cases",
    "budget_items": "SELECT label FROM budget_items",
    "debts": "SELECT creditor FROM debts",
    "negotiation_events": "SELECT notes FROM negotiation_events",
    "letters_sent": "SELECT public_id FROM letters WHERE status = 'sent'",
    "letter_ids": "SELECT l.public_id FROM letters l JOIN sent_mail m ON m.letter_id = l.id",
}


#: What STORED reads that is kept encrypted (webapp.crypto): decrypted to compare.
ENCRYPTED = {"negotiation_events"}


def report(run: Run, engine, inbox: Inbox, elapsed: float,  # float ok (seconds)
           keyring: Keyring) -> int:
    problems = 0
    lost = Counter()
    with engine.connect() as conn:
        for kind, sql in STORED.items():
            stored = set(conn.scalars(text(sql)))
            if kind in ENCRYPTED:
                stored = {keyring.decrypt(value) if value else value for value in stored}
            lost[kind] = sum(1 for label in run.written.get(kind, []) if label not in stored)
        broken = {name: len(conn.execute(text(sql)).all()) for name, sql in CHECKS.items()}
        outcomes = Counter(dict(conn.execute(text(
            "SELECT outcome, COUNT(*) FROM sent_mail GROUP BY outcome")).all()))
        jobs = Counter(dict(conn.execute(text(
            "SELECT kind || ' ' || status, COUNT(*) FROM jobs GROUP BY kind, status")).all()))
        if engine.dialect.name == "sqlite":
            broken["sqlite integrity_check"] = int(
                conn.scalar(text("PRAGMA integrity_check")) != "ok")
    # Each creditor's letter carries its account reference in the subject.
    per_letter = Counter(m["Subject"] for m in inbox.messages()
                         if str(m["To"]).endswith("@" + CREDITOR_DOMAIN))
    twice = sum(1 for n in per_letter.values() if n > 1)
    delivered = sum(per_letter.values())
    # A mail recorded sent must have arrived; an uncertain one may or may not have.
    missing = outcomes["sent"] - sum(min(n, 1) for n in per_letter.values())
    s = run.stats
    checked = sum(len(v) for k, v in run.written.items() if k in STORED)
    print(f"{engine.dialect.name}, gunicorn -w 2 + parley worker, {elapsed:.0f} s, "
          f"kill -9 of the web server and the queue worker: {s['kills']} time(s)")
    print(f"requests: 2xx {s['2xx']}, 3xx {s['3xx']}, 4xx {s['4xx']}, 5xx {s['5xx']}; "
          f"connection errors (the kills) {s['connection errors']}")
    print(f"writes answered as saved and checked: {checked} ("
          + ", ".join(f"{k} {len(v)}" for k, v in sorted(run.written.items())
                      if k in STORED) + f"); lost: {sum(lost.values())}")
    print("other answers: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(run.written.items())
                                        if k not in STORED))
    print(f"work in flight at the kills: jobs {run.interrupted['jobs']}, "
          f"e-mails {run.interrupted['mails']}")
    print("jobs after restart: " + ", ".join(f"{k} {v}" for k, v in sorted(jobs.items())))
    print(f"e-mails: queued by the web {len(run.written.get('mails_queued', []))}; "
          f"sent {outcomes['sent']}, uncertain (user asked) {outcomes['uncertain']}, failed "
          f"{outcomes['failed']}; delivered to creditors {delivered}, "
          f"delivered twice {twice}, recorded sent but not delivered {max(missing, 0)}")
    for name, n in broken.items():
        print(f"  {name}: {n}")
    problems = (s["5xx"] + sum(lost.values()) + sum(broken.values()) + twice
                + max(missing, 0))
    print("consistent: " + ("yes" if not problems else f"NO ({problems} problem(s))"))
    return problems


if __name__ == "__main__":
    sys.exit(main())
