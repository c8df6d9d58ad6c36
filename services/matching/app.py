"""Matching's composition root: the only place that knows settings, runtime and routers together."""

from __future__ import annotations

from fastapi import FastAPI

from services.matching.entrypoints import http
from services.matching.projection import project
from services.matching.settings import MatchingSettings
from shared.http.app import serve, service_app
from shared.runtime import Consumption, ServiceRuntime
from shared.topics import INTAKE


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    consumption = Consumption(topics=[INTAKE], projection=project)
    runtime = ServiceRuntime(settings or MatchingSettings(), "services.matching.migrations", consumption)
    app = service_app(
        runtime,
        title="mentornet matching",
        description="Whole-cohort mentor-mentee matching under hard rules, explained, reviewed and approved by staff.",
    )
    app.include_router(http.router)
    http.install_error_handlers(app)
    return app


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
