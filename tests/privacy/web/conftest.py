"""The browser tests of personal data: the web tests' whole stack and Chromium, but for this folder only
(module scope). Playwright's sync API keeps an event loop running while it is open, so it must be
closed again before the asynchronous tests that run after this folder (tests/reporting, ...)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from shared.embedded.ports import free_port
from shared.embedded.stack import SERVICES, EmbeddedStack, StackSettings
from tests.web.browser import launch
from tests.web.conftest import STAFF_TOKEN, Stack, context, in_thread, page, web

__all__ = ["browser", "context", "page", "stack", "web"]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    data_dir = Path(tempfile.mkdtemp(prefix="mentornet-privacy-web-"))
    os.chmod(data_dir, 0o755)
    ports = {f"{name}_port": free_port() for name in ("kafka", "postgres", "smtp", *SERVICES)}
    running = EmbeddedStack(StackSettings(data_dir=data_dir, admin_token=STAFF_TOKEN, **ports))
    in_thread(lambda: running.start(progress=lambda _: None))
    try:
        yield Stack(running)
    finally:
        in_thread(lambda: running.stop(progress=lambda _: None))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
