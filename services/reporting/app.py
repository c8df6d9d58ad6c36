"""Reporting's composition root: the only place that knows settings, runtime and routers together."""

from __future__ import annotations

from fastapi import FastAPI

from services.reporting.projection import project
from services.reporting.settings import ReportingSettings
from shared.http.app import serve, service_app
from shared.runtime import Consumption, ServiceRuntime
from shared.topics import INTAKE


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    consumption = Consumption(topics=[INTAKE], projection=project)
    runtime = ServiceRuntime(settings or ReportingSettings(), "services.reporting.migrations", consumption)
    return service_app(runtime, title="mentornet reporting", description="Reporting service.")


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
