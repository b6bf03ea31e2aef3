"""Browser fixtures: Parley served on a free local port, Debian's Chromium
driven by Playwright (never ``playwright install``), screenshots kept in
``test-artifacts/``."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"





def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"],
    }


class _Handler(WSGIRequestHandler):
    #: An idle keep-alive connection (a test that failed before closing its
    #: browser context) ends after this many seconds, so shutdown never hangs.
    timeout = 5


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Handler)
    # Finish in-flight requests (a late favicon fetch...) on shutdown instead of
    # abandoning their threads with open files: server_close() joins them.
    server.daemon_threads = False
    server.block_on_close = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def shoot():
    """Check the page with axe-core (WCAG 2.1 A/AA and best practice: zero
    violations), then save a full-page screenshot as test-artifacts/<name>.png.
    Every page a journey shows is checked where it is photographed."""
    from tests.browser.helpers import assert_accessible

    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, *, axe: bool = True) -> Path:
        if axe:
            assert_accessible(page)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def no_third_party(page, live_server):
    """Fail the test if the page asks any host but Parley's own."""
    foreign: list[str] = []

    def check(request):
        if not request.url.startswith((live_server, "data:", "about:")):
            foreign.append(request.url)

    page.on("request", check)
    yield foreign
    assert foreign == []
