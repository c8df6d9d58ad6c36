"""Child processes that cannot outlive the process that started them, however it ends.

On Linux each child asks the kernel for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), set
between fork and exec so no window is left open; this holds across the child's own exec and its change
to an unprivileged user (PostgreSQL as `nobody`), and covers a parent killed with SIGKILL, which no
clean-up code of the parent survives. The kernel sends it when the forking *thread* ends, so `popen`
forks every child on one thread that lives as long as the process (a child started from a worker
thread, e.g. asyncio.to_thread in a test, would otherwise die when that worker is retired).
"""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: signal.Signals = signal.SIGKILL) -> Callable[[], None] | None:
    """A `preexec_fn` making the child receive `sig` when this process dies (None off Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request took effect
            os.kill(os.getpid(), sig)

    return preexec


def exit_description(returncode: int) -> str:
    """`code 3` or `signal SIGKILL`, as Popen's returncode says it."""
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"code {returncode}"


_spawns: queue.Queue[tuple[Callable[[], subprocess.Popen[bytes]], Future[subprocess.Popen[bytes]]]]
_spawns = queue.Queue()
_spawner: threading.Thread | None = None
_spawner_lock = threading.Lock()


def _serve_spawns() -> None:
    while True:
        start, result = _spawns.get()
        try:
            result.set_result(start())
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            result.set_exception(error)


def popen(args: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """subprocess.Popen(args, **options) for a child that dies with this process (see the docstring)."""
    global _spawner
    options.setdefault("preexec_fn", die_with_parent())
    with _spawner_lock:
        if _spawner is None or not _spawner.is_alive():
            _spawner = threading.Thread(target=_serve_spawns, name="child-spawner", daemon=True)
            _spawner.start()
    result: Future[subprocess.Popen[bytes]] = Future()
    _spawns.put((lambda: subprocess.Popen(args, **options), result))
    return result.result()


def stop_child(process: subprocess.Popen[bytes], grace_s: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it has not ended within `grace_s`; returns once it has ended."""
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
