"""The closed lists a registration must use, for forms, spreadsheets and HR systems."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.intake.entrypoints.http.schemas import Vocabulary
from services.intake.service_layer import vocabulary

router = APIRouter(prefix="/v1", tags=["vocabulary"])


@router.get(
    "/vocabulary",
    response_model=Vocabulary,
    summary="The allowed codes of every closed field, and the import columns",
    description="Public: contains no data about anyone.",
)
async def get_vocabulary() -> dict[str, Any]:
    return vocabulary.vocabulary()
