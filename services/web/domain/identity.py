"""Who is signed in, and which kind of secret they signed in with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

Role = Literal["staff", "company"]
COMPANY_KEY_PREFIX = "mn_"


def role_of_secret(secret: str) -> Role:
    """A partner company's API key starts `mn_`; anything else can only be the staff token."""
    return "company" if secret.startswith(COMPANY_KEY_PREFIX) else "staff"


@dataclass(frozen=True)
class Visitor:
    """A signed-in person. `credential` is what the services' APIs need; it never leaves the server."""

    role: Role
    credential: str
    csrf_token: str
    expires_at: datetime
    company_id: UUID | None = None
    company_name: str | None = None

    @property
    def staff(self) -> bool:
        return self.role == "staff"

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential}"}
