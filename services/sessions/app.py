"""Sessions's composition root: the only place that knows settings, runtime and routers together."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from services.sessions.entrypoints import errors, http
from services.sessions.metrics import SessionsMetrics
from services.sessions.projection import projection
from services.sessions.service import Policy
from services.sessions.settings import SessionsSettings
from shared.http.app import serve, service_app
from shared.runtime import Consumption, ServiceRuntime
from shared.topics import INTAKE, MATCHING

DESCRIPTION = """Pairs log the conversations they hold: when, how long, how, which tools.
The programme learns that a session happened and how; private notes stay here, readable only by
the pair's two members (personal tokens), never by staff, partner companies or other services."""


def create_app(settings: SessionsSettings | None = None) -> FastAPI:
    settings = settings or SessionsSettings()
    consumption = Consumption(topics=[INTAKE, MATCHING], projection=projection(settings.zone))
    runtime = ServiceRuntime(settings, "services.sessions.migrations", consumption)
    app = service_app(runtime, title="mentornet sessions", description=DESCRIPTION)
    app.state.policy = Policy(
        zone=settings.zone,
        unknown_pair_grace=timedelta(seconds=settings.unknown_pair_grace_s),
        retry_after_s=settings.unknown_pair_retry_after_s,
        metrics=SessionsMetrics(runtime.metrics.registry),
    )
    errors.install(app)
    app.include_router(http.router)
    return app


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
