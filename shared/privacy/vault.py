"""The key vault: one data key per person, in a database of its own that stands in for a KMS.

Intake (the writer) creates keys and destroys them on erasure; every other service only reads a key by
subject. A destroyed key leaves a tombstone, so "erased" is a fact every reader can see. Keys read are
kept in a small in-process cache for a short while; erasure drops them from it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from uuid import UUID

import asyncpg
import structlog

from shared.db import migrator
from shared.db.pool import create_pool
from shared.privacy import crypto
from shared.settings import ServiceSettings

log = structlog.get_logger(__name__)

MIGRATIONS = "shared.privacy.migrations"
Keys = Mapping[UUID, bytes | None]
"""subject -> its key, or None when the key was destroyed (erased); subjects without a key are absent."""


class SubjectErased(Exception):
    """A value cannot be sealed for a person whose key was destroyed."""


class Vault:
    """Keys by subject, through a pool of its own opened on first use."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()
        self._cache: dict[UUID, tuple[bytes | None, float]] = {}

    @property
    def writer(self) -> bool:
        return self._settings.vault_writer

    async def start(self) -> None:
        """The writer brings the vault's table up to date; readers open their pool when first asked."""
        if not self.writer:
            return
        conn = await asyncpg.connect(self._settings.vault_database_url)
        try:
            await migrator.apply(conn, migrator.discover("vault", MIGRATIONS))
        finally:
            await conn.close()

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def _pool_ready(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                self._pool = await create_pool(
                    self._settings.vault_database_url,
                    self._settings.vault_pool_max,
                    command_timeout_s=self._settings.db_command_timeout_s,
                    acquire_timeout_s=self._settings.db_acquire_timeout_s,
                )
            return self._pool

    def forget(self, subjects: Iterable[UUID]) -> None:
        """Drop keys from this process's cache (on erasure)."""
        for subject in subjects:
            self._cache.pop(subject, None)

    def _cached(self, subjects: set[UUID]) -> dict[UUID, bytes | None]:
        now, found = time.monotonic(), {}
        for subject in subjects:
            hit = self._cache.get(subject)
            if hit is not None and (hit[0] is None or hit[1] > now):
                found[subject] = hit[0]
        return found

    def _remember(self, keys: Keys) -> None:
        expires = time.monotonic() + self._settings.vault_cache_ttl_s
        for subject, key in keys.items():
            self._cache[subject] = (key, expires)
        while len(self._cache) > self._settings.vault_cache_size:
            self._cache.pop(next(iter(self._cache)))

    async def keys(self, subjects: Iterable[UUID]) -> Keys:
        """The keys of `subjects` that exist (None for a destroyed one); reading never creates a key."""
        wanted = set(subjects)
        found = self._cached(wanted)
        missing = wanted - found.keys()
        if missing:
            pool = await self._pool_ready()
            try:
                rows = await pool.fetch(
                    "SELECT subject, key FROM vault_keys WHERE subject = ANY($1::uuid[])", list(missing)
                )
            except asyncpg.UndefinedTableError:
                rows = []  # intake has not made the vault yet, so nothing was sealed
            read = {row["subject"]: row["key"] for row in rows}
            self._remember(read)
            found.update(read)
        return found

    async def ensure_keys(self, subjects: Iterable[UUID]) -> dict[UUID, bytes]:
        """The writer's keys for `subjects`, made where missing; SubjectErased for a destroyed one."""
        wanted = set(subjects)
        found = dict(await self.keys(wanted))
        missing = wanted - found.keys()
        if missing:
            pool = await self._pool_ready()
            fresh = [(subject, crypto.new_key()) for subject in missing]
            await pool.executemany(
                "INSERT INTO vault_keys (subject, key) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING",
                fresh,
            )
            rows = await pool.fetch(
                "SELECT subject, key FROM vault_keys WHERE subject = ANY($1::uuid[])", list(missing)
            )
            read = {row["subject"]: row["key"] for row in rows}
            self._remember(read)
            found.update(read)
        erased = [subject for subject, key in found.items() if key is None]
        if erased:
            raise SubjectErased(f"{len(erased)} subject(s) erased: their values cannot be sealed again")
        return {subject: key for subject, key in found.items() if key is not None}

    async def destroy(self, subjects: Iterable[UUID]) -> int:
        """Destroy the keys of `subjects` (a tombstone stays, also for a subject that never had one)."""
        chosen = sorted(set(subjects))
        self.forget(chosen)
        if not chosen:
            return 0
        pool = await self._pool_ready()
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(
                """INSERT INTO vault_keys (subject, key, destroyed_at)
                   SELECT s, NULL, now() FROM unnest($1::uuid[]) AS s
                   ON CONFLICT (subject) DO UPDATE SET key = NULL, destroyed_at = coalesce(
                       vault_keys.destroyed_at, now())""",
                chosen,
            )
        self._remember(dict.fromkeys(chosen))
        log.info("vault keys destroyed", subjects=len(chosen))
        return len(chosen)
