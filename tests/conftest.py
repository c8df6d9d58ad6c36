"""Session-wide real infrastructure: one PostgreSQL and one broker; a fresh database and topic prefix
per test, so tests never see each other's data."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from shared.settings import ServiceSettings
from tests.support.backends import Postgres, kafka_bootstrap, postgres_server

S = TypeVar("S", bound=ServiceSettings)
CLUSTER = Path(__file__).parent / "cluster"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """tests/cluster needs Java and starts a 3-node Apache Kafka: it runs only when named on the command
    line (`python3 dev.py test tests/cluster`, a step of its own in .ci/run), never by default."""
    if collection_path == CLUSTER:
        named = (Path(config.invocation_params.dir, arg.split("::")[0]).resolve() for arg in config.args)
        return not any(path == CLUSTER or CLUSTER in path.parents for path in named)
    return None


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def kafka() -> Iterator[str]:
    with kafka_bootstrap() as bootstrap:
        yield bootstrap


@pytest.fixture
def topic_prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture
def make_settings(
    postgres: Postgres, kafka: str, topic_prefix: str
) -> Callable[..., Awaitable[ServiceSettings]]:
    """`await make_settings(IntakeSettings, **overrides)`: settings on a fresh database, this test's topics."""

    vault: list[str] = []  # one key vault per test, shared by the services of that test

    async def make(cls: type[S] = ServiceSettings, **overrides: object) -> S:  # type: ignore[assignment]
        service = overrides.pop("service_name", None) or cls().service_name
        database = overrides.pop("database", None) or f"{service}_{uuid.uuid4().hex[:10]}"
        url = await postgres.create_database(str(database))
        if not vault and "vault_database_url" not in overrides:
            vault.append(await postgres.create_database(f"vault_{uuid.uuid4().hex[:10]}"))
        values: dict[str, object] = {
            "service_name": service,
            "database_url": url,
            "vault_database_url": vault[0] if vault else "",
            "kafka_bootstrap": kafka,
            "topic_prefix": topic_prefix,
            "session_timeout_ms": 1500,
            "heartbeat_interval_ms": 300,
            "consumer_backoff_s": 0.05,
            "relay_poll_interval_s": 0.2,
            "log_format": "json",
            "db_pool_max": 5,
            **overrides,
        }
        return cls(**values)

    return make
