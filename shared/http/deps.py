"""The runtime's pieces a route needs, as FastAPI dependencies every service uses the same way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import asyncpg
from fastapi import Depends, Request

from shared.privacy.vault import Vault as KeyVault
from shared.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


# async, so that FastAPI calls them inline rather than through its thread pool
async def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.runtime.pool
    return pool


async def _vault(request: Request) -> KeyVault:
    vault: KeyVault = request.app.state.runtime.vault
    return vault


def settings_of(kind: type[S]) -> Callable[[Request], Awaitable[S]]:
    """A dependency answering the service's own settings, typed as its settings class."""

    async def settings(request: Request) -> S:
        found = request.app.state.runtime.settings
        assert isinstance(found, kind)
        return found

    return settings


Pool = Annotated[asyncpg.Pool, Depends(_pool)]
Vault = Annotated[KeyVault, Depends(_vault)]
"""The key vault of the personal fields in events (shared/privacy)."""
