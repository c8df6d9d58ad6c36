"""An operator's look at the broker: kcat lists the topics the services create at start-up; `mentornet
kcat`, `mentornet topics` and `mentornet tail` follow the stack's settings (MENTORNET_KAFKA_PORT) as
`mentornet run` does, print no warnings, and say at once when no broker answers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from aiokafka import AIOKafkaProducer

from shared.embedded.kcat import kcat_command
from shared.embedded.ports import free_port
from shared.messaging.kafka import ensure_topics
from shared.settings import ServiceSettings
from shared.topics import ALL_TOPICS

MENTORNET = str(Path(sys.executable).with_name("mentornet"))


def stack_env(bootstrap: str) -> dict[str, str]:
    """The environment `mentornet run` would be started with: a host and a broker port, no bootstrap."""
    host, _, port = bootstrap.rpartition(":")
    env = {k: v for k, v in os.environ.items() if k != "MENTORNET_KAFKA_BOOTSTRAP"}
    return {**env, "MENTORNET_HOST": host, "MENTORNET_KAFKA_PORT": port}


async def mentornet(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run, [MENTORNET, *args], env=env, capture_output=True, text=True, timeout=60
    )


async def test_kcat_lists_every_topic_with_its_partitions(kafka, topic_prefix):
    await ensure_topics(ServiceSettings(kafka_bootstrap=kafka, topic_prefix=topic_prefix))
    command, env = kcat_command(kafka, ["-L", "-m", "10"])
    listed = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=30
    )
    assert listed.returncode == 0, listed.stderr
    for topic in ALL_TOPICS:
        assert f'topic "{topic.name(topic_prefix)}" with {topic.partitions} partitions' in listed.stdout


async def test_mentornet_kcat_follows_the_stack_port_and_prints_no_warning(kafka, topic_prefix):
    await ensure_topics(ServiceSettings(kafka_bootstrap=kafka, topic_prefix=topic_prefix))
    intake = ALL_TOPICS[0].name(topic_prefix)
    listed = await mentornet("kcat", "-L", "-m", "10", env=stack_env(kafka))
    assert listed.returncode == 0, listed.stderr
    assert f'topic "{intake}" with' in listed.stdout
    queried = await mentornet("kcat", "-Q", "-t", f"{intake}:0:0", env=stack_env(kafka))
    assert queried.returncode == 0, queried.stderr
    assert f"{intake} [0] offset 0" in queried.stdout
    assert queried.stderr == ""  # librdkafka's "api.version.request is deprecated" is not shown


async def test_topics_and_tail_show_what_the_broker_holds(kafka, topic_prefix):
    settings = ServiceSettings(kafka_bootstrap=kafka, topic_prefix=topic_prefix)
    await ensure_topics(settings)
    topic = ALL_TOPICS[0]
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all")
    await producer.start()
    try:
        for n in range(5):
            await producer.send_and_wait(
                topic.name(topic_prefix), f'{{"n": {n}}}'.encode(), partition=n % 2, key=b"k"
            )
    finally:
        await producer.stop()

    listed = await mentornet("topics", env=stack_env(kafka))
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in listed.stdout.splitlines()[1:]}
    name = topic.name(topic_prefix)
    assert rows[(name, "0")] == ["0", "3", "3"] and rows[(name, "1")] == ["0", "2", "2"]
    assert rows[(name, "2")] == ["0", "0", "0"]

    tailed = await mentornet("tail", name, env=stack_env(kafka))
    assert tailed.returncode == 0 and tailed.stderr == "", tailed.stderr
    lines = sorted(tailed.stdout.splitlines())
    assert lines == sorted(f'{n % 2}\t{n // 2}\tk\t{{"n": {n}}}' for n in range(5))


async def test_every_broker_command_says_at_once_when_no_broker_answers():
    nothing = {**stack_env("127.0.0.1:1"), "MENTORNET_KAFKA_PORT": str(free_port())}
    for args in (["kcat", "-L"], ["topics"], ["tail", "mentornet.intake"]):
        refused = await mentornet(*args, env=nothing)
        assert refused.returncode == 2, (args, refused.stderr)
        assert f"no broker answers at 127.0.0.1:{nothing['MENTORNET_KAFKA_PORT']}" in refused.stderr
        assert "MENTORNET_KAFKA_PORT" in refused.stderr
