"""The whole system on one machine: PostgreSQL, the broker, an SMTP server and the services as processes,
supervised.

Every child dies with the process that started it, even one killed with SIGKILL (children.py). One that
exits on its own is restarted after a backoff that doubles up to a ceiling, with one line on the
console each time; one that dies `restart_attempts` times in a row (no run lasting `stable_after_s`)
is given up on, and the stack stops with an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.embedded.apache_kafka import ApacheKafkaCluster
from shared.embedded.children import exit_description
from shared.embedded.kafka import EmbeddedKafka
from shared.embedded.kafka_auth import CREDENTIALS_FILE
from shared.embedded.logfiles import logged_popen
from shared.embedded.ports import port_in_use
from shared.embedded.postgres import SUPERUSER, EmbeddedPostgres, PostgresError, closed_parent
from shared.embedded.smtp import EmbeddedSmtp
from shared.settings import DEFAULT_ADMIN_TOKEN
from shared.topics import uses_broker

POSTGRES = "PostgreSQL"
BROKER = "broker"
MAIL = "mail"  # the SMTP server that keeps the reminders sent
BROKER_CREDENTIALS = {
    f"MENTORNET_KAFKA_{name}" for name in ("SECURITY_PROTOCOL", "SASL_MECHANISM", "USERNAME", "PASSWORD")
}
SERVICES = ("intake", "matching", "sessions", "reporting", "web")  # web: the pages, over the four APIs
VAULT_DATABASE = "mentornet_vault"  # the key vault (shared/privacy): intake writes it, the others read


class StackSettings(BaseSettings):
    """`MENTORNET_<FIELD>` overrides each; the services read theirs from the same environment."""

    model_config = SettingsConfigDict(env_prefix="MENTORNET_", extra="ignore")

    data_dir: Path = Path(".data")
    host: str = "127.0.0.1"
    broker: Literal["tansu", "apache-kafka"] = "tansu"  # apache-kafka: one KRaft node, kept in data_dir
    kafka_port: int = 9092
    kafka_controller_port: int = 9093  # apache-kafka only: its KRaft controller
    postgres_port: int = 5432
    smtp_port: int = 8025  # the embedded SMTP server; its mails are kept in <data_dir>/mail
    postgres_os_user: str = "nobody"
    intake_port: int = 8001
    matching_port: int = 8002
    sessions_port: int = 8003
    reporting_port: int = 8004
    web_port: int = 8005
    session_timeout_ms: int = 2_000
    heartbeat_interval_ms: int = 300
    admin_token: str = DEFAULT_ADMIN_TOKEN
    restart_backoff_s: float = 1.0  # first wait before a dead child is started again; doubles each time
    restart_backoff_max_s: float = 30.0
    restart_attempts: int = 5  # restarts in a row (no run lasting stable_after_s) before giving up
    stable_after_s: float = 60.0

    def port_of(self, service: str) -> int:
        return int(getattr(self, f"{service}_port"))


def stack_broker() -> str:
    """The broker an operator's tool talks to: MENTORNET_KAFKA_BOOTSTRAP, else the embedded stack's
    address (MENTORNET_HOST, MENTORNET_KAFKA_PORT), as `mentornet run` starts it."""
    explicit = os.environ.get("MENTORNET_KAFKA_BOOTSTRAP")
    if explicit:
        return explicit
    settings = StackSettings()
    return f"{settings.host}:{settings.kafka_port}"


class GaveUp(RuntimeError):
    """A child kept dying: the stack stops; the message names it and where its log is."""


@dataclass
class _Restarts:
    """The supervision of one child: when it last started, how many deaths in a row, when it is due."""

    started_at: float = field(default_factory=time.monotonic)
    deaths: int = 0
    due_at: float | None = None  # set while it is dead and waiting for its restart


def broker_exit_code(broker: Broker) -> int | None:
    """None while every broker process runs; else the exit status of one that ended."""
    if isinstance(broker, ApacheKafkaCluster):
        for node in broker.members:
            if node.process is not None and node.process.poll() is not None:
                return node.process.returncode
        return None
    if isinstance(broker, EmbeddedKafka):
        return broker.exit_code()
    return None


class Broker(Protocol):
    cluster_id: str

    @property
    def bootstrap(self) -> str: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass
class EmbeddedStack:
    settings: StackSettings
    postgres: EmbeddedPostgres = field(init=False)
    kafka: Broker = field(init=False)
    smtp: EmbeddedSmtp = field(init=False)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict, init=False)
    _postgres_started: bool = field(default=False, init=False)
    _restarts: dict[str, _Restarts] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        s = self.settings
        chosen = "data_dir" in s.model_fields_set
        s.data_dir = s.data_dir.resolve()
        if not chosen and os.geteuid() == 0 and closed_parent(s.data_dir):
            # As root, PostgreSQL runs as another user, who cannot reach a project under e.g. /root.
            key = hashlib.sha256(str(s.data_dir).encode()).hexdigest()[:12]
            s.data_dir = Path("/var/lib/mentornet") / key
        self.postgres = EmbeddedPostgres(s.data_dir, port=s.postgres_port, os_user=s.postgres_os_user)
        if s.broker == "apache-kafka":  # its data (and so its cluster id) survive a restart
            self.kafka = ApacheKafkaCluster(
                s.data_dir / "kafka",
                host=s.host,
                broker_ports=(s.kafka_port,),
                controller_ports=(s.kafka_controller_port,),
            )
        else:
            self.kafka = EmbeddedKafka(
                port=s.kafka_port, host=s.host, log_file=s.data_dir / "logs" / "broker.log"
            )
        self.smtp = EmbeddedSmtp(
            s.data_dir / "mail", port=s.smtp_port, host=s.host, log_file=s.data_dir / "logs" / "smtp.log"
        )

    def database_url(self, service: str) -> str:
        return self.postgres.url(f"mentornet_{service}")

    def start(self, progress: Callable[[str], None] = print) -> None:
        s = self.settings
        self.postgres.check_reachable()  # before anything is created: a refusal leaves nothing behind
        (s.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        taken = [
            p
            for p in (s.postgres_port, s.kafka_port, s.smtp_port, *map(s.port_of, SERVICES))
            if port_in_use(s.host, p)
        ]
        if taken:
            raise RuntimeError(f"ports already in use: {taken} (another stack running?)")
        progress(f"starting PostgreSQL, the broker and {len(SERVICES)} services (data in {s.data_dir})")
        self._postgres_started = True
        self.postgres.start()
        self._restarts[POSTGRES] = _Restarts()
        for service in SERVICES:
            asyncio.run(self.postgres.create_database(f"mentornet_{service}"))
        asyncio.run(self.postgres.create_database(VAULT_DATABASE))
        progress(
            f"{'PostgreSQL':<10} {s.host}:{s.postgres_port}  user {SUPERUSER}, databases mentornet_<service>"
            f" and {VAULT_DATABASE} (the key vault)"
            f"  (data: {self.postgres.pgdata})"
        )
        self.kafka.start()
        if isinstance(self.kafka, ApacheKafkaCluster):  # each service its user, may write its own topics
            self.kafka.apply_acls(os.environ.get("MENTORNET_TOPIC_PREFIX", ""))
        self._restarts[BROKER] = _Restarts()
        where = (
            f"logs: {self.kafka.log_file}"
            if isinstance(self.kafka, EmbeddedKafka)
            else f"data: {s.data_dir / 'kafka'}, SASL/SCRAM users: {s.data_dir / 'kafka' / CREDENTIALS_FILE}"
        )
        progress(f"{'broker':<10} {self.kafka.bootstrap}  ({s.broker}, {where})")
        self.smtp.start()
        self._restarts[MAIL] = _Restarts()
        progress(
            f"{MAIL:<10} {self.smtp.address}  (SMTP; every mail kept in {self.smtp.maildir}: `mentornet mails`)"
        )
        for service in SERVICES:
            self.processes[service] = self._spawn(service)
            self._restarts[service] = _Restarts()
        for service in SERVICES:
            self._wait_healthy(service)
            url = f"http://{s.host}:{s.port_of(service)}"
            see = f"API docs {url}/docs" + (f", dashboard {url}/dashboard" if service == "reporting" else "")
            if service == "web":
                see = f"pages {url}/ (staff and partner companies sign in here)"
            progress(f"{service:<10} {url}  {see}  (logs: {self._log_path(service)})")

    def _log_path(self, service: str) -> Path:
        return self.settings.data_dir / "logs" / f"{service}.log"

    def _spawn(self, service: str) -> subprocess.Popen[bytes]:
        s = self.settings
        env = {
            **os.environ,
            "MENTORNET_SERVICE_NAME": service,
            "MENTORNET_DATABASE_URL": self.database_url(service),
            "MENTORNET_VAULT_DATABASE_URL": self.postgres.url(VAULT_DATABASE),
            "MENTORNET_KAFKA_BOOTSTRAP": self.kafka.bootstrap,
            "MENTORNET_HTTP_HOST": s.host,
            "MENTORNET_HTTP_PORT": str(s.port_of(service)),
            "MENTORNET_SESSION_TIMEOUT_MS": str(s.session_timeout_ms),
            "MENTORNET_HEARTBEAT_INTERVAL_MS": str(s.heartbeat_interval_ms),
            "MENTORNET_ADMIN_TOKEN": s.admin_token,
            "MENTORNET_ENABLE_IDEMPOTENCE": str(s.broker == "apache-kafka").lower(),
            "MENTORNET_LOG_FORMAT": "json",
            "MENTORNET_SMTP_HOST": s.host,
            "MENTORNET_SMTP_PORT": str(s.smtp_port),
            # the web app calls the services for its visitors: their failed checks count per visitor
            "MENTORNET_TRUSTED_PROXIES": os.environ.get("MENTORNET_TRUSTED_PROXIES", s.host),
            **{f"MENTORNET_{name.upper()}_URL": f"http://{s.host}:{s.port_of(name)}" for name in SERVICES},
        }
        if not uses_broker(service):  # the web app never connects: no credentials, not even inherited
            env = {name: value for name, value in env.items() if name not in BROKER_CREDENTIALS}
        elif isinstance(self.kafka, ApacheKafkaCluster):  # its own user (shared/messaging/acls.py)
            signed_in = self.kafka.client_settings(service)
            env |= {f"MENTORNET_{name.upper()}": str(value) for name, value in signed_in.items()}
        return logged_popen(
            [sys.executable, "-m", f"services.{service}"],
            self._log_path(service),
            service,
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _wait_healthy(self, service: str, timeout_s: float = 60) -> None:
        url = f"http://{self.settings.host}:{self.settings.port_of(service)}/readyz"
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            process = self.processes[service]
            if process.poll() is not None:
                raise RuntimeError(
                    f"{service} exited with {process.returncode}: see {self._log_path(service)}"
                )
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{service} not ready after {timeout_s}s: see {self._log_path(service)}")

    def _where(self, child: str) -> Path:
        if child == POSTGRES:
            return self.postgres.pgdata / "server.log"
        if child == BROKER:
            return self.settings.data_dir / ("kafka" if self.settings.broker == "apache-kafka" else "logs")
        if child == MAIL:
            return self.settings.data_dir / "logs" / "smtp.log"
        return self._log_path(child)

    def _exit_code(self, child: str) -> int | None:
        if child == POSTGRES:
            return self.postgres.exit_code()
        if child == BROKER:
            return broker_exit_code(self.kafka)
        if child == MAIL:
            return self.smtp.exit_code()
        return self.processes[child].poll()

    def _restart(self, child: str) -> None:
        if child == POSTGRES:
            self.postgres.start()
        elif child == BROKER:
            self.kafka.stop()  # reaps what is left of it (every node of a cluster)
            self.kafka.start()
        elif child == MAIL:
            self.smtp.stop()
            self.smtp.start()
        else:
            self.processes[child] = self._spawn(child)

    def supervise(self, progress: Callable[[str], None] = print) -> None:
        """One look at every child: a dead one is reported and its restart scheduled, a due restart is
        made. Raises GaveUp when a child died `restart_attempts` times in a row. Call it often, from
        the thread that started the stack."""
        for child, restarts in self._restarts.items():
            if restarts.due_at is None:
                code = self._exit_code(child)
                if code is not None:
                    self._died(child, restarts, f"exited with {exit_description(code)}", progress)
            elif time.monotonic() >= restarts.due_at:
                restarts.due_at = None
                restarts.started_at = time.monotonic()
                try:
                    self._restart(child)
                except Exception as error:  # noqa: BLE001 - a failed start is one more death
                    self._died(child, restarts, f"could not start again ({error})", progress)
                    continue
                progress(f"{child} restarted")

    def _died(self, child: str, restarts: _Restarts, why: str, progress: Callable[[str], None]) -> None:
        s = self.settings
        now = time.monotonic()
        if now - restarts.started_at >= s.stable_after_s:
            restarts.deaths = 0
        restarts.deaths += 1
        if restarts.deaths > s.restart_attempts:
            raise GaveUp(
                f"{child} {why}, {restarts.deaths} times in a row: gave up (see {self._where(child)})"
            )
        backoff = min(s.restart_backoff_s * 2 ** (restarts.deaths - 1), s.restart_backoff_max_s)
        restarts.due_at = now + backoff
        progress(
            f"{child} {why}: restarting in {backoff:g}s"
            f" (restart {restarts.deaths} of {s.restart_attempts}; see {self._where(child)})"
        )

    def stop(self, progress: Callable[[str], None] = print) -> None:
        """Services first (SIGTERM, then SIGKILL to their process group after 15 s), then the broker,
        then PostgreSQL; each step runs even when one before it failed."""
        self._restarts.clear()
        try:
            for process in reversed(self.processes.values()):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for service, process in self.processes.items():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    progress(f"{service} did not stop in time: killed")
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            self.processes.clear()
        finally:
            try:
                self.smtp.stop()
                self.kafka.stop()
            finally:
                if self._postgres_started:
                    self._postgres_started = False
                    try:
                        self.postgres.stop()
                    except PostgresError as error:  # e.g. it never started: say so, do not hide why
                        progress(f"PostgreSQL did not stop cleanly: {error}")
        progress("stopped")
