"""structlog configured once per process: JSON off a terminal, console on one.

Everything a process logs goes the same way: structlog's own lines, the standard library's loggers
(uvicorn, faststream, aiokafka, asyncpg), Python's warnings and an uncaught exception's traceback, so a
service's output is JSON lines only. A line that repeats (same logger, event and error class: a broker
that is down) is let through `repeat_first` times per `repeat_window_s`; the rest are dropped and the
first one let through after that carries `suppressed`, how many were dropped before it.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Hashable, MutableMapping
from types import TracebackType
from typing import Any

import structlog

REPEAT_FIRST = 5
REPEAT_WINDOW_S = 60.0


class RepeatLimit:
    """The first `first` of each key per window pass; then how many were held back, told once."""

    def __init__(self, first: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.first, self.window_s, self.clock = first, window_s, clock
        self._seen: dict[Hashable, list[float | int]] = {}  # key -> [window start, passed, dropped]
        self._lock = threading.Lock()

    def admit(self, key: Hashable) -> int | None:
        """None: drop this line. Otherwise let it through, saying how many were dropped before it."""
        now = self.clock()
        with self._lock:
            seen = self._seen.get(key)
            if seen is None or now - seen[0] >= self.window_s:
                dropped = int(seen[2]) if seen else 0
                self._seen[key] = [now, 1, 0]
                if len(self._seen) > 10_000:  # a bound, whatever varies in the keys
                    self._seen.pop(next(iter(self._seen)))
                return dropped
            if seen[1] < self.first:
                seen[1] += 1
                return 0
            seen[2] += 1
            return None


def _error_class(event_dict: MutableMapping[str, Any]) -> str:
    error = event_dict.get("error")
    if isinstance(error, BaseException):
        return type(error).__name__
    if isinstance(error, str):
        return error.split("(", 1)[0].split(":", 1)[0][:80]
    exc_info = event_dict.get("exc_info")
    if isinstance(exc_info, BaseException):
        return type(exc_info).__name__
    if isinstance(exc_info, tuple) and exc_info and exc_info[0] is not None:
        return str(exc_info[0].__name__)
    return ""


def limit_repeats(limit: RepeatLimit) -> structlog.typing.Processor:
    """structlog's own lines: (event, error class) is the key."""

    def processor(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        dropped = limit.admit(("", str(event_dict.get("event"))[:200], _error_class(event_dict)))
        if dropped is None:
            raise structlog.DropEvent
        if dropped:
            event_dict["suppressed"] = dropped
        return event_dict

    return processor


class RepeatFilter(logging.Filter):
    """The standard library's lines (aiokafka's reconnect loop): (logger, message template, error
    class) is the key; a record let through after drops carries `suppressed`."""

    def __init__(self, limit: RepeatLimit) -> None:
        super().__init__()
        self.limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        dropped = self.limit.admit((record.name, str(record.msg)[:200], error))
        if dropped is None:
            return False
        record.suppressed = dropped
        return True


def _suppressed_of_record(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    record = event_dict.get("_record")
    if getattr(record, "suppressed", 0):
        event_dict["suppressed"] = record.suppressed  # type: ignore[union-attr]
    return event_dict


def configure_logging(
    fmt: str = "auto",
    level: str = "info",
    *,
    repeat_first: int = REPEAT_FIRST,
    repeat_window_s: float = REPEAT_WINDOW_S,
) -> None:
    json_logs = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json_logs else structlog.dev.ConsoleRenderer()
    )
    limit = RepeatLimit(repeat_first, repeat_window_s)
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]
    structlog.configure(
        processors=[limit_repeats(limit), *shared, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
    # the standard library's loggers (uvicorn, aiokafka, asyncpg, warnings): the same lines
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_logger_name, _suppressed_of_record, *shared],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    handler.addFilter(RepeatFilter(limit))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught


def _log_uncaught(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
    """An exception nobody caught ends the process as one JSON line, traceback included."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, traceback)
        return
    structlog.get_logger("shared.logging").critical("uncaught exception", exc_info=(kind, error, traceback))
