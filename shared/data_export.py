"""The one shape of every service's answer to a data export request (the right of access)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import structlog

log = structlog.get_logger(__name__)


def export_answer(
    service: str, participant_id: UUID, by_staff: bool, holds: str, data: Any
) -> dict[str, Any]:
    """What `service` holds about one person, said in words (`holds`) and as rows (`data`); logged by
    id and requester only."""
    requested_by = "staff" if by_staff else "self"
    log.info("data export", service=service, participant_id=str(participant_id), requested_by=requested_by)
    return {
        "service": service,
        "participant_id": participant_id,
        "exported_at": datetime.now(UTC),
        "requested_by": requested_by,
        "holds": holds,
        "data": data,
    }
