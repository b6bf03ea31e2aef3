"""Answers of pure computations kept per process: ``POST /api/v1/plan``.

The API's plan is a function of the request body and the ``schedule`` form
alone (``domain.plan.make_plan`` reads no clock, no database and no language),
so the JSON answer for the same bytes is the same answer. A client that sends
the same case file again (a phone reloading, a counselor's tool refreshing)
gets it without the plan being computed again. The key is the SHA-256 of the
body and the form; only successful answers are kept; ``PLAN_CACHE_BYTES``
bounds the memory (least recently used go first; 0 switches it off).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import Flask, current_app


class AnswerCache:
    """An LRU of answers (UTF-8 bytes) bounded by their total size (thread-safe)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: tuple, answer: bytes) -> None:
        if len(answer) > self.max_bytes // 4:  # one answer never takes the cache
            return
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._answers[key] = answer
            self._size += len(answer)
            while self._size > self.max_bytes:
                _key, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._answers)


def key(body: bytes, *form: str) -> tuple:
    return (hashlib.sha256(body).digest(), *form)


def plans() -> AnswerCache | None:
    return current_app.extensions.get("plan_answers")


def init_app(app: Flask) -> None:
    size = int(app.config.get("PLAN_CACHE_BYTES", 0) or 0)
    if size > 0:
        app.extensions["plan_answers"] = AnswerCache(size)
