"""The runtime's pieces a route needs, and the paging of participant lists, as FastAPI dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Depends, Query

from services.intake.settings import IntakeSettings
from services.intake.store.participants import Filters
from shared.http.deps import Pool, Vault, settings_of

__all__ = ["Page", "PageRequest", "Pool", "Settings", "Vault"]


@dataclass(frozen=True)
class PageRequest:
    filters: Filters
    after: int
    limit: int


def _page(
    cohort_id: UUID | None = None,
    role: Literal["mentor", "mentee"] | None = None,
    status: Literal["active", "withdrawn", "erased"] | None = None,
    external_ref: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[
        str | None, Query(pattern=r"^\d{1,18}$", description="next_cursor of the page before")
    ] = None,
) -> PageRequest:
    return PageRequest(Filters(cohort_id, role, status, external_ref), int(cursor or 0), limit)


Settings = Annotated[IntakeSettings, Depends(settings_of(IntakeSettings))]
Page = Annotated[PageRequest, Depends(_page)]
"""A page of participants: the filters, after which cursor, how many."""
