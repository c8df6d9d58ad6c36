"""What the web app's own database may keep, and for how long: expired sign-in sessions, pair sessions
and uploads are deleted by a periodic job, whether or not anyone signs in or uploads again.

An upload's file (names, emails) is deleted as soon as its import finishes or fails; a file checked
but never imported, and every upload's report (row numbers, statuses, the company's external_ref), go
when the upload expires (`uploads.KEPT_FOR`), so nothing a person sent stays past that."""

from __future__ import annotations

import asyncpg

from services.web.store import members, signins, uploads


async def delete_expired(conn: asyncpg.Connection) -> None:
    """The periodic job (`MENTORNET_WEB_PURGE_EVERY_S`)."""
    await uploads.delete_expired(conn)
    await signins.delete_expired(conn)
    await members.delete_expired(conn)
