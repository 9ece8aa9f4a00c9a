"""Debian's Chromium driven through Playwright, for the browser tests.

Playwright cannot download its own browser here, so the tests launch the system's
``chromium`` with :data:`CHROMIUM_ARGS`. Without it a test is skipped, except in CI
(``CI`` set), where a missing chromium is a failure: CI must run the browser tests.

Import what a test module needs (``from _chromium import browser``): the ``browser``
fixture is module-scoped, one Chromium per test module.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

__all__ = ["CHROMIUM_ARGS", "_chromium", "block_outside", "browser"]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _chromium() -> str:
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                "chromium is missing; CI must run the browser test (apt-get install chromium)"
            )
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


def block_outside(page) -> list[str]:
    """Abort every request of ``page`` that leaves the machine; return the list of them.

    Local files and localhost pass; anything else is recorded and aborted, which proves
    that the page needs no internet.
    """
    blocked: list[str] = []

    def route(r):
        url = urlparse(r.request.url)
        if url.scheme in ("file", "data") or url.hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return blocked
