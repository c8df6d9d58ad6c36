"""Forward-only plain-SQL migrations (`NNNN_what.sql`), applied on start and recorded in a table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import asyncpg
import structlog

log = structlog.get_logger(__name__)

_FILE = re.compile(r"^(\d{4})_[\w-]+\.sql$")
_LOCK_KEY = 0x6D656E746F72  # "mentor": one migrator at a time per database


@dataclass(frozen=True)
class Migration:
    component: str
    version: int
    name: str
    sql: str


def discover(component: str, package: str) -> list[Migration]:
    """The migrations in `package` (a folder of NNNN_what.sql files), in version order."""
    folder: Traversable = resources.files(package)
    found = []
    for entry in folder.iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(component, int(match.group(1)), entry.name, entry.read_text()))
    versions = [m.version for m in found]
    if len(versions) != len(set(versions)):
        raise ValueError(f"two migrations share a version in {package}")
    return sorted(found, key=lambda m: m.version)


async def apply(conn: asyncpg.Connection, migrations: list[Migration]) -> list[Migration]:
    """Apply what is not yet recorded, each in its own transaction; return what was applied."""
    applied: list[Migration] = []
    # The lock comes first: two instances starting together on a new database would otherwise race on
    # CREATE TABLE IF NOT EXISTS, which is not safe against a concurrent create of the same table.
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   component text NOT NULL, version integer NOT NULL, name text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))"""
        )
        done = {
            (r["component"], r["version"])
            for r in await conn.fetch("SELECT component, version FROM schema_migrations")
        }
        for migration in migrations:
            if (migration.component, migration.version) in done:
                continue
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)",
                    migration.component,
                    migration.version,
                    migration.name,
                )
            log.info("migration applied", component=migration.component, migration=migration.name)
            applied.append(migration)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    return applied


def service_migrations(service: str, package: str) -> list[Migration]:
    """The shared infrastructure tables first, then the service's own."""
    return discover("shared", "shared.db.migrations") + discover(service, package)
