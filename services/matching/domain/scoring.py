"""The soft criteria, vectorised: each part is a weight times a fit between 0 and 1.

Parts are kept as integers in 1/10,000 of a point, so a score is exactly the sum of its parts, the
solver compares exact integers, and the explanation staff read adds up to the score they see.
"""

from __future__ import annotations

import numpy as np

from services.matching.domain.encoding import EITHER, IN_PERSON, ONLINE, Encoded
from services.matching.domain.model import CRITERIA

UNIT = 10_000
"""Score units per point."""

LEVEL_BAND = (1, 2)
"""The mentor is ideally one or two leadership levels above the mentee."""
LEVEL_STEP = 0.5
"""Each level outside the band costs half of the level criterion."""
EXPERIENCE_FULL_AT = 10
"""A mentor with ten or more years more experience than the mentee gets the whole experience part."""

_MEETING_FIT = np.zeros((3, 3, 2))
"""_MEETING_FIT[mentee mode, mentor mode, same region]."""
for _a, _b, _other, _same in [
    (IN_PERSON, IN_PERSON, 0.0, 1.0),  # other region is ruled out by a hard rule
    (IN_PERSON, ONLINE, 0.0, 0.0),
    (IN_PERSON, EITHER, 0.5, 1.0),
    (ONLINE, IN_PERSON, 0.0, 0.0),
    (ONLINE, ONLINE, 1.0, 1.0),
    (ONLINE, EITHER, 1.0, 1.0),
    (EITHER, IN_PERSON, 0.5, 1.0),
    (EITHER, ONLINE, 1.0, 1.0),
    (EITHER, EITHER, 0.75, 1.0),
]:
    _MEETING_FIT[_a, _b] = (_other, _same)


def themes_fit(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The share of the mentee's development themes the mentor offers (0 if the mentee named none)."""
    covered = np.zeros(np.broadcast_shapes(np.shape(i), np.shape(j)), dtype=np.float64)
    for mentee_word, mentor_word in zip(enc.mentees.themes, enc.mentors.themes, strict=False):
        covered += np.bitwise_count(mentee_word[i] & mentor_word[j])
    wanted = enc.mentees.theme_count[i]
    return covered / np.maximum(wanted, 1)


def level_fit(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """1 inside the band of seniority, less for each level outside it, never below 0."""
    gap = enc.mentors.level[j] - enc.mentees.level[i]
    low, high = LEVEL_BAND
    outside = np.maximum(low - gap, 0) + np.maximum(gap - high, 0)
    return np.maximum(1.0 - LEVEL_STEP * outside, 0.0)


def industry_fit(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Per cohort: the same industry, a different one, or any (every pair fits)."""
    same = enc.mentees.industry[i] == enc.mentors.industry[j]
    preference = enc.settings.industry_preference
    if preference == "any":
        return np.ones(same.shape)
    return (same if preference == "same" else ~same).astype(np.float64)


def function_fit(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The mentor has worked in the mentee's function."""
    return (enc.mentees.function[i] == enc.mentors.function[j]).astype(np.float64)


def experience_fit(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """How many more years the mentor has, up to EXPERIENCE_FULL_AT."""
    more = enc.mentors.years[j] - enc.mentees.years[i]
    return np.clip(more / EXPERIENCE_FULL_AT, 0.0, 1.0)


def meeting_fit(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether their meeting modes agree, and the same region where either wants to meet in person."""
    same_region = (enc.mentees.region[i] == enc.mentors.region[j]).astype(np.intp)
    return _MEETING_FIT[enc.mentees.meeting[i], enc.mentors.meeting[j], same_region]


FITS = {
    "themes": themes_fit,
    "level": level_fit,
    "industry": industry_fit,
    "function": function_fit,
    "experience": experience_fit,
    "meeting": meeting_fit,
}
assert tuple(FITS) == CRITERIA


def parts(enc: Encoded, i: np.ndarray, j: np.ndarray) -> dict[str, np.ndarray]:
    """Each criterion's part in score units (int64)."""
    weights = enc.weights.as_dict()
    return {
        name: np.rint(fit(enc, i, j) * (weights[name] * UNIT)).astype(np.int64) for name, fit in FITS.items()
    }


def scores(enc: Encoded, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The score in units: exactly the sum of the parts."""
    total: np.ndarray | None = None
    for part in parts(enc, i, j).values():
        total = part if total is None else total + part
    assert total is not None
    return total


def max_score(enc: Encoded) -> int:
    """An upper bound on any pair's score, in units."""
    return int(sum(round(w * UNIT) for w in enc.weights.as_dict().values())) + len(CRITERIA)


def to_points(units: int | np.integer) -> float:
    return round(int(units) / UNIT, 4)
