"""The web app produces and consumes no events (shared/topics.py): it starts, serves its pages, is ready
and stops with no broker anywhere, so on Apache Kafka it needs no user of its own. Real HTTP and
PostgreSQL; the broker address is a port nothing listens on. (It lives here, not in tests/web: an
asyncio test run after that folder's Playwright tests finds no usable event loop.)"""

from __future__ import annotations

import httpx

from services.web.app import create_app
from services.web.settings import WebSettings
from shared import status
from shared.topics import uses_broker
from tests.operations.support import free_port, serve_http


async def test_the_web_app_starts_serves_and_is_ready_with_no_broker_reachable(make_settings, kafka):
    assert not uses_broker("web")
    nowhere = f"127.0.0.1:{free_port()}"  # closed: a client that tried would fail or hang here
    settings = await make_settings(WebSettings, kafka_bootstrap=nowhere)
    app = create_app(settings)
    runtime = app.state.runtime

    async with serve_http(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        assert runtime.producer is None and runtime.relay is None and runtime.consumer is None
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        checks = ready.json()["checks"]
        assert "broker" not in checks and "relay" not in checks
        assert checks["database"] == "ok" and all(value == "ok" for value in checks.values())

        page = await client.get("/sign-in")
        assert page.status_code == 200 and "<form" in page.text

        own = (await client.get("/ops/status")).json()
        assert own["publishing"] is False and own["consumer_group"] is None and own["outbox_pending"] == 0
        metrics = await client.get("/metrics")
        assert metrics.status_code == 200 and "mentornet_outbox_pending 0.0" in metrics.text

        # `mentornet status` (its broker reads on the test's real broker): ready, consuming nothing
        operator = settings.model_copy(update={"kafka_bootstrap": kafka})
        (web,) = await status.gather(operator, {"web": url})
        assert web.up and web.ready and web.problem is None and web.consumer_group is None
        assert "web: ready" in web.lines() and "web: consumes no topic" in web.lines()
    assert runtime.pool.is_closing()  # it stopped cleanly: nothing to stop on the broker's side
