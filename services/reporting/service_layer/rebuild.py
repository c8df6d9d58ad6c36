"""Rebuild: empty reporting's projections and replay every topic from the beginning.

The mechanism is shared by every consuming service (shared/messaging/rebuild.py): one database
transaction, dashboards keep reading the old figures until it commits; reporting brings its wipe.
"""

from __future__ import annotations

import asyncpg
from aiokafka import AIOKafkaProducer, TopicPartition

from services.reporting.settings import ReportingSettings
from services.reporting.store.rebuild import clear_for_rebuild
from shared.messaging import rebuild as shared_rebuild
from shared.messaging.consumer import Projection
from shared.messaging.rebuild import RebuildResult, committed_offsets
from shared.topics import consumed_by

__all__ = ["CONSUMED", "RebuildResult", "live_group", "live_offsets", "rebuild"]

CONSUMED = tuple(consumed_by("reporting"))


async def rebuild(
    pool: asyncpg.Pool, settings: ReportingSettings, dead_letters: AIOKafkaProducer, project: Projection
) -> RebuildResult:
    """Replay every consumed topic through `project` (the service's own projection) in one transaction."""
    return await shared_rebuild.rebuild(
        pool,
        settings,
        dead_letters,
        projection=project,
        topics=CONSUMED,
        clear=clear_for_rebuild,
        live_group=live_group(settings),
    )


def live_group(settings: ReportingSettings) -> str:
    """The consumer group of the running service (as ServiceRuntime names it)."""
    return f"{settings.topic_prefix}mentornet-{settings.service_name}"


async def live_offsets(
    settings: ReportingSettings, partitions: list[TopicPartition]
) -> dict[TopicPartition, int]:
    """Where the live consumer group has committed: what the running service has already applied."""
    return await committed_offsets(settings, live_group(settings), partitions)
