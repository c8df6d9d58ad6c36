"""The closed lists a registration must use and the import file's columns, for forms, spreadsheets
and HR systems; and an example import file to start one from."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from services.intake.domain import themes
from services.intake.domain import vocabulary as lists
from services.intake.domain.importing import COLUMNS, REQUIRED_COLUMNS
from services.intake.domain.registration import EXAMPLE

EXAMPLE_ROW: dict[str, Any] = {k: v for k, v in EXAMPLE.items() if k != "cohort_id"}
"""One row of an import: a registration without its cohort, which comes from the import."""


def vocabulary() -> dict[str, Any]:
    """Every allowed code; contains no data about anyone."""
    return {
        "themes": [{"code": code, "label": themes.LABELS[code]} for code in themes.THEMES],
        "industries": list(lists.INDUSTRIES),
        "functions": list(lists.FUNCTIONS),
        "regions": list(lists.REGIONS),
        "meeting_preferences": list(lists.MEETING_PREFERENCES),
        "languages": sorted(lists.LANGUAGES),
        "withdrawal_reasons": list(lists.WITHDRAWAL_REASONS),
        "import_columns": list(COLUMNS),
        "required_import_columns": list(REQUIRED_COLUMNS),
    }


def template(file_format: Literal["csv", "json"] = "csv") -> str:
    """An import file with every column and one example row; lists are `;`-separated in CSV."""
    if file_format == "json":
        return json.dumps([EXAMPLE_ROW], indent=2) + "\n"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(
        ";".join(map(str, v)) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else v
        for v in (EXAMPLE_ROW.get(c, "") for c in COLUMNS)
    )
    return out.getvalue()
