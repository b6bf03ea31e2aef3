"""Parley's key pages under load, against the ceiling of a minimal Flask endpoint.

    .venv/bin/python bench/web.py [--duration 10] [--connections 16] [--workers 2]
                                  [--database URL --reset] [--app-dir DIR]

One run starts two servers the same way (gunicorn, ``--workers`` sync workers,
loopback): a minimal Flask app answering ``ok``, and Parley on a fresh database
holding one borrower with the ``gb-family`` example case (a saved proposal and
its letters). ``wrk`` (Debian's package; ``scripts/setup.sh dev`` installs it)
then loads each URL in turn, logged in where the page needs it, and the script
prints requests per second, p50/p95/p99 latency and the ratio to the ceiling.
The minimal endpoint is loaded first and again last: the ceiling is the mean of
the two (both are printed), so a machine slowing down or speeding up over the
run does not favour or penalise the pages measured early.
Every answer must be a 200: a run with any other status is reported and exits 1.

Rate limits are switched off (``RATELIMIT_ENABLED=0``): the load comes from one
address, and the limiter would answer most of it with 429. Pages are measured
as a user gets them, sessions and security headers included. The same page is
asked for again and again, so after the first answer the case pages come from
the page cache (``webapp/page_cache.py``, through ``webapp/fast_pages.py``) and
the API's plan from the answers kept for the same body
(``webapp/answer_cache.py``): what a reload costs. ``--page-cache-size 0``
switches both off: every page is rendered and every plan computed, as a first
look at a changed case is.

``--app-dir`` serves another checkout of Parley (``git archive`` of an older
commit) with this venv, for a before/after on the same machine. It is not a
test: tests/integration/test_page_output.py keeps the pages' output identical.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
EMAIL, PASSWORD = "bench@example.com", "correct horse battery staple"

MINIMAL_APP = """
from flask import Flask
app = Flask(__name__)

@app.get("/")
def index():
    return "ok"
"""

#: wrk script: the method, body and headers come from the environment; done()
#: prints one JSON line with the figures (latencies in microseconds).
WRK_LUA = r"""
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY_FILE")
if body then
  local f = io.open(body, "rb"); wrk.body = f:read("*a"); f:close()
  wrk.headers["Content-Type"] = "application/json"
end
local cookie = os.getenv("BENCH_COOKIE")
if cookie then wrk.headers["Cookie"] = cookie end
-- the browser that logged in: Flask-Login's session protection compares it, and
-- another one makes every answer set a new session cookie
wrk.headers["User-Agent"] = "parley-bench"
local non200 = 0
response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %d, "p95": %d, "p99": %d, '
    .. '"errors": %d, "non200": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status, non200))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(target: str, cwd: Path, env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-b",
         f"127.0.0.1:{port}", "--log-level", "critical", target],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            requests.get(base + "/", timeout=10)
            return server, base
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not start {target}")


def _seed(app_dir: Path, env: dict) -> dict[str, str]:
    """Migrate the database and store the bench's borrower, case, proposal and letters
    (in a child process, so ``--app-dir`` seeds with its own code)."""
    script = textwrap.dedent(f"""
        import json, sys
        from webapp import create_app
        from webapp.commands.serve import upgrade_database
        from webapp.extensions import db
        from webapp.services import accounts, cases, proposals
        from webapp.services.letters import default_type, generate_for_proposal

        app = create_app()
        upgrade_database(app)
        with app.app_context():
            user = accounts.register({EMAIL!r}, {PASSWORD!r}, "borrower")
            data = json.load(open({str(ROOT / "tests/data/examples/gb-family.json")!r}))
            data["borrower"] = {{"name": "Sam Bench", "address": "1 High Street\\nLeeds LS1 1AA"}}
            for n, debt in enumerate(data["debts"]):
                debt["account_ref"] = f"ACC-{{n:04d}}"
            case = cases.import_case(user, json.dumps(data))
            _budget, results, *_rest = proposals.plan_with_advice(case)
            strategy = next(r.name for r in results if r.feasible)
            proposal = proposals.save_proposal(case, strategy)
            kind = default_type(strategy, case.jurisdiction)
            letters = generate_for_proposal(proposal, kind, "en")
            db.session.commit()
            print(json.dumps({{"case": case.public_id, "letter": letters[0].public_id,
                              "strategy": strategy}}))
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=app_dir, env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


#: the one browser of the bench (``requests`` for the log-in, ``wrk`` for the load)
USER_AGENT = "parley-bench"


def _log_in(base: str) -> str:
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    page = http.get(base + "/auth/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = http.post(base + "/auth/login", data={
        "csrf_token": token, "email": EMAIL, "password": PASSWORD}, allow_redirects=False)
    if answer.status_code != 302:
        raise SystemExit(f"log in failed: {answer.status_code}")
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def _wrk(url: str, args, lua: Path, **env: str) -> dict:
    run_env = {**os.environ, **env}
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "-s", str(lua), url]
    subprocess.run([*command[:-1], "-d2s", url], env=run_env, check=True,
                   capture_output=True)  # warm-up: imports, caches, connections
    out = subprocess.run([*command[:-1], f"-d{args.duration}s", url], env=run_env, check=True,
                         capture_output=True, text=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--database", help="postgresql://... (default: a new SQLite file)")
    parser.add_argument("--reset", action="store_true", help="empty that database first")
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    parser.add_argument("--page-cache-size", type=int, default=None,
                        help="PAGE_CACHE_SIZE of the served app (0: every page rendered "
                             "and every plan computed: PLAN_CACHE_BYTES=0 as well)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: bash scripts/setup.sh dev installs it")
    app_dir = args.app_dir.resolve()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = args.database or f"sqlite:///{tmp}/bench.sqlite"
        if args.reset and args.database:
            from sqlalchemy import create_engine, text

            from webapp.config import normalise_database_url

            engine = create_engine(normalise_database_url(url))
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench",
               "RATELIMIT_ENABLED": "0", "PYTHONPATH": str(app_dir)}
        env.pop("REDIS_URL", None)
        if args.page_cache_size is not None:
            env["PAGE_CACHE_SIZE"] = str(args.page_cache_size)
            if args.page_cache_size == 0:
                env["PLAN_CACHE_BYTES"] = "0"
        seeded = _seed(app_dir, env)
        (tmp / "minimal.py").write_text(MINIMAL_APP)
        (tmp / "bench.lua").write_text(WRK_LUA)
        plan_body = tmp / "plan.json"
        plan_body.write_text((ROOT / "tests/data/examples/gb-family.json").read_text())
        servers = []
        try:
            minimal, minimal_base = _gunicorn("minimal:app", tmp, {**os.environ}, args.workers)
            servers.append(minimal)
            parley, base = _gunicorn("webapp:create_app()", app_dir, env, args.workers)
            servers.append(parley)
            cookie = _log_in(base)
            case = f"/cases/{seeded['case']}"
            targets = [
                ("minimal Flask endpoint (ceiling)", minimal_base + "/", {}),
                ("/healthz", base + "/healthz", {}),
                ("case dashboard", base + case, {"BENCH_COOKIE": cookie}),
                ("plan page", base + case + "/plan", {"BENCH_COOKIE": cookie}),
                ("letter preview", f"{base}{case}/letters/{seeded['letter']}",
                 {"BENCH_COOKIE": cookie}),
                ("POST /api/v1/plan", base + "/api/v1/plan",
                 {"BENCH_METHOD": "POST", "BENCH_BODY_FILE": str(plan_body)}),
            ]
            # The ceiling again at the end: the machine drifts over a run (its
            # clock, its other load), and the pages are compared with the mean of both.
            targets.append(("minimal Flask endpoint (again)", minimal_base + "/", {}))
            results = [(name, _wrk(target, args, tmp / "bench.lua", **env_))
                       for name, target, env_ in targets]
        finally:
            for server in servers:
                server.terminate()
                server.wait(10)
    ceiling = (results[0][1]["rps"] + results[-1][1]["rps"]) / 2
    db_name = "PostgreSQL" if args.database else "SQLite"
    cached = ("" if args.page_cache_size is None else
              f", PAGE_CACHE_SIZE={args.page_cache_size}"
              + (", PLAN_CACHE_BYTES=0" if args.page_cache_size == 0 else ""))
    print(f"gunicorn -w {args.workers} (sync), {db_name}, wrk -t{args.threads} "
          f"-c{args.connections} -d{args.duration}s on loopback{cached}, app from {app_dir}")
    print(f"{'page':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'ceiling':>8}")
    bad = False
    for name, f in results:
        print(f"{name:34} {f['rps']:8.0f} {f['p50'] / 1000:8.1f} {f['p95'] / 1000:8.1f} "
              f"{f['p99'] / 1000:8.1f} {f['rps'] / ceiling:8.2f}")
        if f["non200"] or f["errors"]:
            bad = True
            print(f"  !! {f['non200']} answers other than 200, {f['errors']} socket errors")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
