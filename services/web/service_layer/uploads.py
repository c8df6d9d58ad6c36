"""A partner company uploads a CSV or JSON file: a dry run with a per-row report, then the import for
real with its progress, a chunk of accepted rows at a time.

The dry run is intake's (`dry_run=true`: every rule, duplicates in the file and what is already
registered, nothing written). The file waits in the web app's database until it is imported (then it
is deleted) or expires. The import sends only the rows the dry run accepted, in chunks, from a task in
this process; each chunk's answer moves the progress the page shows. Re-sending rows is harmless:
intake recognises a row's external_ref (replayed) and refuses an email already in the cohort.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import structlog

from services.web.domain import upload as files
from services.web.domain.errors import Conflict, Invalid, NotFound, Problem, Refusal
from services.web.domain.identity import Visitor
from services.web.service_layer.context import Web
from services.web.store import people, uploads
from shared.errors import TooLarge, UnsupportedFormat

log = structlog.get_logger(__name__)

KEPT_FOR = timedelta(days=1)
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
_running: set[asyncio.Task[None]] = set()  # held so they are not collected while they run
_importing: set[UUID] = set()  # the uploads this process is importing now


def company_key(visitor: Visitor) -> str:
    return hashlib.sha256(visitor.credential.encode()).hexdigest()


def _file_problem(message: str, kind: str) -> Invalid:
    return Invalid([Problem(("body", "file"), message, kind)])


async def check(
    web: Web, visitor: Visitor, cohort_id: str, filename: str, content_type: str, data: bytes
) -> UUID:
    """The dry run of a file; its report is kept with the file. Refused as a whole: field problems."""
    problems = []
    try:
        cohort = UUID(cohort_id)
    except ValueError:
        problems.append(Problem(("body", "cohort_id"), "choose a cohort", "missing"))
    fmt = files.format_of(filename, content_type)
    if not data:
        problems.append(Problem(("body", "file"), "choose a CSV or JSON file", "file_missing"))
    elif fmt is None:
        problems.append(Problem(("body", "file"), "the file must be CSV or JSON", "unsupported_format"))
    elif len(data) > MAX_UPLOAD_BYTES:
        problems.append(Problem(("body", "file"), "the file is larger than 16 MiB", "body_too_large"))
    if problems:
        raise Invalid(problems)
    assert fmt is not None
    try:
        checked = await people.import_file(
            web.apis.intake, visitor.credential, cohort, data, files.FORMATS[fmt], dry_run=True
        )
    except Invalid as refused:  # the file as a whole: its header, its encoding
        raise _file_problem(" ".join(p.msg for p in refused.problems), refused.problems[0].type) from refused
    except NotFound as refused:
        raise Invalid([Problem(("body", "cohort_id"), refused.message, "cohort_not_found")]) from refused
    except (Conflict, TooLarge, UnsupportedFormat) as refused:  # a closed window; too many rows or bytes
        field = "cohort_id" if (refused.code or "").startswith("intake_") else "file"
        raise Invalid([Problem(("body", field), refused.message, refused.code or "conflict")]) from refused
    upload_id = uuid.uuid4()
    async with web.pool.acquire() as conn:
        await uploads.delete_expired(conn)
        await uploads.insert_upload(
            conn,
            upload_id,
            company_key(visitor),
            cohort,
            filename[:200] or "upload",
            files.FORMATS[fmt],
            data,
            checked,
            datetime.now(UTC) + KEPT_FOR,
        )
    return upload_id


async def upload(web: Web, visitor: Visitor, upload_id: UUID) -> dict[str, Any]:
    """The company's own upload as it stands; another company's is a 404."""
    async with web.pool.acquire() as conn:
        found = await uploads.upload(conn, upload_id, company_key(visitor))
    if found is None:
        raise NotFound("no such upload")
    if found["state"] == "importing" and upload_id not in _importing:
        # the process that imported it stopped (a restart): say so, and how far it is known to have come
        report = files.merge(found["checked"], {}, complete=False)
        async with web.pool.acquire() as conn:
            await uploads.fail(conn, upload_id, "interrupted", report)
        found.update(state="failed", failure="interrupted", report=report)
    found.pop("data", None)
    return found


async def start(web: Web, visitor: Visitor, upload_id: UUID) -> None:
    """Import the rows the dry run accepted; started once, whatever the clicks."""
    key = company_key(visitor)
    async with web.pool.acquire() as conn:
        found = await uploads.upload(conn, upload_id, key)
        if found is None:
            raise NotFound("no such upload")
        accepted = files.accepted_rows(found["checked"])
        if not await uploads.start_import(conn, upload_id, key, len(accepted)):
            return
    _importing.add(upload_id)
    task = asyncio.create_task(_import(web, visitor.credential, found, accepted))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def _import(web: Web, credential: str, found: dict[str, Any], accepted: list[int]) -> None:
    upload_id: UUID = found["upload_id"]
    checked = found["checked"]
    sent: dict[int, dict[str, Any]] = {}
    try:
        rows = files.rows_of(found["data"], "json" if found["content_type"] == "application/json" else "csv")
        for chunk in files.chunks(accepted):
            report = await people.import_file(
                web.apis.intake,
                credential,
                found["cohort_id"],
                rows.body(chunk),
                found["content_type"],
                dry_run=False,
            )
            for number, result in zip(chunk, report["results"], strict=True):
                sent[number] = result
            async with web.pool.acquire() as conn:
                await uploads.progress(conn, upload_id, len(sent))
        async with web.pool.acquire() as conn:
            await uploads.finish(conn, upload_id, files.merge(checked, sent))
        log.info("upload imported", upload_id=str(upload_id), rows=len(sent))
    except (Refusal, files.Unreadable, KeyError, ValueError) as error:
        message = error.message if isinstance(error, Refusal) else "the file could not be read again"
        log.warning("upload failed", upload_id=str(upload_id), error=type(error).__name__)
        async with web.pool.acquire() as conn:
            await uploads.fail(conn, upload_id, message, files.merge(checked, sent, complete=False))
    finally:
        _importing.discard(upload_id)
