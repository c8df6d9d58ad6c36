#!/usr/bin/env python3
"""Set-up and entry point for a fresh machine: `python3 dev.py run` or `python3 dev.py test`.

Needs only Python 3.11+. Creates `.venv`, installs the exact versions of requirements/dev-lock.txt (with
their hashes) and then the project itself without dependencies (again only when pyproject.toml or the
lock changed), then runs the embedded stack or the test suite inside it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed-from"
LOCK = ROOT / "requirements" / "dev-lock.txt"  # runtime + [embedded] + [test]: see its first lines


def _say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def _wanted_stamp() -> str:
    digest = hashlib.sha256()
    for source in (ROOT / "pyproject.toml", LOCK):
        digest.update(hashlib.sha256(source.read_bytes()).digest())
    return f"{digest.hexdigest()} {sys.version_info[:2]}"


def ensure_venv() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("mentornet needs Python 3.11 or newer")
    python = BIN / "python"
    if not python.exists():
        _say(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != _wanted_stamp():
        _say(f"installing mentornet and the versions pinned in {LOCK.relative_to(ROOT)}")
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--require-hashes", "-r", str(LOCK)], check=True)
        subprocess.run([*pip, "install", "--no-deps", "-e", str(ROOT)], check=True)
        STAMP.write_text(_wanted_stamp())
    return python


# Debian packages the tests use: a real browser for the dashboard, a compose implementation to check
# docker-compose.yml with, kcat to look at the broker as an operator would, curl for docs/walkthrough.sh.
# Installed once when missing and allowed (root with apt-get).
TEST_TOOLS = {"chromium": "chromium", "docker-compose": "docker-compose", "kcat": "kcat", "curl": "curl"}


def ensure_test_tools() -> None:
    missing = [package for command, package in TEST_TOOLS.items() if not shutil.which(command)]
    if not missing or os.environ.get("MENTORNET_SKIP_APT"):
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        _say(f"missing {', '.join(missing)} and cannot install here: the tests needing them will say so")
        return
    _say(f"installing Debian's {', '.join(missing)} for the tests (first run only)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=False, stdout=subprocess.DEVNULL, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", *missing], check=False, stdout=subprocess.DEVNULL, env=env
    )


# tests/cluster runs Apache Kafka from its jars: Java 17+ runs them, Maven fetches them (once, into
# ~/.cache/mentornet). Only that step needs them; the default `python3 dev.py test` does not.
CLUSTER_TOOLS = {"java": "default-jre-headless", "mvn": "maven"}


def ensure_cluster_tools(pytest_args: list[str]) -> None:
    if not any(arg.split("::")[0].rstrip("/").startswith("tests/cluster") for arg in pytest_args):
        return
    missing = [package for command, package in CLUSTER_TOOLS.items() if not shutil.which(command)]
    if not missing:
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        _say(f"tests/cluster needs {', '.join(missing)}: install them (Java 17 or newer)")
        return
    _say(f"installing Debian's {', '.join(missing)} for tests/cluster (first run only)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=False, stdout=subprocess.DEVNULL, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", *missing], check=False, stdout=subprocess.DEVNULL, env=env
    )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "shell"}:
        print(__doc__)
        print("usage: python3 dev.py run [mentornet run options] | test [pytest options]")
        return 2
    python = ensure_venv()
    command, rest = argv[0], argv[1:]
    if command == "run":
        return hand_over([str(BIN / "mentornet"), "run", *rest])
    if command == "test":
        ensure_test_tools()
        ensure_cluster_tools(rest)
        return hand_over([str(python), "-m", "pytest", *rest])
    return hand_over([str(BIN / "mentornet"), *rest])


def hand_over(command: list[str]) -> int:
    """Become `command` (exec, on POSIX): Ctrl-C and signals reach it alone, so nothing here can cut
    its stopping short, and its exit status is ours. Elsewhere, run it and wait, leaving Ctrl-C to it."""
    os.chdir(ROOT)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(command[0], command)
    child = subprocess.Popen(command)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
