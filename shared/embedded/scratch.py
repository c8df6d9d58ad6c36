"""Throw-away PostgreSQL and broker on free ports, for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared.embedded.kafka import EmbeddedKafka
from shared.embedded.ports import free_port
from shared.embedded.postgres import EmbeddedPostgres


@contextmanager
def scratch_postgres(prefix: str = "mentornet-", fast_unsafe: bool = False) -> Iterator[EmbeddedPostgres]:
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(data_dir, 0o755)  # when run as root the server runs as another user, who must reach it
    server = EmbeddedPostgres(data_dir, port=free_port(), fast_unsafe=fast_unsafe)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@contextmanager
def scratch_kafka() -> Iterator[EmbeddedKafka]:
    broker = EmbeddedKafka(port=free_port())
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@contextmanager
def scratch_infrastructure(
    prefix: str = "mentornet-", fast_unsafe: bool = False
) -> Iterator[tuple[EmbeddedPostgres, EmbeddedKafka]]:
    with scratch_postgres(prefix, fast_unsafe) as postgres, scratch_kafka() as kafka:
        yield postgres, kafka
