"""The web app's own database (sign-in sessions, uploads) keeps no person's name or email: an upload's
file goes when its import finishes or fails, and whatever an upload left (a file checked but never
imported, the reports) is deleted by the periodic job once it expires, with nobody uploading again.
Searched with the same scan as every service's database in test_erasure.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from services.web.service_layer import housekeeping
from services.web.store import uploads
from shared.db import migrator
from tests.privacy.scan import found_in_database

NAME, EMAIL = "Mette Uploadsen", "mette.uploadsen@nordvind.example"
CSV = f"name,email,role\n{NAME},{EMAIL},mentee\n".encode()
CHECKED = {"dry_run": True, "accepted": 1, "rejected": 0, "results": [{"row": 1, "status": "accepted"}]}


@pytest.fixture
async def web_db(postgres):
    url = await postgres.create_database(f"web_{uuid.uuid4().hex[:10]}")
    conn = await asyncpg.connect(url)
    await migrator.apply(conn, migrator.service_migrations("web", "services.web.migrations"))
    yield url, conn
    await conn.close()


async def add_upload(conn: asyncpg.Connection, expires_in: timedelta) -> uuid.UUID:
    upload_id = uuid.uuid4()
    await uploads.insert_upload(
        conn, upload_id, "company-key-hash", uuid.uuid4(), "people.csv", "text/csv", CSV, CHECKED,
        datetime.now(UTC) + expires_in,
    )  # fmt: skip
    return upload_id


async def test_an_imported_files_names_and_emails_are_not_kept(web_db):
    url, conn = web_db
    imported, failed = await add_upload(conn, timedelta(days=1)), await add_upload(conn, timedelta(days=1))
    assert set(await found_in_database(url, [NAME, EMAIL])) == {NAME, EMAIL}  # the scan finds the file
    await uploads.finish(conn, imported, {**CHECKED, "dry_run": False})
    await uploads.fail(conn, failed, "interrupted", {**CHECKED, "dry_run": False})
    assert await found_in_database(url, [NAME, EMAIL]) == {}
    assert await conn.fetchval("SELECT count(*) FROM company_uploads") == 2  # the reports stay, for now


async def test_what_an_upload_left_is_deleted_once_it_expires_by_the_periodic_job(web_db):
    url, conn = web_db
    never_imported = await add_upload(conn, timedelta(seconds=-1))  # checked, then abandoned: expired
    done = await add_upload(conn, timedelta(seconds=-1))
    await uploads.finish(conn, done, {**CHECKED, "dry_run": False})
    fresh = await add_upload(conn, timedelta(days=1))
    await conn.execute(
        """INSERT INTO web_sessions (id_hash, role, credential, csrf_token, expires_at, flash)
           VALUES ('expired', 'staff', 'token', 'csrf', now() - interval '1 second', '{"links": []}')"""
    )
    assert await found_in_database(url, [NAME]) == {NAME: ["company_uploads.data"]}

    await housekeeping.delete_expired(conn)

    left = {row["upload_id"] for row in await conn.fetch("SELECT upload_id FROM company_uploads")}
    assert left == {fresh} and never_imported not in left
    assert await conn.fetchval("SELECT count(*) FROM web_sessions") == 0
    await uploads.finish(conn, fresh, {**CHECKED, "dry_run": False})
    assert await found_in_database(url, [NAME, EMAIL]) == {}
