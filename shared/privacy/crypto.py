"""Sealing one personal value under its subject's key: AES-256-GCM, pure (no I/O).

A sealed value is a string, `enc:v1:<subject uuid>:<base64url(nonce | ciphertext | tag)>`, so it fits
every `str` field of a contract and says whose key opens it. The subject's id is the associated data:
a value copied under another subject's id does not open.
"""

from __future__ import annotations

import base64
import os
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc:v1:"
ERASED = "erased"
"""What a personal value reads as once its subject's key is destroyed (pages say "erased" / "slettet")."""

_NONCE_BYTES = 12


class Unopenable(ValueError):
    """A sealed value that does not open under the key given (tampered, or another subject's)."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def subject_of(value: str) -> UUID | None:
    """Whose key seals `value`; None for a plain value (events from before sealing)."""
    if not is_sealed(value):
        return None
    try:
        return UUID(value[len(PREFIX) :].split(":", 1)[0])
    except ValueError as error:
        raise Unopenable("a sealed value without a valid subject") from error


def seal(key: bytes, subject: UUID, text: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, text.encode(), subject.bytes)
    return f"{PREFIX}{subject}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def open_sealed(key: bytes, value: str, subject: UUID | None = None) -> str:
    """The plain text of `value` (a plain value as it is); `subject`, when the caller has parsed it
    already from `value`, saves parsing it again."""
    subject = subject if subject is not None else subject_of(value)
    if subject is None:
        return value
    try:
        blob = base64.urlsafe_b64decode(value.rsplit(":", 1)[1])
        return AESGCM(key).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], subject.bytes).decode()
    except (InvalidTag, ValueError, IndexError) as error:
        raise Unopenable("a sealed value that does not open under its subject's key") from error
