"""Helpers for reporting's tests: publishing events as the other services would, waiting until
reporting has applied them, and reading the same figures back out of JSON, CSV and HTML."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

import asyncpg
import httpx

from services.reporting.settings import ReportingSettings
from shared.events import Event
from tests.support.backends import Postgres
from tests.support.events import publish  # noqa: F401 - the shared helper, re-exported
from tests.support.services import eventually

ADMIN = "test-admin-token"


async def reporting_settings(
    postgres: Postgres, kafka: str, prefix: str | None = None, **overrides: Any
) -> ReportingSettings:
    """Like the `make_settings` fixture, for fixtures wider than one test."""
    url = await postgres.create_database(f"reporting_{uuid.uuid4().hex[:10]}")
    values: dict[str, Any] = {
        "database_url": url,
        "vault_database_url": await postgres.create_database(f"vault_{uuid.uuid4().hex[:10]}"),
        "kafka_bootstrap": kafka,
        "topic_prefix": prefix or f"t{uuid.uuid4().hex[:10]}.",
        "session_timeout_ms": 1500,
        "heartbeat_interval_ms": 300,
        "consumer_backoff_s": 0.05,
        "log_format": "json",
        "db_pool_max": 5,
        "admin_token": ADMIN,
        "rebuild_idle_ms": 500,
        **overrides,
    }
    return ReportingSettings(**values)


async def processed(pool: asyncpg.Pool) -> int:
    async with pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM processed_events"))


async def until_applied(pool: asyncpg.Pool, events: Sequence[Event]) -> None:
    await eventually(lambda: processed(pool), equals=len({e.event_id for e in events}), timeout_s=30)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def signed_link(client: httpx.AsyncClient, path: str, token: str) -> str:
    """`path?code=...`: a dashboard link that signs one browser in once, as whoever `token` stands for."""
    answer = await client.post("/api/sign-in-codes", headers=auth(token))
    assert answer.status_code == 201, answer.text
    return f"{path}?code={answer.json()['code']}"


def summary(report: dict[str, Any]) -> dict[str, Any]:
    return {row["figure"]: row["value"] for row in report["tables"]["summary"]["rows"]}


def rows(report: dict[str, Any], table: str) -> dict[str, dict[str, Any]]:
    """A table's rows by their key, without the key column."""
    spec = report["tables"][table]
    return {str(r[spec["key"]]): {k: v for k, v in r.items() if k != spec["key"]} for r in spec["rows"]}


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


class _Cells(HTMLParser):
    """Collects the text of every element carrying the given attribute (data-cell by default)."""

    def __init__(self, attribute: str) -> None:
        super().__init__()
        self.attribute = attribute
        self.cells: dict[str, str] = {}
        self._open: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cell = dict(attrs).get(self.attribute)
        if cell is not None:
            self._open.append((tag, cell, []))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, cell, parts = self._open.pop()
            self.cells[cell] = "".join(parts).strip()

    def handle_data(self, data: str) -> None:
        for _, _, parts in self._open:
            parts.append(data)


def html_cells(page: str, attribute: str = "data-cell") -> dict[str, str]:
    """`{"table/rowkey/column": text}` for every figure the page shows (the report's tables; the
    programme year's figures carry `data-year` instead)."""
    parser = _Cells(attribute)
    parser.feed(page)
    return parser.cells


def expected_cells(report: dict[str, Any]) -> dict[str, str]:
    """What the HTML must show for a JSON report: every non-id cell of every table, as text."""
    cells = {"report/today/value": report["today"]}
    for name, spec in report["tables"].items():
        shown = [c["key"] for c in spec["columns"] if c["kind"] != "id"]
        for row in spec["rows"]:
            for column in shown:
                cells[f"{name}/{row[spec['key']]}/{column}"] = as_text(row[column])
    return cells
