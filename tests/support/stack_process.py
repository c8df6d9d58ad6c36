"""`mentornet run` (or `python3 dev.py run`) as a process of its own, watched from outside as an operator
would: its console output, its process tree in /proc, its ports."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

from shared.embedded.ports import free_port, port_in_use
from shared.embedded.stack import SERVICES

ROOT = Path(__file__).resolve().parents[2]
MENTORNET = str(Path(sys.executable).with_name("mentornet"))
ADMIN_TOKEN = "stack-process-admin"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, PostgreSQL's backends included."""
    found: list[int] = []
    pending = children(pid)
    while pending:
        child = pending.pop()
        found.append(child)
        pending += children(child)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@dataclass
class StackProcess:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    data_dir: Path
    output: Path

    def port(self, name: str) -> int:
        return int(self.env[f"MENTORNET_{name.upper()}_PORT"])

    @property
    def ports(self) -> list[int]:
        return [self.port(name) for name in ("kafka", "postgres", "smtp", *SERVICES)]

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port(service)}"

    def database_url(self, service: str) -> str:
        return f"postgresql://mentornet@127.0.0.1:{self.port('postgres')}/mentornet_{service}"

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_for_output(self, wanted: str, timeout_s: float, after: int = 0) -> str:
        """The first line containing `wanted` written after character `after`; fails with the output."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for line in self.text()[after:].splitlines():
                if wanted in line:
                    return line
            time.sleep(0.1)
        raise AssertionError(f"no line with {wanted!r} within {timeout_s}s:\n{self.text()[-4000:]}")

    def pid_of(self, marker: str) -> int:
        """The one process below the stack whose command line contains `marker` (e.g. 'tansu')."""
        below = descendants(self.process.pid)
        found = [pid for pid in below if marker in command_line(pid) and alive(pid)]
        assert len(found) == 1, (marker, found, [command_line(p) for p in below])
        return found[0]

    def postmaster(self) -> int:
        pgdata = next(self.data_dir.rglob("pgdata"))  # as root the stack may move it: see stack.py
        return int((pgdata / "postmaster.pid").read_text().split()[0])

    def wait_ready(self, timeout_s: float = 60) -> None:
        """Until every service's /readyz says 200."""
        deadline = time.monotonic() + timeout_s
        waiting = list(SERVICES)
        while waiting and time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url(waiting[0])}/readyz", timeout=3).status_code == 200:
                    waiting.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        assert not waiting, f"not ready within {timeout_s}s: {waiting}\n{self.text()[-3000:]}"


def stack_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORNET_")}
    env |= {
        f"MENTORNET_{name.upper()}_PORT": str(free_port())
        for name in ("kafka", "postgres", "smtp", *SERVICES)
    }
    env |= {"MENTORNET_DATA_DIR": str(data_dir), "MENTORNET_ADMIN_TOKEN": ADMIN_TOKEN}
    return env | extra


@contextmanager
def stack_process(via_dev: bool = False, wait: bool = True, **extra_env: str) -> Iterator[StackProcess]:
    """Start the stack in a session of its own (so a test can send Ctrl-C to its whole process group,
    as a terminal does); at the end, SIGKILL to what is left of that group."""
    folder = Path(tempfile.mkdtemp(prefix="mentornet-supervised-"))
    os.chmod(folder, 0o755)  # as root, PostgreSQL's user must pass through
    env = stack_env(folder / "data", **extra_env)
    command = [sys.executable, str(ROOT / "dev.py"), "run"] if via_dev else [MENTORNET, "run"]
    output = folder / "run.out"
    with open(output, "wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    stack = StackProcess(process, env, folder / "data", output)
    try:
        if wait:
            deadline = time.monotonic() + 180
            while "mentornet is running" not in stack.text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"mentornet run did not start:\n{stack.text()}")
                time.sleep(0.2)
        yield stack
    finally:
        if process.poll() is None:
            with_children = descendants(process.pid)
            os.killpg(process.pid, signal.SIGKILL)
            for pid in with_children:
                with _gone():
                    os.kill(pid, signal.SIGKILL)
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _gone() -> Iterator[None]:
    try:
        yield
    except ProcessLookupError:
        pass


def wait_until_gone(pids: list[int], ports: list[int], timeout_s: float) -> None:
    """Until none of `pids` runs and none of `ports` listens; fails naming what is left."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = [pid for pid in pids if alive(pid)]
        taken = [port for port in ports if port_in_use("127.0.0.1", port)]
        if not left and not taken:
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"after {timeout_s}s still running: {[(p, command_line(p)) for p in left]}; ports taken: {taken}"
            )
        time.sleep(0.1)


@dataclass
class Load:
    """Threads creating companies at intake as fast as they can (writes, outbox, relay, consumers)."""

    url: str
    threads: int = 4
    sent: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _workers: list[threading.Thread] = field(default_factory=list)

    def _work(self, n: int) -> None:
        with httpx.Client(base_url=self.url, headers=ADMIN, timeout=5) as client:
            i = 0
            while not self._stop.is_set():
                i += 1
                try:
                    client.post(
                        "/v1/companies",
                        json={"name": f"Load {n}-{i}", "hr_contact_name": "L", "hr_contact_email": "l@x.dk"},
                    )
                    self.sent += 1
                except httpx.HTTPError:
                    time.sleep(0.05)

    def __enter__(self) -> Load:
        for n in range(self.threads):
            worker = threading.Thread(target=self._work, args=(n,), daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=10)


def programme(client: httpx.Client) -> tuple[dict[str, str], str]:
    """A company with an API key and a cohort open for registration."""
    company = client.post(
        "/v1/companies",
        headers=ADMIN,
        json={"name": "Nordvind", "hr_contact_name": "Lone", "hr_contact_email": "l@n.dk"},
    )
    assert company.status_code == 201, company.text
    company_id = company.json()["company_id"]
    key = client.post(f"/v1/companies/{company_id}/api-keys", headers=ADMIN, json={}).json()["api_key"]
    today = date.today()
    window = {
        "intake_opens_on": str(today - timedelta(days=1)),
        "intake_closes_on": str(today + timedelta(days=9)),
    }
    cohort = client.post("/v1/cohorts", headers=ADMIN, json={"name": "2027", **window})
    assert cohort.status_code == 201, cohort.text
    return {"Authorization": f"Bearer {key}"}, cohort.json()["cohort_id"]


def participant(cohort: str, n: int) -> dict[str, object]:
    return {
        "cohort_id": cohort,
        "role": "mentee",
        "name": f"Leader {n}",
        "email": f"leader{n}@nordvind.dk",
        "job_title": "Team lead",
        "leadership_level": 2,
        "years_experience": 3,
        "industry": "energy",
        "function": "operations",
        "languages": ["da"],
        "region": "midtjylland",
        "meeting_preference": "either",
        "themes": ["strategy"],
        "expectations": "A view from outside",
        "consent": True,
    }  # fmt: skip
