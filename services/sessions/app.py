"""Sessions's composition root: the only place that knows settings, runtime and routers together."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from services.sessions import flow
from services.sessions.entrypoints.http import (
    agreements,
    deps,
    evaluations,
    export,
    me,
    pairs,
    sessions,
    tokens,
)
from services.sessions.service_layer.metrics import SessionsMetrics
from services.sessions.service_layer.policy import Policy
from services.sessions.service_layer.projection import in_zone
from services.sessions.service_layer.tokens import announce_earlier_tokens
from services.sessions.settings import SessionsSettings
from services.sessions.store.rebuild import clear_projections
from shared.http.app import serve, service_app
from shared.messaging.dispatch import Dispatcher
from shared.runtime import Consumption, Periodic, ServiceRuntime
from shared.topics import consumed_by

DESCRIPTION = """Pairs log the conversations they hold: when, how long, how, which tools.
The programme learns that a session happened and how; private notes stay here, readable only by
the pair's two members (personal tokens), never by staff, partner companies or other services."""


def create_app(settings: SessionsSettings | None = None) -> FastAPI:
    settings = settings or SessionsSettings()
    projection = in_zone(settings.zone, Dispatcher(flow.EVENT_HANDLERS))
    consumption = Consumption(topics=consumed_by("sessions"), projection=projection, clear=clear_projections)
    announcing = Periodic("announce-member-tokens", settings.announce_tokens_every_s, announce_earlier_tokens)
    runtime = ServiceRuntime(settings, "services.sessions.migrations", consumption, periodic=[announcing])
    app = service_app(
        runtime,
        title="mentornet sessions",
        description=DESCRIPTION,
        observe=deps.count_refusal,
        gate_invalid=deps.hide_pair_from_strangers,
    )
    app.state.policy = Policy(
        zone=settings.zone,
        unknown_pair_grace=timedelta(seconds=settings.unknown_pair_grace_s),
        retry_after_s=settings.unknown_pair_retry_after_s,
        metrics=SessionsMetrics(runtime.metrics.registry),
    )
    for module in (me, pairs, tokens, sessions, agreements, evaluations, export):
        app.include_router(module.router)
    return app


def main() -> None:
    app = create_app()
    serve(app, app.state.runtime)
