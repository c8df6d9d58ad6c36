"""Running services on real HTTP ports in the test's event loop, and the operator's `mentornet` command."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from shared.settings import ServiceSettings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def serve_http(app: FastAPI) -> AsyncIterator[str]:
    """The app (its runtime started by its lifespan) on a free loopback port; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # raises why it could not start
            await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def mentornet(settings: ServiceSettings, *args: str, expect: int = 0) -> str:
    """Run `mentornet ARGS` as an operator would, against this test's broker and topics."""
    env = {
        **os.environ,
        "MENTORNET_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "MENTORNET_TOPIC_PREFIX": settings.topic_prefix,
        "MENTORNET_ADMIN_TOKEN": settings.admin_token,
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", "from shared.cli import app; app()", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == expect, done.stdout + done.stderr
    return done.stdout
