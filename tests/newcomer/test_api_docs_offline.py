"""`/docs` of a running service renders Swagger UI in Chromium with nothing fetched from outside
127.0.0.1: every request that does not go to 127.0.0.1 goes to a recording proxy, which answers none.

Chromium itself (not the page) calls a few Google services whatever it shows (component updates,
sign-in, network time), even with --disable-background-networking: those are measured on a page without
any asset (the service's /healthz) in the same test and told apart by host; nothing else may appear."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from shared.embedded.ports import free_port
from tests.newcomer.conftest import RunningStack
from tests.reporting.browser import FLAGS, chromium_binary

pytestmark = pytest.mark.browser

# Chromium's own calls, seen here whatever page it shows (also measured per test on a blank page): its
# component updater (update.googleapis.com, then downloads from *.gvt1.com), sign-in, network time.
CHROMIUMS_OWN = (".google.com", ".googleapis.com", ".gvt1.com")
# What a docs page itself would fetch from outside: FastAPI's default CDN, its icon, web fonts.
PAGE_ASSET_HOSTS = {"cdn.jsdelivr.net", "fastapi.tiangolo.com", "fonts.googleapis.com", "fonts.gstatic.com"}


def chromiums_own(host: str) -> bool:
    return host not in PAGE_ASSET_HOSTS and host.endswith(CHROMIUMS_OWN)


@asynccontextmanager
async def recording_proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """An HTTP proxy that writes down each request line (CONNECT host:443 for https) and refuses it."""
    seen: list[str] = []

    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        line = await reader.readline()
        if line:
            seen.append(line.decode(errors="replace").strip())
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    port = free_port()
    server = await asyncio.start_server(refuse, "127.0.0.1", port)
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        server.close()
        await server.wait_closed()


async def rendered(url: str, proxy: str) -> str:
    """The DOM after Chromium ran the page's scripts; loopback is never proxied, everything else is."""
    with tempfile.TemporaryDirectory(prefix="mentornet-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            chromium_binary(), *FLAGS, f"--user-data-dir={profile}", f"--proxy-server={proxy}",
            "--virtual-time-budget=15000", "--dump-dom", url,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(process.communicate(), timeout=90)
    assert process.returncode == 0, err.decode(errors="replace")[-2000:]
    return out.decode()


def hosts(requests: list[str]) -> set[str]:
    """`CONNECT host:443 HTTP/1.1` or `GET http://host/path HTTP/1.1` -> host."""
    targets = [line.split()[1] for line in requests]
    return {t.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0] for t in targets}


@pytest.mark.parametrize("service", ["intake", "reporting"])
async def test_swagger_ui_renders_from_the_service_alone(running_stack: RunningStack, service: str):
    url = running_stack.url(service)
    async with recording_proxy() as (proxy, outside):
        await rendered(f"{url}/healthz", proxy)
        blank_page = hosts(outside)
        outside.clear()
        dom = await rendered(f"{url}/docs", proxy)
    asked_by_the_page = {h for h in hosts(outside) - blank_page if not chromiums_own(h)}
    assert asked_by_the_page == set(), outside  # nothing the page asked for left 127.0.0.1
    assert not PAGE_ASSET_HOSTS & hosts(outside), outside
    # Swagger UI ran and drew the operations (every outside request was refused, so from the service)
    assert 'class="swagger-ui' in dom and "opblock-tag" in dom, dom[-3000:]
    assert f"mentornet {service}" in dom  # from the service's own OpenAPI document
    async with httpx.AsyncClient(base_url=url) as client:
        page = (await client.get("/redoc")).text
        assert "https://" not in page.split("<body>")[0]  # ReDoc too takes nothing from a CDN
        assert (await client.get("/docs-assets/redoc.standalone.js")).status_code == 200
