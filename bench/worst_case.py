"""The worst case the limits allow, timed: what one request can make Parley do.

    .venv/bin/python bench/worst_case.py [--repeat 5] [--gunicorn] [--letters]

Prints figures; it is not a test (tests/integration/test_limits.py checks the
limits themselves). The case is ``tests.factories.make_worst_case``: 100 debts,
100 income and 100 expense lines, the longest ids and texts, and a budget that
keeps every debt owing for 600 months in three strategies at once.

1. ``POST /api/v1/plan`` in-process (Flask test client) for each schedule form:
   median and worst time, answer size; and how fast the refusals are (one over a
   limit: 422; a body over the limit: 413; the monthly bound: 422).
2. ``--gunicorn``: the same API under gunicorn (2 sync workers, loopback), and
   ``/healthz`` while two worst-case requests run at once.
3. ``--letters``: the logged-in pages of that case (case, plan) and its letters:
   writing 100 drafts (HTML, in the request) and the ZIP of 101 PDFs (the job).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.factories import make_worst_case  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.domain.limits import MAX_API_BODY  # noqa: E402

CONFIG = {"TESTING": True, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
          "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_FAST": True, "JOBS_BACKEND": "inline"}


def timed(fn, repeat: int) -> tuple[list[float], object]:  # float ok: timings
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def line(label: str, times: list[float], extra: str = "") -> None:  # float ok
    print(f"  {label:<38} median {statistics.median(times) * 1e3:8.1f} ms"
          f"   max {max(times) * 1e3:8.1f} ms   {extra}")


def in_process(repeat: int) -> None:
    app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    client = app.test_client()
    body = json.dumps(make_worst_case(), ensure_ascii=False).encode()
    print(f"worst allowed case: {len(body) / 1024:.0f} KiB of JSON "
          f"(the API takes at most {MAX_API_BODY // 1024} KiB)")
    print("== POST /api/v1/plan, in-process ==")
    for query in ("?schedule=none", "?schedule=yearly", "", "?schedule=monthly"):
        times, response = timed(lambda q=query: client.post(
            "/api/v1/plan" + q, data=body, content_type="application/json"), repeat)
        line(f"{query or '(default: monthly)'}", times,
             f"{response.status_code}  {len(response.data) / 1e6:6.2f} MB")
    # What the bound saves: the monthly answer with no bound (the CLI's output).
    from webapp.domain.casefile import loads
    from webapp.domain.plan import make_plan

    case = loads(body)
    times, text = timed(lambda: json.dumps(make_plan(case), ensure_ascii=False), repeat)
    line("unbounded monthly (parley plan)", times, f"     {len(text.encode()) / 1e6:6.2f} MB")
    print("== refusals ==")
    over = json.dumps(make_worst_case(debts=101)).encode()
    times, response = timed(lambda: client.post("/api/v1/plan", data=over,
                                                 content_type="application/json"), repeat)
    line("101 debts", times, f"{response.status_code}  {response.json[0]}")
    big = b'{"title": "' + b"x" * MAX_API_BODY + b'"}'
    times, response = timed(lambda: client.post("/api/v1/plan", data=big,
                                                content_type="application/json"), repeat)
    line(f"{len(big) // 1024} KiB body", times, f"{response.status_code}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, body: bytes) -> tuple[int, int, float]:  # float ok
    t = time.perf_counter()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            size, status = len(response.read()), response.status
    except urllib.error.HTTPError as exc:
        size, status = len(exc.read()), exc.code
    return status, size, time.perf_counter() - t


def under_gunicorn(repeat: int) -> None:
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="parley-bench-")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite",
           "SECRET_KEY": "bench", "RATELIMIT_ENABLED": "0"}
    subprocess.run([str(Path(sys.executable).with_name("parley")), "upgrade-db"], env=env,
                   check=True, capture_output=True, cwd=ROOT)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-w", "2", "-b", f"127.0.0.1:{port}",
         "--timeout", "30", "webapp:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        body = json.dumps(make_worst_case(), ensure_ascii=False).encode()
        print("== POST /api/v1/plan under gunicorn (2 sync workers, loopback) ==")
        for query in ("?schedule=none", "?schedule=yearly", ""):
            runs = [_post(base + "/api/v1/plan" + query, body) for _ in range(repeat)]
            line(query or "(default: monthly)", [r[2] for r in runs],
                 f"{runs[-1][0]}  {runs[-1][1] / 1e6:6.2f} MB")
        for query in ("?schedule=yearly", ""):
            results: list = []
            threads = [threading.Thread(target=lambda q=query, out=results: out.append(
                _post(base + "/api/v1/plan" + q, body))) for _ in range(2)]
            for t in threads:
                t.start()
            time.sleep(0.05)
            t0 = time.perf_counter()
            urllib.request.urlopen(base + "/healthz", timeout=60).read()
            health = time.perf_counter() - t0
            for t in threads:
                t.join()
            print(f"  two worst cases {query or '(monthly)'} at once: "
                  f"{max(r[2] for r in results) * 1e3:.0f} ms; /healthz meanwhile answered "
                  f"in {health * 1e3:.0f} ms")
    finally:
        server.terminate()
        server.wait(timeout=10)


def letters() -> None:
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import Proposal

    folder = tempfile.mkdtemp(prefix="parley-bench-")
    app = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/b.sqlite"})
    from webapp.commands.serve import upgrade_database

    upgrade_database(app)
    client = app.test_client()
    client.post("/auth/register", data={"email": "bench@example.com", "password": "bench pass 1",
                                        "confirm": "bench pass 1", "role": "counselor"})
    case = make_worst_case()
    for i, debt in enumerate(case["debts"]):  # real letters: a feasible pro-rata plan
        debt["creditor_address"] = f"{i} High Street\nLeeds\nLS1 1AA"
    response = client.post("/cases/import", data={"text": json.dumps(case)})
    url = response.location
    print("== the worst allowed case in the web app (in-process, SQLite) ==")
    times, response = timed(lambda: client.get(url), 3)
    line("case page", times, f"{response.status_code}  {len(response.data) / 1e3:.0f} KB")
    times, response = timed(lambda: client.get(url + "/plan"), 3)
    line("plan page", times, f"{response.status_code}  {len(response.data) / 1e3:.0f} KB")
    client.post(url + "/plan", data={"strategy": "pro_rata"})
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        page = f"{url}/proposals/{proposal.public_id}/letters"
    times, response = timed(lambda: client.post(page, data={"letter_type": "proposal",
                                                            "language": "zh_CN"}), 1)
    line("write 101 drafts (request)", times, f"{response.status_code}")
    times, response = timed(lambda: client.post(page + ".zip"), 1)
    line("ZIP of 101 PDFs (the job, inline here)", times, f"{response.status_code}")
    response = client.get(page + ".zip")
    print(f"  ZIP: {response.status_code}, {len(response.data) / 1e6:.2f} MB")
    times, response = timed(lambda: client.get(page), 3)
    line("letters page", times, f"{response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--gunicorn", action="store_true")
    parser.add_argument("--letters", action="store_true")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    in_process(args.repeat)
    if args.gunicorn:
        under_gunicorn(args.repeat)
    if args.letters:
        letters()


if __name__ == "__main__":
    main()
