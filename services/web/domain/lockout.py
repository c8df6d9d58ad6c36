"""Sign-in throttling: too many failures in a window locks the client out for a while (pure rule)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutRule:
    max_failures: int
    window: timedelta
    lockout: timedelta

    def locked_until(self, failures: Sequence[datetime], now: datetime) -> datetime | None:
        """When the client may try again, or None when it may try now.

        `failures` are the client's failed attempts, any order. Locked when `max_failures` of them fall
        within one `window`, until `lockout` after the latest of those."""
        recent = sorted(f for f in failures if f > now - self.window - self.lockout)
        for i in range(len(recent) - self.max_failures + 1):
            first, last = recent[i], recent[i + self.max_failures - 1]
            if last - first <= self.window and last + self.lockout > now:
                return last + self.lockout
        return None

    @property
    def remembered(self) -> timedelta:
        """How long a failure matters at all (older ones can be forgotten)."""
        return self.window + self.lockout
