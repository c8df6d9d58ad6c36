"""The settings the use cases need, and the clock (replaceable in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from services.sessions.service_layer.metrics import SessionsMetrics


@dataclass(frozen=True)
class Policy:
    zone: ZoneInfo
    unknown_pair_grace: timedelta
    retry_after_s: int
    metrics: SessionsMetrics

    def now(self) -> datetime:
        return datetime.now(UTC)
