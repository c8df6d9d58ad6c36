"""A registered participant and what can happen to it: registration, profile changes, withdrawal.

Each decision returns the new state and the event to publish (or None when nothing visible changed).
Events carry what matching needs and the display name; email, job title, free text and consent
stay in intake (the personal-data decision in docs/intake.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from services.intake.domain.errors import Conflict
from services.intake.domain.registration import ProfileChanges, Registration
from services.intake.domain.vocabulary import WithdrawalReason
from shared.events import (
    ParticipantProfile,
    ParticipantProfileUpdated,
    ParticipantRegistered,
    ParticipantWithdrawn,
)

Status = Literal["active", "withdrawn", "erased"]
PRODUCER = "intake"


@dataclass(frozen=True)
class Participant:
    participant_id: UUID
    company_id: UUID
    registration: Registration
    consented_at: datetime
    registered_at: datetime
    updated_at: datetime
    status: Status = "active"
    withdrawn_at: datetime | None = None
    withdrawal_reason: WithdrawalReason | None = None
    withdrawal_note: str = ""


CompanyIds = tuple[UUID, ...]


def merged_avoid_list(own: CompanyIds, company: CompanyIds) -> CompanyIds:
    """The participant's own avoid list, then what their company avoids for everyone, each once."""
    return tuple(dict.fromkeys((*own, *company)))


def profile_of(registration: Registration, company_avoid: CompanyIds = ()) -> ParticipantProfile:
    """The attributes matching scores on; nothing else of the registration leaves intake. The avoid
    list includes the companies the participant's company avoids (its must-not-pair list)."""
    return ParticipantProfile(
        leadership_level=registration.leadership_level,
        years_experience=registration.years_experience,
        industry=registration.industry,
        function=registration.function,
        languages=registration.languages,
        region=registration.region,
        meeting_preference=registration.meeting_preference,
        themes=registration.themes,
        capacity=registration.capacity,
        avoid_company_ids=merged_avoid_list(registration.avoid_company_ids, company_avoid),
    )


def _state(
    participant_id: UUID, company_id: UUID, registration: Registration, company_avoid: CompanyIds
) -> dict[str, Any]:
    """The fields of ParticipantState: who the participant is to the programme, as events state it."""
    return {
        "participant_id": participant_id,
        "company_id": company_id,
        "cohort_id": registration.cohort_id,
        "role": registration.role,
        "display_name": registration.name,
        "profile": profile_of(registration, company_avoid),
    }


def register(
    registration: Registration,
    company_id: UUID,
    participant_id: UUID,
    now: datetime,
    company_avoid: CompanyIds = (),
) -> tuple[Participant, ParticipantRegistered]:
    participant = Participant(
        participant_id=participant_id,
        company_id=company_id,
        registration=registration,
        consented_at=registration.consented_at or now,
        registered_at=now,
        updated_at=now,
    )
    event = ParticipantRegistered(
        **_state(participant_id, company_id, registration, company_avoid), occurred_at=now, producer=PRODUCER
    )
    return participant, event


def update(
    participant: Participant, changes: ProfileChanges, now: datetime, company_avoid: CompanyIds = ()
) -> tuple[Participant, ParticipantProfileUpdated | None]:
    """Apply the changes; an event only when something matching or staff see has changed."""
    if participant.status == "erased":
        raise Conflict("an erased participant cannot be changed", "participant_erased")
    if participant.status == "withdrawn":
        raise Conflict("a withdrawn participant cannot be changed", "participant_withdrawn")
    before = participant.registration
    after = changes.apply_to(before)
    if after == before:
        return participant, None
    changed = replace(participant, registration=after, updated_at=now)
    if after.name == before.name and profile_of(after, company_avoid) == profile_of(before, company_avoid):
        return changed, None
    event = ParticipantProfileUpdated(
        **_state(participant.participant_id, participant.company_id, after, company_avoid),
        occurred_at=now,
        producer=PRODUCER,
    )
    return changed, event


def restate(
    participant: Participant, company_avoid_before: CompanyIds, company_avoid_after: CompanyIds, now: datetime
) -> ParticipantProfileUpdated | None:
    """The profile again after the company's must-not-pair list changed; None when the participant is
    withdrawn or their merged avoid list comes out the same."""
    own = participant.registration.avoid_company_ids
    if participant.status != "active":
        return None
    if merged_avoid_list(own, company_avoid_before) == merged_avoid_list(own, company_avoid_after):
        return None
    return ParticipantProfileUpdated(
        **_state(
            participant.participant_id, participant.company_id, participant.registration, company_avoid_after
        ),
        occurred_at=now,
        producer=PRODUCER,
    )


def withdraw(
    participant: Participant, reason: WithdrawalReason, note: str, now: datetime
) -> tuple[Participant, ParticipantWithdrawn | None]:
    """Withdrawing twice is not an error: the second call changes nothing and emits nothing."""
    if participant.status == "erased":
        raise Conflict("an erased participant cannot be withdrawn", "participant_erased")
    if participant.status == "withdrawn":
        return participant, None
    withdrawn = replace(
        participant,
        status="withdrawn",
        withdrawn_at=now,
        withdrawal_reason=reason,
        withdrawal_note=note,
        updated_at=now,
    )
    event = ParticipantWithdrawn(
        participant_id=participant.participant_id,
        company_id=participant.company_id,
        cohort_id=participant.registration.cohort_id,
        role=participant.registration.role,
        reason=reason,
        occurred_at=now,
        producer=PRODUCER,
    )
    return withdrawn, event


def _iso(instant: datetime) -> str:
    """UTC as pydantic writes it ('...Z'), so every answer spells times the same way."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def view(participant: Participant) -> dict[str, Any]:
    """The participant as its own company (and staff) read it: JSON-ready."""
    registration = participant.registration.model_dump(mode="json", exclude={"consent", "consented_at"})
    return {
        "participant_id": str(participant.participant_id),
        "company_id": str(participant.company_id),
        "status": participant.status,
        **registration,
        "consented_at": _iso(participant.consented_at),
        "registered_at": _iso(participant.registered_at),
        "updated_at": _iso(participant.updated_at),
        "withdrawn_at": _iso(participant.withdrawn_at) if participant.withdrawn_at else None,
        "withdrawal_reason": participant.withdrawal_reason,
        "withdrawal_note": participant.withdrawal_note,
    }
