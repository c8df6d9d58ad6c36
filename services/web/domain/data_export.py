"""A person's data export as one ZIP: one JSON file per service, and a README saying what is in it."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from datetime import datetime
from typing import Any

SERVICES = ("intake", "matching", "sessions", "reporting")

README = """Your data in mentornet / Dine data i mentornet
=============================================

Participant / Deltager: {participant_id}
Exported / Udtrukket: {exported_at} (UTC)
Requested by / Bestilt af: {requested_by}

This archive holds everything the mentoring programme's system keeps about this person, one file per
part of the system, exactly as it is stored there:

{contents}

Private session notes belong to the pair: an export the person downloads from their own page holds the
notes they wrote themself, never the other member's; an export staff download says only how many there
are. Dates and times are UTC (ISO 8601). Ids (uuid) tie the files together: the same participant_id,
pair_id or session_id means the same thing in every file.

Arkivet indeholder alt, hvad mentorprogrammets system gemmer om personen, en fil pr. del af systemet,
præcis som det er gemt dér. Private noter fra samtaler tilhører parret: en udtrækning, personen selv
henter på sin egen side, indeholder de noter, personen selv har skrevet, aldrig den andens; en
udtrækning hentet af programmets medarbejdere viser kun, hvor mange der er.
"""


def filename(participant_id: object) -> str:
    return f"mentornet-data-{participant_id}.zip"


def archive(parts: Mapping[str, Any], participant_id: object, requested_by: str, at: datetime) -> bytes:
    """The ZIP: `<service>.json` for each service's answer, and README.txt."""
    contents = "\n".join(
        f"- {name}.json: {parts[name].get('holds', '') if isinstance(parts[name], dict) else ''}"
        for name in SERVICES
        if name in parts
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        readme = README.format(
            participant_id=participant_id,
            exported_at=at.isoformat(timespec="seconds"),
            requested_by="the person themself / personen selv"
            if requested_by == "self"
            else "programme staff / programmets medarbejdere",
            contents=contents,
        )
        zipped.writestr("README.txt", readme)
        for name in SERVICES:
            if name in parts:
                zipped.writestr(f"{name}.json", json.dumps(parts[name], indent=2, ensure_ascii=False))
    return buffer.getvalue()
