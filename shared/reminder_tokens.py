"""The opt-out token of reminder mails and of the pair page's button: a pair member's seat (the pair
and the role in it), signed with HMAC-SHA256 under a secret setting (MENTORNET_REMINDER_SECRET) that
intake and the web app share. Only they can make one; intake finds the member from the seat. The web
app makes one for a member it has recognised by their own pair link, so neither side needs the other's
credentials, and a token names one member and nothing else."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Literal
from uuid import UUID

Role = Literal["mentor", "mentee"]
DEFAULT_REMINDER_SECRET = "change-me-reminder-secret"  # development only: intake refuses it elsewhere
_PURPOSE = b"mentornet reminders opt-out v1:"


def _signature(secret: str, pair_id: UUID, role: str) -> str:
    signed = _PURPOSE + f"{pair_id}:{role}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make_token(secret: str, pair_id: UUID, role: Role) -> str:
    return f"{pair_id}.{role}.{_signature(secret, pair_id, role)}"


def seat_of(secret: str, token: str) -> tuple[UUID, Role] | None:
    """The pair and role a genuine token names, or None for anything else."""
    parts = token.split(".")
    if len(parts) != 3 or parts[1] not in ("mentor", "mentee"):
        return None
    try:
        pair_id = UUID(parts[0])
    except ValueError:
        return None
    if not hmac.compare_digest(parts[2].encode(), _signature(secret, pair_id, parts[1]).encode()):
        return None
    role: Role = "mentor" if parts[1] == "mentor" else "mentee"
    return pair_id, role
