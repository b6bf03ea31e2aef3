"""Racing requests: run callables in threads released together by a barrier.

Each thread uses its own test client (a client is not thread-safe), and each
request gets its own app context, so its own database session and connection:
two browsers, as far as the app can tell.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from tests.conftest import AuthActions


def race(*calls: Callable[[], Any], timeout: float = 120) -> list[Any]:
    """Start every call at the same moment; their results, in order.

    An exception in a thread is re-raised here, so a failing race fails the test
    instead of vanishing with its thread.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[i] = call()
        except BaseException as exc:  # noqa: BLE001 (handed to the test below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing request never finished"
    if errors:
        raise errors[0]
    return results


def second_client(app, email="borrower@example.com", password="correct horse battery"):
    """Another browser, logged in as the same user."""
    other = app.test_client()
    response = AuthActions(other).login(email, password)
    assert response.status_code == 302, response.get_data(as_text=True)
    return other


def hidden(html: str, name: str) -> str:
    """The value of the form's hidden field ``name`` ("" when the form has none)."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html)
    return match.group(1) if match else ""
