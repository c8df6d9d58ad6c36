"""Matching's composition root: the only place that knows settings, runtime, routers and the flow together."""

from __future__ import annotations

from fastapi import FastAPI

from services.matching import flow
from services.matching.entrypoints.http import cohorts, export, pairs, pins, runs
from services.matching.settings import MatchingSettings
from services.matching.store.rebuild import clear_projections
from shared.http.app import serve, service_app
from shared.messaging.dispatch import Dispatcher
from shared.runtime import Consumption, ServiceRuntime
from shared.topics import consumed_by

project = Dispatcher(flow.EVENT_HANDLERS)
"""Intake's events applied in one transaction per batch, each by the handlers flow.py names."""


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    consumption = Consumption(topics=consumed_by("matching"), projection=project, clear=clear_projections)
    runtime = ServiceRuntime(settings or MatchingSettings(), "services.matching.migrations", consumption)
    app = service_app(
        runtime,
        title="mentornet matching",
        description="Whole-cohort mentor-mentee matching under hard rules, explained, reviewed and approved by staff.",
    )
    for module in (cohorts, runs, pins, pairs, export):
        app.include_router(module.router)
    return app


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
