"""An uploaded file, cut into chunks of the rows the dry run accepted, for an import with progress (pure).

intake numbers a file's rows from 1 (the first data row; blank CSV lines are skipped, cells may span
lines). The import for real sends only the accepted rows, a chunk at a time, each chunk a file of
the same format (CSV: the same header and delimiter); each chunk's report rows are numbered back to
the file's own rows, so the final report reads like the dry run's.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CHUNK_ROWS = 250
FORMATS = {"csv": "text/csv", "json": "application/json"}


class Unreadable(ValueError):
    """The file cannot be cut into rows (intake's dry run will say why in its own words)."""


def format_of(filename: str, content_type: str) -> str | None:
    """ "csv" or "json", from the file's name first (browsers send CSV as many types), else its type."""
    name = filename.lower()
    if name.endswith(".csv") or name.endswith(".txt"):
        return "csv"
    if name.endswith(".json"):
        return "json"
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("text/csv", "application/vnd.ms-excel", "text/plain"):
        return "csv"
    if kind == "application/json":
        return "json"
    return None


@dataclass(frozen=True)
class Rows:
    """A file's data rows by number, and how to write some of them as a file again."""

    fmt: str
    rows: dict[int, Any]  # CSV: the row's cells; JSON: the item
    header: tuple[str, ...] = ()
    delimiter: str = ","

    def body(self, numbers: Sequence[int]) -> bytes:
        if self.fmt == "json":
            return json.dumps([self.rows[n] for n in numbers]).encode()
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.delimiter, lineterminator="\n")
        writer.writerow(self.header)
        for n in numbers:
            writer.writerow(self.rows[n])
        return out.getvalue().encode()


def rows_of(data: bytes, fmt: str) -> Rows:
    """Numbered as intake numbers them."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable("not UTF-8") from error
    if fmt == "json":
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as error:
            raise Unreadable("not JSON") from error
        if not isinstance(document, list):
            raise Unreadable("not a JSON array")
        return Rows("json", dict(enumerate(document, start=1)))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            raise Unreadable("empty")
        rows: dict[int, list[str]] = {}
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows[len(rows) + 1] = cells
    except csv.Error as error:
        raise Unreadable("not CSV") from error
    return Rows("csv", rows, tuple(header), delimiter)


def chunks(numbers: Sequence[int], size: int = CHUNK_ROWS) -> list[list[int]]:
    return [list(numbers[i : i + size]) for i in range(0, len(numbers), size)]


def accepted_rows(checked: Mapping[str, Any]) -> list[int]:
    return [r["row"] for r in checked.get("results", []) if r.get("status") == "accepted"]


def merge(
    checked: Mapping[str, Any], sent: Mapping[int, Mapping[str, Any]], complete: bool = True
) -> dict[str, Any]:
    """The import's report: each row as its chunk's report said, or as the dry run said (rejected).
    An import that stopped early reports the accepted rows it never sent as "not_sent"."""
    by_row = {r["row"]: dict(r) for r in checked.get("results", [])}
    if not complete:
        for row in by_row.values():
            if row.get("status") == "accepted":
                row.update(status="not_sent", participant_id=None, replayed=False)
    for number, result in sent.items():
        by_row[number] = {**result, "row": number, "line": by_row.get(number, {}).get("line")}
    ordered = [by_row[n] for n in sorted(by_row)]
    accepted = sum(1 for r in ordered if r.get("status") == "accepted")
    return {
        **checked,
        "dry_run": False,
        "accepted": accepted,
        "rejected": sum(1 for r in ordered if r.get("status") == "rejected"),
        "not_sent": sum(1 for r in ordered if r.get("status") == "not_sent"),
        "replayed": sum(1 for r in ordered if r.get("replayed")),
        "results": ordered,
    }
