"""Bulk import: turning a CSV or JSON file into rows, and deciding each row's fate before writing.

A file-level problem (unreadable, unknown or missing columns, too many rows) refuses the whole
import. A row-level problem rejects that row only; the others go on.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from uuid import UUID

from pydantic import ValidationError

from services.intake.domain import errors
from services.intake.domain.company import avoid_list_problems
from services.intake.domain.errors import Invalid, Problem, TooLarge, UnsupportedFormat, problems_from
from services.intake.domain.registration import Registration
from services.intake.domain.vocabulary import code
from shared.text import holds_nul, nul_problem

Format = Literal["csv", "json"]

COLUMNS: tuple[str, ...] = tuple(name for name in Registration.model_fields if name != "cohort_id")
REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    name for name, info in Registration.model_fields.items() if info.is_required() and name != "cohort_id"
)
LIST_COLUMNS = frozenset({"languages", "themes", "avoid_company_ids"})
BOOLEAN_COLUMNS = frozenset({"consent"})
_LIST_SEPARATORS = re.compile(r"[;,|]")
_DANISH_BOOLEANS = {"ja": "true", "nej": "false"}


@dataclass(frozen=True)
class SourceRow:
    """One row of the file: its number among the data rows (1 = first), the CSV line it starts on."""

    row: int
    fields: Mapping[str, Any]
    line: int | None = None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class RowResult:
    row: int
    status: Literal["accepted", "rejected"]
    line: int | None = None
    external_ref: str | None = None
    participant_id: UUID | None = None
    replayed: bool = False
    errors: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Checked:
    source: SourceRow
    registration: Registration | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Prior:
    """An earlier registration under the same external_ref: what it was, and who it made."""

    fingerprint: str
    participant_id: UUID


@dataclass
class Screening:
    results: dict[int, RowResult] = field(default_factory=dict)
    to_register: list[tuple[SourceRow, Registration]] = field(default_factory=list)


@dataclass
class Seen:
    """Emails and external_refs of the rows accepted higher up in the file, with their row numbers."""

    emails: dict[str, int] = field(default_factory=dict)
    refs: dict[str, int] = field(default_factory=dict)


def format_of(content_type: str) -> Format:
    media = content_type.split(";")[0].strip().lower()
    if media in {"text/csv", "application/csv"}:
        return "csv"
    if media in {"application/json", "text/json"}:
        return "json"
    raise UnsupportedFormat(
        f"send the file as text/csv or application/json, not {media or 'no content type'}"
    )


def parse(data: bytes, fmt: Format, max_rows: int) -> list[SourceRow]:
    rows = parse_csv(data) if fmt == "csv" else parse_json(data)
    if len(rows) > max_rows:
        raise TooLarge(f"the file has {len(rows)} rows; at most {max_rows} per import", "too_many_rows")
    return rows


def _file_problem(message: str, kind: str) -> Invalid:
    return Invalid([Problem(("body",), message, kind)])


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _file_problem(
            f"the file is not UTF-8 (byte {error.start}); save it as 'CSV UTF-8' or JSON", "encoding"
        ) from error


def parse_csv(data: bytes) -> list[SourceRow]:
    """A header row with the field names, then one participant per row; lists split on ; , or |."""
    text = _text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_cells = next(reader, None)
    if not header_cells or not any(cell.strip() for cell in header_cells):
        raise _file_problem("the file is empty: the first row must name the columns", "empty_file")
    header = [str(code(cell)) for cell in header_cells]
    _check_header(header)
    rows: list[SourceRow] = []
    line = reader.line_num + 1
    for cells in _csv_rows(reader):
        starts_on, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        number = len(rows) + 1
        if len(cells) > len(header):
            problem = Problem(
                ("row",), f"has {len(cells)} cells but the header names {len(header)} columns", "extra_cells"
            )
            rows.append(SourceRow(number, {}, starts_on, (problem,)))
            continue
        rows.append(SourceRow(number, _csv_fields(header, cells), starts_on))
    return rows


def _csv_rows(reader: Any) -> Iterator[list[str]]:
    """The reader's rows; one it cannot read (a cell over 131,072 characters) refuses the file."""
    try:
        yield from reader
    except csv.Error as error:
        raise _file_problem(f"line {reader.line_num}: {error}", "csv_invalid") from error


def _check_header(header: list[str]) -> None:
    problems = []
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        problems.append(
            Problem(
                ("body", "header"),
                f"unknown columns {unknown}; the columns are {list(COLUMNS)}",
                "unknown_columns",
            )
        )
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        problems.append(Problem(("body", "header"), f"columns named twice: {twice}", "duplicate_columns"))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append(Problem(("body", "header"), f"missing required columns {missing}", "missing_columns"))
    if problems:
        raise Invalid(problems)


def _csv_fields(header: Sequence[str], cells: Sequence[str]) -> dict[str, Any]:
    """Empty cells are absent fields; list cells split; ja/nej read as booleans."""
    fields: dict[str, Any] = {}
    for name, cell in zip(header, cells, strict=False):
        value = cell.strip()
        if not value:
            continue
        if name in LIST_COLUMNS:
            fields[name] = [item.strip() for item in _LIST_SEPARATORS.split(value) if item.strip()]
        elif name in BOOLEAN_COLUMNS:
            fields[name] = _DANISH_BOOLEANS.get(value.lower(), value)
        else:
            fields[name] = value
    return fields


def parse_json(data: bytes) -> list[SourceRow]:
    """A JSON array of objects with the same fields as a single registration (without cohort_id)."""
    try:
        document = json.loads(_text(data))
    except json.JSONDecodeError as error:
        raise _file_problem(f"not valid JSON: {error}", "json_invalid") from error
    except RecursionError as error:
        raise _file_problem("the JSON is nested too deeply to read", "json_too_deep") from error
    if not isinstance(document, list):
        raise _file_problem("the JSON must be an array of participant objects", "json_not_array")
    rows = []
    for number, item in enumerate(document, start=1):
        if isinstance(item, dict):
            rows.append(SourceRow(number, item))
        else:
            rows.append(
                SourceRow(number, {}, None, (Problem(("row",), "must be a JSON object", "not_object"),))
            )
    return rows


def _without_nul(source: SourceRow) -> SourceRow:
    """The row, rejected naming each field holding a NUL character (PostgreSQL cannot store it)."""
    problems = tuple(nul_problem((name,)) for name, value in source.fields.items() if holds_nul(value))
    return replace(source, problems=problems) if problems else source


def check(rows: Sequence[SourceRow], cohort_id: UUID) -> list[Checked]:
    """Every registration rule that needs no database, row by row."""
    checked = []
    for source in rows:
        if source.problems or (source := _without_nul(source)).problems:
            checked.append(Checked(source, None, source.problems))
        elif "cohort_id" in source.fields:
            problem = Problem(
                ("cohort_id",), "the cohort comes from the import, not the rows", "extra_forbidden"
            )
            checked.append(Checked(source, None, (problem,)))
        else:
            try:
                registration = Registration.model_validate({**source.fields, "cohort_id": cohort_id})
            except ValidationError as error:
                checked.append(Checked(source, None, tuple(problems_from(error))))
            else:
                checked.append(Checked(source, registration, ()))
    return checked


def screen(
    checked: Sequence[Checked],
    company_id: UUID,
    known_companies: Collection[UUID],
    priors: Mapping[str, Prior],
    taken_emails: Collection[str],
    seen: Seen | None = None,
) -> Screening:
    """Decide each valid row against the rows above it (`seen`, kept across the batches of one file)
    and against what is already registered."""
    screening = Screening()
    seen = seen or Seen()
    emails, refs = seen.emails, seen.refs

    def reject(source: SourceRow, *problems: Problem, ref: str | None = None) -> None:
        screening.results[source.row] = RowResult(
            source.row, "rejected", source.line, external_ref=ref, errors=problems
        )

    for item in checked:
        source, registration = item.source, item.registration
        if registration is None:
            reject(source, *item.problems, ref=_ref_of(source))
            continue
        ref, email = registration.external_ref, registration.email.lower()
        if ref is not None and ref in refs:
            reject(
                source,
                Problem(("external_ref",), f"{ref!r} is also on row {refs[ref]}", "duplicate_in_file"),
                ref=ref,
            )
            continue
        if ref is not None and ref in priors:
            prior = priors[ref]
            if prior.fingerprint == registration.fingerprint():
                refs[ref] = source.row
                screening.results[source.row] = RowResult(
                    source.row, "accepted", source.line, ref, prior.participant_id, replayed=True
                )
            else:
                reject(source, errors.external_ref_conflict_problem(ref, prior.participant_id), ref=ref)
            continue
        problems = avoid_list_problems(registration.avoid_company_ids, company_id, known_companies)
        if email in emails:
            problems.append(Problem(("email",), f"is also on row {emails[email]}", "duplicate_in_file"))
        elif email in taken_emails:
            problems.append(errors.duplicate_email_problem())
        if problems:
            reject(source, *problems, ref=ref)
            continue
        emails[email] = source.row
        if ref is not None:
            refs[ref] = source.row
        screening.to_register.append((source, registration))
    return screening


def _ref_of(source: SourceRow) -> str | None:
    ref = source.fields.get("external_ref")
    return ref if isinstance(ref, str) else None
