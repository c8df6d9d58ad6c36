"""Reporting's composition root: the only place that knows settings, runtime, routers and the handler
table together."""

from __future__ import annotations

from fastapi import FastAPI

from services.reporting import flow
from services.reporting.entrypoints.http import api, dashboard, deps, export, year
from services.reporting.service_layer.projection import grouped
from services.reporting.service_layer.reports import Reports, Today, programme_today
from services.reporting.settings import ReportingSettings
from services.reporting.store.rebuild import clear_for_rebuild
from shared.http.app import serve, service_app
from shared.http.origin import SameOriginPosts
from shared.runtime import Consumption, ServiceRuntime
from shared.topics import consumed_by

project = grouped(flow.EVENT_HANDLERS)
"""Reporting's projection: the handler table applied to a batch, grouped by handler."""


def create_app(settings: ReportingSettings | None = None, *, today: Today | None = None) -> FastAPI:
    """`today` replaces the clock (tests); by default it is today in the programme's time zone."""
    settings = settings or ReportingSettings()
    consumption = Consumption(topics=consumed_by("reporting"), projection=project, clear=clear_for_rebuild)
    runtime = ServiceRuntime(settings, "services.reporting.migrations", consumption)
    app = service_app(
        runtime,
        title="mentornet reporting",
        description="Programme dashboards: the whole programme for staff, each partner company's own "
        "people in aggregate. The same figures as JSON, CSV and HTML (/dashboard).",
        api_prefix="/api",
        staff=deps.staff,
    )
    app.state.reports = Reports(runtime, settings, today or programme_today(settings.programme_timezone))
    app.include_router(api.router)
    app.include_router(year.router)
    app.include_router(dashboard.router)
    app.include_router(export.router)
    # the dashboard's cookie must not be usable from another site: every POST comes from this one
    app.add_middleware(SameOriginPosts, trust_forwarded_host=settings.trust_forwarded_headers)
    return app


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
