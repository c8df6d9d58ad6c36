"""An erased person stays erased when the broker forgets everything: a new embedded broker gets every
relay's whole history again (ParticipantRegistered with its sealed name among it) and every consumer reads
it all again; no projection brings the person back, and the new log holds nothing readable of them."""

from __future__ import annotations

from shared.embedded.kafka import EmbeddedKafka
from shared.embedded.ports import free_port
from shared.privacy import ERASED
from tests.privacy.programme import (
    EXPECTED,
    STAFF,
    all_published,
    build,
    names_seen,
    running,
    service_settings,
    staff_figures,
)
from tests.privacy.scan import every_record, found_in_database, found_in_records
from tests.privacy.test_erasure import CONSUMERS, reporting_name
from tests.support.services import eventually


async def test_an_erasure_survives_a_broker_that_forgot_and_relays_that_send_history_again(make_settings):
    port = free_port()
    first = EmbeddedKafka(port=port)
    first.start()
    try:
        settings = await service_settings(make_settings, kafka_bootstrap=first.bootstrap)
        async with running(settings) as p:
            await build(p)
            assert p.erased is not None
            mette, kept, cohort_id, theirs = (
                p.erased,
                p.kept,
                p.cohort_id,
                [*p.erased.strings, p.erased_notes],
            )
            erased = await p.clients["intake"].post(
                f"/v1/participants/{mette.participant_id}/erasure", headers=STAFF
            )
            assert erased.status_code == 200 and erased.json()["keys"] == "destroyed", erased.text
            shown = {
                "matching": {ERASED, *(k.name for k in kept)},
                "sessions": {ERASED, *(k.name for k in kept)},
            }
            await eventually(lambda: names_seen(p), equals=shown, timeout_s=30)
            await eventually(lambda: reporting_name(p, mette.participant_id), equals=ERASED, timeout_s=30)
    finally:
        first.stop()

    second = EmbeddedKafka(port=port)  # same address, a new and empty broker with a new cluster id
    second.start()
    try:
        async with running(settings) as p:
            p.cohort_id, p.erased, p.kept = cohort_id, mette, kept
            for name in ("intake", *CONSUMERS):
                await all_published(p.runtime(name))

            def duplicates(name: str) -> float:
                registry = p.runtime(name).metrics.registry
                topic = p.settings[name].topic("mentornet.intake")
                return registry.get_sample_value("mentornet_events_duplicate_total", {"topic": topic}) or 0.0

            for name in CONSUMERS:  # every consumer has read intake's history again (and applied none twice)
                await eventually(lambda name=name: duplicates(name) >= 5, timeout_s=60)
            assert await names_seen(p) == shown
            assert await reporting_name(p, mette.participant_id) == ERASED
            assert await staff_figures(p) == EXPECTED
            records = await every_record(settings["intake"])
            assert any(r.topic.endswith("mentornet.intake") for r in records)
            assert found_in_records(records, theirs) == {}
            for name, service in settings.items():
                assert await found_in_database(service.database_url, theirs) == {}, name
    finally:
        second.stop()
