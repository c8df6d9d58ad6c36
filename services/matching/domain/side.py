"""One role's attributes as numpy arrays, and the meeting codes they use: what scoring and the rules read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

IN_PERSON, ONLINE, EITHER = 0, 1, 2
MEETING_CODES = {"in_person": IN_PERSON, "online": ONLINE, "either": EITHER}


@dataclass(frozen=True)
class Side:
    """One role's attributes as arrays indexed by position in the instance."""

    ids: tuple[str, ...]
    company: np.ndarray
    languages: list[np.ndarray]
    region: np.ndarray
    meeting: np.ndarray
    level: np.ndarray
    themes: list[np.ndarray]
    theme_count: np.ndarray
    industry: np.ndarray
    function: np.ndarray
    years: np.ndarray
    avoid: np.ndarray | None
    """avoid[row, company code]: this person's company must not be paired with that company."""
    capacity: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)
