"""An operator inspects and re-drives dead letters: a poison event is dead-lettered, listed, shown
(ids, types and the error, never a name), the consumer is fixed, the event replayed and applied once,
by its own group only; a second replay says it was done. Real broker, real PostgreSQL, the real command."""

from __future__ import annotations

import json
from collections.abc import Sequence

import asyncpg

from shared.events import Event, ParticipantRegistered
from shared.messaging.dead_letters import list_dead_letters
from shared.runtime import Consumption, ServiceRuntime
from shared.topics import INTAKE
from tests.foundation.probe_service import MIGRATIONS, POISON, consumer, participant
from tests.operations.support import mentornet
from tests.support.events import publish
from tests.support.services import eventually


async def fixed(conn: asyncpg.Connection, events: Sequence[Event]) -> None:
    """The projection after the fix: a participant named POISON is projected like any other."""
    rows = [(e.participant_id, e.display_name) for e in events if isinstance(e, ParticipantRegistered)]
    await conn.executemany("INSERT INTO seen_participants VALUES ($1, $2)", rows)


def fixed_consumer(settings, group_id: str = "") -> ServiceRuntime:
    return ServiceRuntime(
        settings, MIGRATIONS, Consumption(topics=[INTAKE], projection=fixed, group_id=group_id)
    )


def counter(runtime: ServiceRuntime, name: str) -> float:
    labels = {"topic": runtime.settings.topic(INTAKE.base_name)}
    return runtime.metrics.registry.get_sample_value(f"mentornet_events_{name}_total", labels) or 0.0


async def names(runtime: ServiceRuntime) -> list[str]:
    async with runtime.pool.acquire() as conn:
        return sorted(r[0] for r in await conn.fetch("SELECT display_name FROM seen_participants"))


async def test_a_poison_event_is_listed_shown_replayed_after_the_fix_and_applied_once(make_settings):
    settings = await make_settings(service_name="probe", consumer_retries=1)
    other = await make_settings(service_name="other")  # a second consuming service that never failed it
    ada, poison, bo = participant("Ada"), participant(POISON), participant("Bo")
    await publish(settings, [ada, poison, bo])
    topic = settings.topic(INTAKE.base_name)

    failing, bystander = consumer(settings), fixed_consumer(other, group_id=f"{other.topic_prefix}other")
    async with failing.running(), bystander.running():
        await eventually(lambda: counter(failing, "dead_lettered"), equals=1.0, timeout_s=30)
        assert await eventually(lambda: names(failing), equals=["Ada", "Bo"])
        assert await eventually(lambda: names(bystander), equals=["Ada", "Bo", POISON])

    listed = await mentornet(settings, "dead-letters", "list")
    (letter,) = await list_dead_letters(settings)
    assert (letter.topic, letter.group, letter.key) == (topic, failing.group_id, poison.key.encode())
    assert f"0 ParticipantRegistered from {topic}[{letter.partition}]@{letter.original_offset} " in listed
    assert f"group {failing.group_id}, " in listed
    assert "waiting: Poisoned('this participant cannot be projected')" in listed
    assert "1 dead letter(s), 1 waiting" in listed

    shown = await mentornet(settings, "dead-letters", "show", "0")
    assert f"event event_id: {poison.event_id}" in shown
    assert f"event participant_id: {poison.participant_id}" in shown
    assert f"event company_id: {poison.company_id}" in shown
    assert (
        "event event_type: ParticipantRegistered" in shown
        and "header event_type: ParticipantRegistered" in shown
    )
    assert "error: Poisoned('this participant cannot be projected')" in shown
    assert f"consumer_group: {failing.group_id}" in shown and "replayed at: not yet" in shown
    assert POISON not in shown and "display_name" not in shown and "energy" not in shown  # nothing personal
    as_json = json.loads(await mentornet(settings, "dead-letters", "show", "0", "--json"))
    assert as_json["event"]["event_id"] == str(poison.event_id) and POISON not in json.dumps(as_json)

    healed, bystander = fixed_consumer(settings), fixed_consumer(other, group_id=f"{other.topic_prefix}other")
    async with healed.running(), bystander.running():
        replayed = await mentornet(settings, "dead-letters", "replay", "0")
        assert f"replayed 0 to {topic} for group {failing.group_id}" in replayed
        assert "1 dead letter(s) replayed" in replayed
        assert await eventually(lambda: names(healed), equals=["Ada", "Bo", POISON], timeout_s=30)
        await eventually(lambda: counter(bystander, "duplicate"), equals=1.0, timeout_s=30)  # passed by
        assert counter(bystander, "consumed") == 0 and await names(bystander) == ["Ada", "Bo", POISON]

        again = await mentornet(settings, "dead-letters", "replay", "--group", failing.group_id)
        assert "0 was replayed already at " in again and "not sent again" in again
        assert "0 dead letter(s) replayed" in again
        listed = await mentornet(settings, "dead-letters", "list")
        assert "1 dead letter(s), 0 waiting" in listed and "replayed " in listed
        assert counter(healed, "consumed") == 1 and counter(healed, "dead_lettered") == 0
        assert await names(healed) == ["Ada", "Bo", POISON]  # applied once

    missing = await mentornet(settings, "dead-letters", "replay", "7", expect=2)
    assert "no dead letter 7" in missing
