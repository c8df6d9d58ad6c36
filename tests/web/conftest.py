"""The whole stack (the four services and the web app, as processes, on an embedded PostgreSQL and
broker) once for every browser test, and one Chromium; each test gets a fresh browser context.

Tests are plain (sync) functions: Playwright's sync API drives the browser while the stack runs in
its own processes. `web` is the web app's address; `staff_token` signs in as programme staff.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import asyncpg
import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from shared.embedded.ports import free_port
from shared.embedded.stack import SERVICES, EmbeddedStack, StackSettings
from tests.web.browser import PHONE, launch

STAFF_TOKEN = "web-test-staff-token"
T = TypeVar("T")


def in_thread(work: Callable[[], T]) -> T:
    """Run `work` in a thread of its own: Playwright's sync API keeps an event loop running in the test's
    thread, so anything that calls asyncio.run (the stack, database checks) runs beside it."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def query(stack: Stack, sql: str, *args: object) -> list[dict[str, object]]:
    """Rows from the web app's own database (or another service's: `service=`)."""
    return fetch(stack, "web", sql, *args)


def fetch(stack: Stack, service: str, sql: str, *args: object) -> list[dict[str, object]]:
    async def read() -> list[dict[str, object]]:
        conn = await asyncpg.connect(stack.stack.database_url(service))
        try:
            return [dict(r) for r in await conn.fetch(sql, *args)]
        finally:
            await conn.close()

    return in_thread(lambda: asyncio.run(read()))


@dataclass(frozen=True)
class Stack:
    stack: EmbeddedStack

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.stack.settings.port_of(service)}"

    @property
    def web(self) -> str:
        return self.url("web")

    def api(self, service: str, credential: str = STAFF_TOKEN) -> httpx.Client:
        return httpx.Client(
            base_url=self.url(service), headers={"Authorization": f"Bearer {credential}"}, timeout=30
        )


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    data_dir = Path(tempfile.mkdtemp(prefix="mentornet-web-"))
    os.chmod(data_dir, 0o755)
    ports = {f"{name}_port": free_port() for name in ("kafka", "postgres", "smtp", *SERVICES)}
    settings = StackSettings(data_dir=data_dir, admin_token=STAFF_TOKEN, **ports)
    running = EmbeddedStack(settings)
    in_thread(lambda: running.start(progress=lambda _: None))  # Playwright's loop may run in this one
    try:
        yield Stack(running)
    finally:
        in_thread(lambda: running.stop(progress=lambda _: None))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def web(stack: Stack) -> str:
    return stack.web
