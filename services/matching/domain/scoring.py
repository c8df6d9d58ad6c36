"""The soft criteria, vectorised: each part is a weight times a fit between 0 and 1.

Parts are kept as integers in 1/10,000 of a point, so a score is exactly the sum of its parts, the
solver compares exact integers, and the explanation staff read adds up to the score they see.

Every criterion but themes depends on one small attribute of each side (level, years, industry,
function, meeting mode with region), so it is a table over the two sides' codes, computed once; a block
of the cohort's score matrix is then mostly row copies out of those tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from services.matching.domain.model import CRITERIA, MatchSettings, Weights
from services.matching.domain.side import EITHER, IN_PERSON, ONLINE, Side

UNIT = 10_000
"""Score units per point."""

LEVEL_BAND = (1, 2)
"""The mentor is ideally one or two leadership levels above the mentee."""
LEVEL_STEP = 0.5
"""Each level outside the band costs half of the level criterion."""
EXPERIENCE_FULL_AT = 10
"""A mentor with ten or more years more experience than the mentee gets the whole experience part."""
MERGED_CELLS = 8_000_000
"""How large (combinations x mentors) a merged score table may grow: 32 MB of int32."""

MEETING_FIT = np.zeros((3, 3, 2))
"""MEETING_FIT[mentee mode, mentor mode, same region]."""
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
    MEETING_FIT[_a, _b] = (_other, _same)


def level_fit(mentee_level: np.ndarray, mentor_level: np.ndarray) -> np.ndarray:
    """1 inside the band of seniority, less for each level outside it, never below 0."""
    gap = mentor_level - mentee_level
    low, high = LEVEL_BAND
    outside = np.maximum(low - gap, 0) + np.maximum(gap - high, 0)
    return np.maximum(1.0 - LEVEL_STEP * outside, 0.0)


def experience_fit(mentee_years: np.ndarray, mentor_years: np.ndarray) -> np.ndarray:
    """How many more years the mentor has, up to EXPERIENCE_FULL_AT."""
    return np.clip((mentor_years - mentee_years) / EXPERIENCE_FULL_AT, 0.0, 1.0)


@dataclass(frozen=True)
class Table:
    """A criterion's part in units for every (mentee code, mentor code)."""

    values: np.ndarray
    mentee: np.ndarray
    mentor: np.ndarray

    @cached_property
    def by_mentor(self) -> np.ndarray:
        """values[:, mentor code of each mentor]: a block is then a gather of whole rows."""
        return np.ascontiguousarray(self.values[:, self.mentor])


def _units(fit: np.ndarray, weight: float) -> np.ndarray:
    return np.rint(fit * (weight * UNIT)).astype(np.int32)


def _codes(mentee_values: np.ndarray, mentor_values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    values, inverse = np.unique(np.concatenate([mentee_values, mentor_values]), return_inverse=True)
    return values, inverse[: len(mentee_values)], inverse[len(mentee_values) :]


class Scorer:
    """Scores of one encoded cohort: per pair with its parts, or for a block of mentees at once."""

    def __init__(self, mentees: Side, mentors: Side, weights: Weights, settings: MatchSettings) -> None:
        self.mentees, self.mentors = mentees, mentors
        weight = weights.as_dict()
        e, r = mentees, mentors
        tables: dict[str, Table] = {}
        values, ce, cr = _codes(e.level, r.level)
        tables["level"] = Table(_units(level_fit(values[:, None], values[None, :]), weight["level"]), ce, cr)
        preference = settings.industry_preference
        kinds = max(int(e.industry.max(initial=0)), int(r.industry.max(initial=0))) + 1
        same = np.eye(kinds, dtype=bool)
        industry = np.ones_like(same) if preference == "any" else same if preference == "same" else ~same
        tables["industry"] = Table(_units(industry, weight["industry"]), e.industry, r.industry)
        kinds = max(int(e.function.max(initial=0)), int(r.function.max(initial=0))) + 1
        tables["function"] = Table(_units(np.eye(kinds), weight["function"]), e.function, r.function)
        values, ce, cr = _codes(e.years, r.years)
        fit = experience_fit(values[:, None], values[None, :])
        tables["experience"] = Table(_units(fit, weight["experience"]), ce, cr)
        regions = max(int(e.region.max(initial=0)), int(r.region.max(initial=0))) + 1
        mode = np.repeat(np.arange(3), regions)
        region = np.tile(np.arange(regions), 3)
        fit = MEETING_FIT[mode[:, None], mode[None, :], (region[:, None] == region[None, :]).astype(np.intp)]
        tables["meeting"] = Table(
            _units(fit, weight["meeting"]), e.meeting * regions + e.region, r.meeting * regions + r.region
        )
        self.tables = tables
        most = int(e.theme_count.max(initial=0))
        wanted = np.arange(most + 1)[:, None]
        covered = np.arange(most + 1)[None, :]
        self.theme_width = most + 1
        self.theme_table = _units(
            np.where(covered <= wanted, covered / np.maximum(wanted, 1), 0.0), weight["themes"]
        ).ravel()

    def _themes(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        covered: np.ndarray | None = None
        for mentee_word, mentor_word in zip(self.mentees.themes, self.mentors.themes, strict=False):
            count = np.bitwise_count(mentee_word[i] & mentor_word[j]).astype(np.int32)
            covered = count if covered is None else covered + count
        assert covered is not None
        covered += self.mentees.theme_count[i] * self.theme_width
        return np.take(self.theme_table, covered)

    def parts(self, i: np.ndarray, j: np.ndarray) -> dict[str, np.ndarray]:
        """Each criterion's part in units for pairs (i[k], j[k]), in CRITERIA order."""
        found = {"themes": self._themes(i, j)}
        for name, table in self.tables.items():
            found[name] = table.values[table.mentee[i], table.mentor[j]]
        return {name: found[name].astype(np.int64) for name in CRITERIA}

    def scores(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Scores in units for pairs (i[k], j[k]): exactly the sum of the parts."""
        return sum(self.parts(i, j).values(), start=np.zeros(len(i), dtype=np.int64))

    @cached_property
    def _merged(self) -> list[Table]:
        """Tables summed into as few as fit MERGED_CELLS, keyed by combinations of mentee codes.

        Each merged table's row for a combination is the sum of its criteria's rows, so a block needs
        one row gather per merged table instead of one per criterion.
        """
        groups: list[list[Table]] = []
        for table in self.tables.values():
            if groups and self._combinations([*groups[-1], table]) * len(self.mentors) <= MERGED_CELLS:
                groups[-1].append(table)
            else:
                groups.append([table])
        return [self._merge(group) for group in groups]

    def _combinations(self, group: list[Table]) -> int:
        return len(np.unique(np.stack([t.mentee for t in group]), axis=1)[0]) if len(self.mentees) else 0

    def _merge(self, group: list[Table]) -> Table:
        if len(group) == 1:
            return group[0]
        combos, code = np.unique(np.stack([t.mentee for t in group]), axis=1, return_inverse=True)
        values = sum(
            (t.by_mentor[combos[k]] for k, t in enumerate(group)),
            start=np.zeros((combos.shape[1], len(self.mentors)), dtype=np.int32),
        )
        identity = np.arange(len(self.mentors))
        merged = Table(values, code.ravel(), identity)
        merged.__dict__["by_mentor"] = values
        return merged

    def block(self, rows: np.ndarray) -> np.ndarray:
        """Scores in units (int32) of mentees `rows` against every mentor; the same numbers as scores()."""
        all_mentors = np.arange(len(self.mentors))
        total = self._themes(rows[:, None], all_mentors[None, :])
        gathered = np.empty_like(total)
        for table in self._merged:
            np.take(table.by_mentor, table.mentee[rows], axis=0, out=gathered)
            total += gathered
        return total


def to_points(units: int | np.integer) -> float:
    return round(int(units) / UNIT, 4)
