"""Sessions' own Prometheus counters: counts by kind and code only, never a value a caller sent."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter


class SessionsMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.recorded = Counter(
            "mentornet_sessions_recorded",
            "Session versions recorded: held, corrected, retracted; by mentor, mentee or staff",
            ["kind", "by"],
            registry=registry,
        )
        self.replayed = Counter(
            "mentornet_sessions_replayed",
            "Repeated log requests answered without recording",
            registry=registry,
        )
        self.refused = Counter(
            "mentornet_sessions_refused",
            "Requests refused, by status and reason code",
            ["status", "code"],
            registry=registry,
        )
        self.tokens_issued = Counter(
            "mentornet_sessions_tokens_issued", "Member tokens issued (or reissued)", registry=registry
        )
