"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, and the web app served
by uvicorn on a free loopback port in a background thread.

Playwright is told to use ``/usr/bin/chromium`` (installed by ``make browser``, which ``make
test`` runs); ``playwright install`` is never used, because it downloads a browser build.  When
Chromium or Playwright is missing the tests skip and say why.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
UPLOAD_LIMIT = 1024 * 1024  # the test server's upload limit: 1 MB keeps the 413 test quick
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives a real browser (Chromium via Playwright)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]' -c constraints.txt)")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: run `make browser` (Debian's chromium "
                    "package); never `playwright install`")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page with everything it did recorded: requests, dialogs, script errors."""

    page: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = Watched(page)
    page.on("request", lambda r: seen.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    yield seen
    context.close()


@dataclass
class Server:
    url: str
    thread: threading.Thread
    server: Any
    max_upload_bytes: int = UPLOAD_LIMIT


@pytest.fixture(scope="module")
def app_server() -> Iterator[Server]:
    """The real app (real engine) on 127.0.0.1 and a port the OS picked."""
    uvicorn = pytest.importorskip("uvicorn", reason="the web extra is not installed")
    from redline.web.app import allowed_hosts_for, create_app

    app = create_app(max_upload_bytes=UPLOAD_LIMIT, timeout=60,
                     allowed_hosts=allowed_hosts_for("127.0.0.1"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 90  # start-up loads the language model
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the web app did not start")
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", thread, server)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def docs_img(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: docs/img/ with REDLINE_SCREENSHOTS=1 (to refresh the README's
    pictures), else a temporary folder, so a test run leaves the work tree clean."""
    if os.environ.get("REDLINE_SCREENSHOTS") != "1":
        return tmp_path_factory.mktemp("screenshots")
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    return DOCS_IMG
