"""Small counts in a partner company's view: shown as "<3" so no individual can be singled out."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")
SUPPRESSED = "<3"
SMALLEST_SHOWN = 3

Shown = int | str


def shown(count: int) -> Shown:
    """The count, or "<3" when it is 1 or 2 (0 says nothing about anyone and stays 0)."""
    return SUPPRESSED if 0 < count < SMALLEST_SHOWN else count


def unless_suppressed(value: T, *counts: Shown) -> T | None:
    """A figure derived from counts (hours, ratios, shares) is withheld when any of them is hidden,
    or the hidden count could be worked back out of it."""
    return None if any(c == SUPPRESSED for c in counts) else value


def pooled(counts: dict[str, int], label: str) -> dict[str, int]:
    """Labels given for fewer than 3 cases are folded into one `label` row: free text about one
    or two pairs would itself single them out."""
    kept = {k: v for k, v in counts.items() if v >= SMALLEST_SHOWN}
    rest = sum(v for v in counts.values() if v < SMALLEST_SHOWN)
    return {**kept, label: rest} if rest else kept
