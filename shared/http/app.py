"""Building and serving a service's FastAPI app around its runtime."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import structlog
import uvicorn
from fastapi import FastAPI

from shared.http.auth import require_staff
from shared.http.docs import install_offline_docs
from shared.http.errors import GateInvalid, Observe, install_error_handlers
from shared.http.limits import BodySizeLimit
from shared.http.lockout import CredentialLockout
from shared.http.operations import operations_router
from shared.http.probes import probes_router
from shared.http.screening import RequestScreen
from shared.logging import configure_logging
from shared.runtime import ServiceRuntime
from shared.settings import UnsafeSettings, refuse_unsafe


def service_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    version: str = "1",
    observe: Observe | None = None,
    gate_invalid: GateInvalid | None = None,
    body_limit: Callable[[str], int] | None = None,
    api_prefix: str = "/v1",
    staff: Callable[..., Any] = require_staff,
) -> FastAPI:
    """A FastAPI app whose lifespan starts and stops the runtime, answering refusals in the one error
    contract (shared/http/errors.py); the service adds its routers.

    Before any route (authentication included) sees a request, its body is capped (413 beyond
    `body_limit(path)`, by default the settings' max_body_bytes) and a NUL character or JSON nested too
    deep is refused (422), whatever the route (shared/http/limits.py, shared/http/screening.py), and a
    client with too many failed credential checks is locked out (429, shared/http/lockout.py).
    Every service also answers the operator's calls (shared/http/operations.py): `/ops/status`,
    `POST {api_prefix}/rebuild` (staff, as `staff` judges) and `/asyncapi.json`."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with runtime.running():
            yield

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_offline_docs(app)  # /docs and /redoc with their assets served here: they work offline
    app.state.runtime = runtime
    install_error_handlers(app, observe=observe, gate_invalid=gate_invalid)
    app.include_router(probes_router(runtime))
    app.include_router(operations_router(runtime, api_prefix=api_prefix, staff=staff))
    max_body_bytes = runtime.settings.max_body_bytes
    app.add_middleware(RequestScreen)
    app.add_middleware(CredentialLockout, settings=runtime.settings)
    app.add_middleware(BodySizeLimit, limit_for=body_limit or (lambda _path: max_body_bytes))  # outermost
    return app


def serve(app: FastAPI, runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    configure_logging(
        settings.log_format,
        settings.log_level,
        repeat_first=settings.log_repeat_first,
        repeat_window_s=settings.log_repeat_window_s,
    )
    try:
        refuse_unsafe(settings)
    except UnsafeSettings as error:
        structlog.get_logger(__name__).error("refusing to start", reason=str(error))
        sys.exit(f"mentornet: {error}")
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
    )
