"""Headless Debian Chromium against the reporting app served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from shared.embedded.ports import free_port
from tests.support.services import eventually

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


class ChromiumMissing(RuntimeError):
    """The browser test cannot run: say how to get Chromium."""


def chromium_binary() -> str:
    """Debian's chromium, or the browser named by MENTORNET_CHROMIUM (a path or a command)."""
    wanted = os.environ.get("MENTORNET_CHROMIUM")
    if wanted:
        found = shutil.which(wanted)
    else:
        found = shutil.which("chromium") or (str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else None)
    if found is None:
        raise ChromiumMissing(
            f"Chromium ({wanted or 'chromium'}) is not installed, so the dashboard cannot be checked in a real browser. "
            "Install Debian's package: `apt-get update && apt-get install -y chromium` "
            "(`python3 dev.py test` does this itself when it runs as root)."
        )
    return found


async def _run(*args: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="mentornet-chromium-") as profile:
        process = await asyncio.create_subprocess_exec(
            chromium_binary(),
            *FLAGS,
            f"--user-data-dir={profile}",
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(process.communicate(), timeout=90)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise
    if process.returncode != 0:
        raise RuntimeError(
            f"chromium exited with {process.returncode}: {err.decode(errors='replace')[-2000:]}"
        )
    return out


async def dump_dom(url: str) -> str:
    """The page's DOM after Chromium loaded it (following redirects, keeping cookies)."""
    return (await _run("--dump-dom", url)).decode()


async def screenshot(url: str, path: Path, width: int = 1280, height: int = 2000) -> Path:
    """`path` must be absolute: Chromium resolves a relative one against its own working directory."""
    await _run(f"--screenshot={path}", f"--window-size={width},{height}", url)
    return path


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """Serve an app whose runtime is already running, on a free port, from this event loop."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started or task.done(), timeout_s=20)
    if task.done():
        task.result()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
