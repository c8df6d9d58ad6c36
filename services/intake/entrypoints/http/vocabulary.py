"""The closed lists a registration must use, for forms, spreadsheets and HR systems."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.intake.domain import themes, vocabulary
from services.intake.domain.importing import COLUMNS, REQUIRED_COLUMNS
from services.intake.entrypoints.http.schemas import Vocabulary

router = APIRouter(prefix="/v1", tags=["vocabulary"])


@router.get(
    "/vocabulary",
    response_model=Vocabulary,
    summary="The allowed codes of every closed field, and the import columns",
    description="Public: contains no data about anyone.",
)
async def get_vocabulary() -> dict[str, Any]:
    return {
        "themes": [{"code": code, "label": themes.LABELS[code]} for code in themes.THEMES],
        "industries": list(vocabulary.INDUSTRIES),
        "functions": list(vocabulary.FUNCTIONS),
        "regions": list(vocabulary.REGIONS),
        "meeting_preferences": list(vocabulary.MEETING_PREFERENCES),
        "languages": sorted(vocabulary.LANGUAGES),
        "withdrawal_reasons": list(vocabulary.WITHDRAWAL_REASONS),
        "import_columns": list(COLUMNS),
        "required_import_columns": list(REQUIRED_COLUMNS),
    }
