"""Secrets handed out once and stored only as hashes: company API keys, pair members' tokens."""

from __future__ import annotations

import hashlib
import secrets


def hash_key(key: str) -> str:
    """Keys are 256-bit random strings, so a plain SHA-256 is enough to store and compare them."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"
