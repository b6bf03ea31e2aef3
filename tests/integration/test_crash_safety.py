"""Issue 11, crash safety: bench/crash.py, small. gunicorn (2 workers) and
``parley worker`` are killed with SIGKILL twice in the middle of writes and jobs
and started again; afterwards every saved write is there, the database is
consistent (its SQL checks), every job finished and no e-mail went twice.

On SQLite (a fresh WAL file), and on PostgreSQL when TEST_DATABASE_URL is set:
in a database of its own beside it (``<name>_crash``), since the run empties it.
Bounded: about a minute per database.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from tests.worker_support import redis_or_skip

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _crash_database() -> list[str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return []
    psycopg = pytest.importorskip("psycopg")
    base, _, name = url.rpartition("/")
    crash = f"{name}_crash"
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                (crash,)).fetchone():
                conn.execute(f'CREATE DATABASE "{crash}"')
    except psycopg.Error as exc:
        pytest.skip(f"cannot make a scratch database for the crash run: {exc}")
    return ["--database", f"{base}/{crash}", "--reset"]


def test_killing_web_and_worker_mid_write_loses_and_doubles_nothing(capsys):
    redis_or_skip()
    sys.path.insert(0, str(BENCH))
    try:
        import crash
    finally:
        sys.path.remove(str(BENCH))
    status = crash.main(["--seconds", "30", "--kills", "2", "--users", "3",
                         *_crash_database()])
    out = capsys.readouterr().out
    print(out)  # the figures, with -s
    assert status == 0, out
    assert "consistent: yes" in out
    assert re.search(r"5xx 0;", out)
    assert re.search(r"lost: 0$", out, re.M)
    assert re.search(r"delivered twice 0, recorded sent but not delivered 0", out)
    assert re.search(r"kill -9 of the web server and the queue worker: 2 time", out)
    checked = int(re.search(r"writes answered as saved and checked: (\d+)", out)[1])
    assert checked >= 10, out
