"""Sessions's composition root: the only place that knows settings, runtime and routers together."""

from __future__ import annotations

from fastapi import FastAPI

from services.sessions.projection import project
from services.sessions.settings import SessionsSettings
from shared.http.app import serve, service_app
from shared.runtime import Consumption, ServiceRuntime
from shared.topics import INTAKE


def create_app(settings: SessionsSettings | None = None) -> FastAPI:
    consumption = Consumption(topics=[INTAKE], projection=project)
    runtime = ServiceRuntime(settings or SessionsSettings(), "services.sessions.migrations", consumption)
    return service_app(runtime, title="mentornet sessions", description="Sessions service.")


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
