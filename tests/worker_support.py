"""A real ``parley worker`` in a subprocess, for the tests and bench/crash.py.

Redis database 5 by default (``TEST_REDIS_URL``); each run gets a queue of its
own, deleted afterwards, so runs side by side do not take each other's jobs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
#: Fast clocks for tests: a heartbeat a second, dead after three, a sweep a second.
FAST = {"JOBS_HEARTBEAT": "1", "JOBS_DEAD_AFTER": "3", "JOBS_SWEEP_EVERY": "1",
        "REMIND_EVERY": "2"}


def redis_or_skip():
    import pytest

    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return connection


def queue_name() -> str:
    return f"parley-test-{uuid.uuid4().hex[:8]}"


def delete_queue(name: str) -> None:
    from redis import Redis
    from rq import Queue

    Queue(name, connection=Redis.from_url(REDIS_URL)).delete(delete_jobs=True)


def worker_env(database_url: str, queue: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PARLEY_ENV", "TEST_DATABASE_URL")}
    return {**env, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
            "REDIS_URL": REDIS_URL, "JOBS_QUEUE": queue, "JOBS_BACKEND": "rq",
            "PYTHONPATH": str(ROOT), **FAST, **extra}


def start_worker(env: dict[str, str], log: Path | None = None) -> subprocess.Popen:
    """``parley worker`` in a session of its own, so that :func:`kill` takes its
    forked job children too (as a machine's crash would)."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    try:
        return subprocess.Popen(
            [sys.executable, "-c", "from webapp.cli import main; main()", "worker"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        if log:
            out.close()  # the child has its own copy


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc: RQ's job children call setsid,
    so killing the worker's process group does not reach them)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill(process: subprocess.Popen) -> None:
    """kill -9 the process and everything it started (as a machine's crash would)."""
    for pid in [process.pid, *_descendants(process.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(10)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        kill(process)


def wait_for(what: Callable[[], object], timeout: float = 60, every: float = 0.2):  # float ok
    """``what()`` once it is true; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = what()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not so after {timeout} s: {what}")
        time.sleep(every)
