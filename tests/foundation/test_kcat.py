"""An operator's look at the broker: kcat lists the topics the services create at start-up."""

from __future__ import annotations

import asyncio
import subprocess

from shared.embedded.kcat import kcat_command
from shared.messaging.kafka import ensure_topics
from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS


async def test_kcat_lists_every_topic_with_its_partitions(kafka, topic_prefix):
    await ensure_topics(ServiceSettings(kafka_bootstrap=kafka, topic_prefix=topic_prefix))
    command, env = kcat_command(kafka, ["-L", "-m", "10"])
    listed = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=30
    )
    assert listed.returncode == 0, listed.stderr
    for topic in ALL_TOPICS:
        assert f'topic "{topic.name(topic_prefix)}" with {topic.partitions} partitions' in listed.stdout
