"""Sealing and opening personal values: pure AES-GCM under the subject's key, and a consumer's view of
a batch (plain text, or `erased` once the subject's key is destroyed or the subject recorded erased)."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg
import pytest

from shared.db import migrator
from shared.events import CompanyRegistered, PairEnded, ParticipantProfile, ParticipantRegistered
from shared.events.registry import read_event
from shared.privacy import ERASED, crypto
from shared.privacy.sealing import open_events, remember_erased_subjects, seal_events, seal_nested
from shared.privacy.vault import MIGRATIONS, SubjectErased, Vault
from shared.settings import ServiceSettings
from tests.foundation import golden

PROFILE = ParticipantProfile(
    leadership_level=2, years_experience=4, industry="energy", function="operations",
    languages=("da",), region="midtjylland", meeting_preference="either",
)  # fmt: skip


def registered(name: str, participant_id: uuid.UUID | None = None) -> ParticipantRegistered:
    pid = participant_id or uuid.uuid4()
    return ParticipantRegistered(
        participant_id=pid, company_id=uuid.uuid4(), cohort_id=uuid.uuid4(), role="mentee",
        display_name=name, profile=PROFILE, producer="intake",
    )  # fmt: skip


def test_a_sealed_value_opens_only_under_its_subjects_key_and_untouched():
    key, subject = crypto.new_key(), uuid.uuid4()
    sealed = crypto.seal(key, subject, "Mette Jensen")
    assert sealed.startswith(f"enc:v1:{subject}:") and "Mette" not in sealed
    assert crypto.seal(key, subject, "Mette Jensen") != sealed  # a fresh nonce every time
    assert crypto.open_sealed(key, sealed) == "Mette Jensen"
    with pytest.raises(crypto.Unopenable):
        crypto.open_sealed(crypto.new_key(), sealed)  # another key
    moved = sealed.replace(str(subject), str(uuid.uuid4()))
    with pytest.raises(crypto.Unopenable):
        crypto.open_sealed(key, moved)  # copied under another subject's id
    body = sealed.rsplit(":", 1)[1]
    tampered = sealed[: -len(body)] + ("A" if body[0] != "A" else "B") + body[1:]
    with pytest.raises(crypto.Unopenable):
        crypto.open_sealed(key, tampered)
    assert crypto.open_sealed(key, "plain text from before sealing") == "plain text from before sealing"


def test_events_stored_before_sealing_are_read_with_their_plain_names():
    raw = (golden.FOLDER / "examples" / "ParticipantRegistered.v1.json").read_bytes()
    event = read_event(raw)
    assert isinstance(event, ParticipantRegistered) and event.schema_version == 2
    assert event.display_name == "Ada L." and not crypto.is_sealed(event.display_name)


@pytest.fixture
async def places(postgres):
    """A consumer's database (the shared tables) and a vault, both fresh."""
    service_url = await postgres.create_database(f"sealing_{uuid.uuid4().hex[:10]}")
    vault_url = await postgres.create_database(f"vault_{uuid.uuid4().hex[:10]}")
    conn = await asyncpg.connect(service_url)
    await migrator.apply(conn, migrator.discover("shared", "shared.db.migrations"))
    vault_conn = await asyncpg.connect(vault_url)
    await migrator.apply(vault_conn, migrator.discover("vault", MIGRATIONS))
    await vault_conn.close()
    writer = Vault(ServiceSettings(vault_database_url=vault_url, vault_writer=True))
    reader = Vault(ServiceSettings(vault_database_url=vault_url))
    yield conn, writer, reader
    await conn.close()
    await writer.stop()
    await reader.stop()


async def test_a_consumer_reads_plain_names_until_the_key_is_destroyed_then_erased(places):
    conn, writer, reader = places
    mette, jens = registered("Mette Jensen"), registered("Jens Holm")
    company = CompanyRegistered(company_id=uuid.uuid4(), name="Nordvind", hr_contact_name="Lone Holm",
                                hr_contact_email="loho@nordvind.example", producer="intake")  # fmt: skip
    sealed = await seal_events(writer, [mette, jens, company])
    assert all(crypto.is_sealed(v) for v in (sealed[0].display_name, sealed[1].display_name))  # type: ignore[attr-defined]
    assert crypto.is_sealed(sealed[2].hr_contact_email) and sealed[2].name == "Nordvind"  # type: ignore[attr-defined]
    assert "Mette" not in sealed[0].model_dump_json()

    opened = await open_events(conn, reader, sealed)
    assert [opened[0].display_name, opened[1].display_name] == ["Mette Jensen", "Jens Holm"]  # type: ignore[attr-defined]
    assert opened[2].hr_contact_email == "loho@nordvind.example"  # type: ignore[attr-defined]

    await writer.destroy([mette.participant_id])
    reader.forget([mette.participant_id])  # what a consumer does on ParticipantErased
    opened = await open_events(conn, reader, sealed)
    assert [opened[0].display_name, opened[1].display_name] == [ERASED, "Jens Holm"]  # type: ignore[attr-defined]
    with pytest.raises(SubjectErased):
        await seal_events(writer, [registered("Mette again", mette.participant_id)])


async def test_plain_names_of_an_erased_person_read_as_erased(places):
    """Events from before sealing carry plain names: the vault's tombstone, or the consumer's own record
    of who was erased, makes them read as erased all the same."""
    conn, writer, reader = places
    by_tombstone, by_record, kept = registered("Old Name One"), registered("Old Name Two"), registered("Kept")
    await writer.destroy([by_tombstone.participant_id])  # a person erased who never had a key
    await remember_erased_subjects(conn, [by_record.participant_id])
    opened = await open_events(conn, reader, [by_tombstone, by_record, kept])
    assert [e.display_name for e in opened] == [ERASED, ERASED, "Kept"]  # type: ignore[attr-defined]


async def test_a_value_of_two_people_reads_until_either_is_erased(places):
    """PairEnded.reason may name either member: sealed under the mentee's key inside the mentor's, it
    opens while both keys exist and reads as erased once either is destroyed, or either recorded erased."""
    conn, writer, reader = places
    for erase_mentee in (True, False):
        mentee, mentor = uuid.uuid4(), uuid.uuid4()
        await writer.ensure_keys([mentee, mentor])
        sealed = await seal_nested(reader, [mentee, mentor], "Mentor moved to Aarhus")
        assert sealed is not None and crypto.subject_of(sealed) == mentor and "Aarhus" not in sealed
        ended = PairEnded(pair_id=uuid.uuid4(), cohort_id=uuid.uuid4(), mentee_id=mentee, mentor_id=mentor,
                          ended_on=date.today(), reason=sealed, producer="matching")  # fmt: skip
        assert (await open_events(conn, reader, [ended]))[0].reason == "Mentor moved to Aarhus"  # type: ignore[attr-defined]
        await writer.destroy([mentee if erase_mentee else mentor])
        reader.forget([mentee, mentor])
        assert (await open_events(conn, reader, [ended]))[0].reason == ERASED  # type: ignore[attr-defined]
        assert await seal_nested(reader, [mentee, mentor], "again") is None
    kept_mentee, kept_mentor = uuid.uuid4(), uuid.uuid4()
    await writer.ensure_keys([kept_mentee, kept_mentor])
    sealed = await seal_nested(reader, [kept_mentee, kept_mentor], "Both kept")
    ended = PairEnded(pair_id=uuid.uuid4(), cohort_id=uuid.uuid4(), mentee_id=kept_mentee,
                      mentor_id=kept_mentor, ended_on=date.today(), reason=sealed or "", producer="matching")  # fmt: skip
    await remember_erased_subjects(conn, [kept_mentee])  # the consumer's own record, keys still there
    assert (await open_events(conn, reader, [ended]))[0].reason == ERASED  # type: ignore[attr-defined]


def test_pair_ends_stored_before_sealing_are_read_with_their_plain_reason():
    event = read_event((golden.FOLDER / "examples" / "PairEnded.v1.json").read_bytes())
    assert isinstance(event, PairEnded) and event.schema_version == 2
    assert event.reason == "programme_completed"
    stored = read_event((golden.FOLDER / "examples" / "PairEnded.v2.json").read_bytes())
    assert isinstance(stored, PairEnded) and crypto.is_sealed(stored.reason)
