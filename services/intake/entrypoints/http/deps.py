"""The runtime's pieces a route needs, as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from services.intake.settings import IntakeSettings


def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.runtime.pool


def _settings(request: Request) -> IntakeSettings:
    settings = request.app.state.runtime.settings
    assert isinstance(settings, IntakeSettings)
    return settings


Pool = Annotated[asyncpg.Pool, Depends(_pool)]
Settings = Annotated[IntakeSettings, Depends(_settings)]
