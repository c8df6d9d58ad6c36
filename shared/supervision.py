"""The long-running tasks of a service process (relay, consumer, pruning), watched.

A task that raises or returns is logged, reported by `/readyz` as not ready, and started again after a
backoff that doubles up to a ceiling (and starts over once a run lasted a while).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import structlog

from shared.metrics import ServiceMetrics

log = structlog.get_logger(__name__)

Ready = Callable[..., None]  # ready() or ready("ok"): all is well; ready("why not"): running, not ready
Work = Callable[[Ready], Awaitable[None]]

READY = "ok"
STARTING = "starting"
_STABLE_AFTER_S = 60.0  # a run this long resets the backoff


@dataclass
class _Watched:
    name: str
    work: Work
    state: str = STARTING
    first_start: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    task: asyncio.Task[None] | None = None


class Supervisor:
    def __init__(self, metrics: ServiceMetrics, backoff_s: float, backoff_max_s: float) -> None:
        self._metrics = metrics
        self._backoff_s = backoff_s
        self._backoff_max_s = backoff_max_s
        self._watched: dict[str, _Watched] = {}

    def start(self, name: str, work: Work) -> asyncio.Future[None]:
        """Run `work(ready)` for ever; the returned future resolves at its first `ready()` call, or
        holds the error its first run died of."""
        watched = _Watched(name, work)
        watched.first_start.add_done_callback(lambda f: f.cancelled() or f.exception())  # retrieved
        watched.task = asyncio.create_task(self._keep(watched), name=name)
        self._watched[name] = watched
        return watched.first_start

    def health(self) -> dict[str, str]:
        """'ok' for each task that runs and said it is ready, else what it is doing."""
        return {name: watched.state for name, watched in self._watched.items()}

    async def stop(self) -> None:
        tasks = [w.task for w in self._watched.values() if w.task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._watched.clear()

    async def _keep(self, watched: _Watched) -> None:
        loop = asyncio.get_running_loop()
        backoff = self._backoff_s

        def ready(state: str = READY) -> None:
            watched.state = state
            if state == READY and not watched.first_start.done():
                watched.first_start.set_result(None)

        while True:
            began = loop.time()
            watched.state = STARTING
            try:
                await watched.work(ready)
                error: BaseException = RuntimeError(f"{watched.name} stopped on its own")
            except asyncio.CancelledError:
                raise
            except Exception as failure:  # noqa: BLE001 - whatever killed it, it is reported and restarted
                error = failure
            if not watched.first_start.done():
                watched.first_start.set_exception(error)
            if loop.time() - began > _STABLE_AFTER_S:
                backoff = self._backoff_s
            watched.state = f"died ({error!r}); restarting in {backoff:g}s"
            self._metrics.task_restarts.labels(watched.name).inc()
            log.error("task died", task=watched.name, error=repr(error), restart_in_s=backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self._backoff_max_s)
