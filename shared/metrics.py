"""Prometheus metrics of one service, in its own registry so several services can share a process."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.published = Counter(
            "mentornet_events_published",
            "Events the outbox relay delivered",
            ["topic"],
            registry=self.registry,
        )
        self.consumed = Counter(
            "mentornet_events_consumed",
            "Events applied to this service's projections",
            ["topic"],
            registry=self.registry,
        )
        self.duplicates = Counter(
            "mentornet_events_duplicate",
            "Events skipped because they were already applied",
            ["topic"],
            registry=self.registry,
        )
        self.skipped = Counter(
            "mentornet_events_skipped",
            "Events of a type this service does not know, skipped",
            ["topic"],
            registry=self.registry,
        )
        self.failed = Counter(
            "mentornet_events_failed",
            "Attempts to apply an event that raised an error",
            ["topic"],
            registry=self.registry,
        )
        self.dead_lettered = Counter(
            "mentornet_events_dead_lettered",
            "Events sent to the dead-letter topic",
            ["topic"],
            registry=self.registry,
        )
        self.from_another_topic = Counter(
            "mentornet_events_from_another_topic",
            "Events refused (dead-lettered) because their type belongs to another producer's topic",
            ["topic"],
            registry=self.registry,
        )
        self.parked = Counter(
            "mentornet_events_parked",
            "Events of a newer schema version than this service understands, parked until replayed",
            ["topic"],
            registry=self.registry,
        )
        self.parked_waiting = Gauge(
            "mentornet_events_parked_waiting",
            "Parked events not yet applied: upgrade the service, then `mentornet parked replay`",
            registry=self.registry,
        )
        self.lag = Gauge(
            "mentornet_consumer_lag",
            "Events stored on the broker that this consumer has not processed yet",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.task_restarts = Counter(
            "mentornet_task_restarts",
            "Relay, consumer or pruning tasks that died and were started again",
            ["task"],
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "mentornet_outbox_pending", "Events written but not yet published", registry=self.registry
        )
        self.service = service
