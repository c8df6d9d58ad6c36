"""Personal data in an event log that is never rewritten: per-person keys, destroyed on erasure."""

from shared.privacy.crypto import ERASED, is_sealed
from shared.privacy.vault import SubjectErased, Vault

__all__ = ["ERASED", "SubjectErased", "Vault", "is_sealed"]
