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

from flask import Flask, current_app

from .page_cache import PageCache


class AnswerCache(PageCache):
    """The page cache's LRU, bounded by the answers' size in bytes; one answer
    over a quarter of it is never kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes, weigh=len, largest=max_bytes // 4)


def key(body: bytes, *form: str) -> tuple:
    return (hashlib.sha256(body).digest(), *form)


def plans() -> AnswerCache | None:
    return current_app.extensions.get("plan_answers")


def init_app(app: Flask) -> None:
    size = int(app.config.get("PLAN_CACHE_BYTES", 0) or 0)
    if size > 0:
        app.extensions["plan_answers"] = AnswerCache(size)
