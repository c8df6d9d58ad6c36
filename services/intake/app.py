"""Intake's composition root: the only place that knows settings, runtime and routers together."""

from __future__ import annotations

from fastapi import FastAPI

from services.intake.entrypoints import http
from services.intake.settings import IntakeSettings
from shared.http.app import serve, service_app
from shared.runtime import ServiceRuntime


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    runtime = ServiceRuntime(settings or IntakeSettings(), "services.intake.migrations")
    app = service_app(
        runtime, title="mentornet intake", description="Partner companies register participants."
    )
    app.include_router(http.router)
    return app


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
