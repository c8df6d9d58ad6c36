"""Partner companies' names and HR contacts, projected from intake's CompanyRegistered."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import asyncpg


async def record_company(
    conn: asyncpg.Connection,
    company_id: UUID,
    name: str,
    hr_contact_name: str,
    hr_contact_email: str,
    stated_at: datetime,
) -> None:
    """The newest statement wins, whatever order the events arrive in."""
    await conn.execute(
        """INSERT INTO companies (company_id, name, hr_contact_name, hr_contact_email, stated_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (company_id) DO UPDATE SET name = $2, hr_contact_name = $3, hr_contact_email = $4,
               stated_at = $5
           WHERE companies.stated_at <= $5""",
        company_id,
        name,
        hr_contact_name,
        hr_contact_email,
        stated_at,
    )
