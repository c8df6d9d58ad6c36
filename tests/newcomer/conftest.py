"""The whole embedded stack started as a newcomer starts it: `mentornet run`, its output going to a file
(not a terminal), on free ports and a temporary data folder passed through the MENTORNET_* environment."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.embedded.ports import free_port
from shared.embedded.stack import SERVICES

ROOT = Path(__file__).resolve().parents[2]
MENTORNET = str(Path(sys.executable).with_name("mentornet"))


@dataclass
class RunningStack:
    env: dict[str, str]
    """The environment the stack was started with; the walkthrough and the tools follow the same."""
    data_dir: Path
    output: Path

    def port(self, name: str) -> int:
        return int(self.env[f"MENTORNET_{name.upper()}_PORT"])

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port(service)}"

    def lines(self) -> list[str]:
        return self.output.read_text().splitlines()


@pytest.fixture(scope="package")
def running_stack() -> Iterator[RunningStack]:
    folder = Path(tempfile.mkdtemp(prefix="mentornet-newcomer-"))
    os.chmod(folder, 0o755)  # as root, PostgreSQL's user must pass through
    data_dir = folder / "a-data-folder-with-a-long-name-as-real-ones-have"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORNET_")}
    env |= {
        f"MENTORNET_{name.upper()}_PORT": str(free_port())
        for name in ("kafka", "postgres", "smtp", *SERVICES)
    }
    env |= {"MENTORNET_DATA_DIR": str(data_dir), "MENTORNET_ADMIN_TOKEN": "newcomer-admin-token"}
    output = folder / "mentornet-run.out"
    with open(output, "wb") as out:
        process = subprocess.Popen(
            [MENTORNET, "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stack = RunningStack(env=env, data_dir=data_dir, output=output)
    try:
        deadline = time.monotonic() + 180
        while not any("mentornet is running" in line for line in stack.lines()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"mentornet run did not start:\n{output.read_text()}")
            time.sleep(0.2)
        yield stack
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C: it stops everything it started
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
