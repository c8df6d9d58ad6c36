"""Headless Debian Chromium against the reporting app served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

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


# Running JavaScript in the page: the DevTools protocol over a pipe (`--remote-debugging-pipe`: the
# browser reads commands on fd 3 and writes answers on fd 4, each a JSON message ending in NUL), so no
# websocket client is needed. The page's Content-Security-Policy does not apply to the protocol.
_ON_FDS_3_AND_4 = "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"


class _DevTools:
    def __init__(self, commands: int, answers: int) -> None:
        self._commands, self._answers = commands, answers
        self._buffer = b""
        self._next = 0

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def wait_for(self, event: str, session: str) -> None:
        while True:
            message = self._read()
            if message.get("method") == event and message.get("sessionId") == session:
                return


def _evaluate(
    url: str, expressions: dict[str, str], width: int, height: int, shot: Path | None, first: str | None
) -> dict[str, Any]:
    commands_read, commands_write = os.pipe()
    answers_read, answers_write = os.pipe()
    with tempfile.TemporaryDirectory(prefix="mentornet-chromium-") as profile:
        process = subprocess.Popen(
            [sys.executable, "-c", _ON_FDS_3_AND_4, str(commands_read), str(answers_write), chromium_binary(),
             *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", f"--window-size={width},{height}"],
            pass_fds=(commands_read, answers_write), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(commands_read)
        os.close(answers_write)
        try:
            tools = _DevTools(commands_write, answers_read)
            target = tools.send("Target.createTarget", url="about:blank")["targetId"]
            session = tools.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            tools.send("Emulation.setDeviceMetricsOverride", session, width=width, height=height,
                       deviceScaleFactor=1, mobile=True)  # fmt: skip
            tools.send("Page.enable", session)
            tools.send("Page.navigate", session, url=url)
            tools.wait_for("Page.loadEventFired", session)
            if first is not None:  # e.g. fill in and submit a form: the expressions see the next page
                tools.send("Runtime.evaluate", session, expression=first)
                tools.wait_for("Page.loadEventFired", session)
            found = {
                name: tools.send("Runtime.evaluate", session, expression=js, returnByValue=True)[
                    "result"
                ].get("value")
                for name, js in expressions.items()
            }
            if shot is not None:
                picture = tools.send(
                    "Page.captureScreenshot", session, format="png", captureBeyondViewport=True
                )
                shot.write_bytes(base64.b64decode(picture["data"]))
            tools.send("Browser.close")
        finally:
            os.close(commands_write)
            os.close(answers_read)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return found


async def evaluate(
    url: str,
    expressions: dict[str, str],
    width: int = 390,
    height: int = 844,
    screenshot_to: Path | None = None,
    first: str | None = None,
) -> dict[str, Any]:
    """Open `url` in a viewport of `width` x `height` (a phone's, by default) and answer each JavaScript
    expression's value once the page has loaded (after `first` ran and the page it led to loaded, when
    given); optionally photograph the whole page."""
    return await asyncio.wait_for(
        asyncio.to_thread(_evaluate, url, expressions, width, height, screenshot_to, first), timeout=90
    )
