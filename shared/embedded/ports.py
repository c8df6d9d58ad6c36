"""Local TCP ports: is one taken, wait for one, find a free one."""

from __future__ import annotations

import random
import socket
import time
from pathlib import Path


def port_in_use(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if port_in_use(host, port):
            return True
        time.sleep(0.02)
    return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def free_port_outside_ephemeral(host: str = "127.0.0.1") -> int:
    """A free port below the kernel's ephemeral range: a server that restarts on it (a Kafka node after
    a crash) cannot find it taken by some process's outgoing connection meanwhile, as a port from
    `free_port` can."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    candidates = list(range(max(1024, low - 12_000), low))
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port below {low} on {host}")
