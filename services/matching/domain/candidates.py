"""Which (mentee, mentor) edges the optimiser sees: all allowed pairs, or each mentee's best K.

Scores are built block by block (a few million cells at a time), so memory stays flat however large
the cohort. Small and medium cohorts keep every allowed pair (the optimum is exact); above
EXACT_PAIR_LIMIT cells each mentee keeps its CANDIDATES_PER_MENTEE best-scoring allowed mentors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from services.matching.domain.encoding import Encoded
from services.matching.domain.optimise import Edges
from services.matching.domain.rules import feasible_block
from services.matching.domain.scoring import scores

EXACT_PAIR_LIMIT = 4_000_000
CANDIDATES_PER_MENTEE = 32
BLOCK_CELLS = 2_000_000


@dataclass(frozen=True)
class CandidateGraph:
    edges: Edges
    exact: bool
    rows_with_any: int
    """Mentees with at least one allowed mentor."""
    mentor_degree: np.ndarray
    """How many of the mentees each mentor may be paired with."""


def blocks(enc: Encoded, rows: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(block rows, feasibility, scores) for consecutive blocks of `rows` against every mentor."""
    mentors = max(len(enc.mentors), 1)
    step = max(1, BLOCK_CELLS // mentors)
    j = np.arange(len(enc.mentors))[None, :]
    for start in range(0, len(rows), step):
        part = rows[start : start + step]
        yield part, feasible_block(enc, part), scores(enc, part[:, None], j)


def allowed_edges(
    enc: Encoded,
    rows: np.ndarray,
    *,
    exact_pair_limit: int = EXACT_PAIR_LIMIT,
    per_mentee: int = CANDIDATES_PER_MENTEE,
) -> CandidateGraph:
    """The edges for mentee positions `rows`; edge rows are indices into `rows`."""
    m = len(enc.mentors)
    exact = len(rows) * m <= exact_pair_limit
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    degree = np.zeros(m, dtype=np.int64)
    with_any = 0
    offset = 0
    for part, ok, block in blocks(enc, rows):
        degree += ok.sum(axis=0)
        with_any += int(ok.any(axis=1).sum())
        if exact or m <= per_mentee:
            local, cols = np.nonzero(ok)
            found.append((local + offset, cols, block[local, cols]))
        else:
            masked = np.where(ok, block, -1)
            top = np.argpartition(-masked, per_mentee - 1, axis=1)[:, :per_mentee]
            values = np.take_along_axis(masked, top, axis=1)
            local, which = np.nonzero(values >= 0)
            found.append((local + offset, top[local, which], values[local, which]))
        offset += len(part)
    if found:
        r, c, s = (np.concatenate(column) for column in zip(*found, strict=True))
    else:
        r = c = s = np.zeros(0, dtype=np.int64)
    edges = Edges(r.astype(np.int64), c.astype(np.int64), s.astype(np.int64))
    return CandidateGraph(edges, exact or m <= per_mentee, with_any, degree)


def full_rows(enc: Encoded, rows: np.ndarray, mentors: np.ndarray, limit: int) -> Edges:
    """Every allowed edge from `rows` to `mentors`, best first, at most `limit` per mentee."""
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    offset = 0
    wanted = np.zeros(len(enc.mentors), dtype=bool)
    wanted[mentors] = True
    for part, ok, block in blocks(enc, rows):
        ok &= wanted[None, :]
        masked = np.where(ok, block, -1)
        keep = min(limit, masked.shape[1])
        top = np.argsort(-masked, axis=1, kind="stable")[:, :keep]
        values = np.take_along_axis(masked, top, axis=1)
        local, which = np.nonzero(values >= 0)
        found.append((local + offset, top[local, which], values[local, which]))
        offset += len(part)
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return Edges(empty, empty, empty)
    r, c, s = (np.concatenate(column) for column in zip(*found, strict=True))
    return Edges(r.astype(np.int64), c.astype(np.int64), s.astype(np.int64))
