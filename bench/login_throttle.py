"""How many login attempts a minute get through ``parley serve``, as the
security review measured it (60 tries within a minute against 2 workers).

    .venv/bin/python bench/login_throttle.py [--workers 2] [--redis redis://127.0.0.1:6379/2]

Starts ``parley serve`` on a free loopback port with a throwaway SQLite database
and the given rate-limit store, registers one account, then posts 60 wrong
logins for 60 different e-mail addresses (per-client limit only) and, as another
client (``X-Forwarded-For`` through ``PROXY_COUNT=1``), 60 for the one account
(per-account limit too), and prints how many were processed (200) and
how many refused (429). Without ``--redis`` and with more than one worker,
``parley serve`` refuses to start: that refusal is printed. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self, base: str, address: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        # As the one trusted proxy (PROXY_COUNT=1) would say it.
        self.opener.addheaders = [("X-Forwarded-For", address)]

    def token(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as r:
            return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                             r.read().decode()).group(1)

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode({"csrf_token": self.token(path), **data}).encode()
        try:
            with self.opener.open(self.base + path, body, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="", help="RATELIMIT_STORAGE_URI (default memory://)")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
               "SECRET_KEY": "bench", "RATELIMIT_STORAGE_URI": args.redis or "memory://",
               "PROXY_COUNT": "1"}
        server = subprocess.Popen(
            [sys.executable, "-c", "from webapp.cli import main; main()", "serve",
             "--port", str(port), "--workers", str(args.workers)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    print(f"parley serve --workers {args.workers} refused to start:")
                    print(server.stderr.read().strip().splitlines()[-1])
                    return
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
            # Addresses and e-mails of this run only: counts in Redis last an hour.
            net = f"198.18.{port % 250}"
            owner = f"owner-{port}@example.com"
            Browser(base, f"{net}.1").post("/auth/register", {
                "email": owner, "password": "correct horse battery",
                "confirm": "correct horse battery", "role": "borrower"})
            store = args.redis or "memory://"
            print(f"parley serve --workers {args.workers}, RATELIMIT_STORAGE_URI={store}, "
                  "default limits (10/min per address, 5/min per account)")
            runs = [("60 addresses tried", f"{net}.10",
                     [f"u{i}-{port}@example.com" for i in range(60)]),
                    ("1 account tried", f"{net}.11", [owner] * 60)]
            for label, client, emails in runs:
                browser = Browser(base, client)  # one client, behind the proxy
                started = time.monotonic()
                codes = Counter(browser.post("/auth/login", {"email": e, "password": "wrong!"})
                                for e in emails)
                print(f"  {label:<20} 60 wrong logins in {time.monotonic() - started:4.1f} s: "
                      f"{codes[200]} processed, {codes[429]} refused (429)")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
