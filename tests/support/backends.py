"""The real broker and PostgreSQL for tests: embedded by default, testcontainers on request.

`MENTORNET_TEST_BACKEND=containers` (with a Docker engine) runs Apache Kafka and PostgreSQL images
instead; the tests do not know the difference.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import asyncpg

from shared.embedded.scratch import scratch_kafka, scratch_postgres


class Postgres(Protocol):
    def url(self, database: str = "postgres") -> str: ...

    async def create_database(self, name: str) -> str: ...


def backend() -> str:
    return os.environ.get("MENTORNET_TEST_BACKEND", "embedded")


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    if backend() == "containers":
        with _postgres_container() as server:
            yield server
        return
    with scratch_postgres("mentornet-test-pg-", fast_unsafe=True) as server:
        yield server


@contextmanager
def kafka_bootstrap() -> Iterator[str]:
    if backend() == "containers":
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer().with_kraft() as container:
            yield container.get_bootstrap_server()
        return
    with scratch_kafka() as broker:
        yield broker.bootstrap


@contextmanager
def _postgres_container() -> Iterator[Postgres]:
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:16") as container:
        host, port = container.get_container_host_ip(), container.get_exposed_port(5432)
        user, password = container.username, container.password

        class ContainerPostgres:
            def url(self, database: str = "postgres") -> str:
                return f"postgresql://{user}:{password}@{host}:{port}/{database}"

            async def create_database(self, name: str) -> str:
                conn = await asyncpg.connect(self.url(container.dbname))
                try:
                    await conn.execute(f'CREATE DATABASE "{name}"')
                finally:
                    await conn.close()
                return self.url(name)

        yield ContainerPostgres()
