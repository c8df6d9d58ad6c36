"""What every use case of the web app works with: its database pool, the four APIs and its rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import asyncpg

from services.web.domain.lockout import LockoutRule
from services.web.store.apis import Apis


class HasPool(Protocol):
    @property
    def pool(self) -> asyncpg.Pool: ...


@dataclass(frozen=True)
class Web:
    runtime: HasPool  # the pool exists once the runtime has started
    apis: Apis
    lockout: LockoutRule
    session_length: timedelta
    zone: str
    dashboard_url: str

    @property
    def pool(self) -> asyncpg.Pool:
        return self.runtime.pool
