"""Which (mentee, mentor) edges the optimiser sees: all allowed pairs, or each mentee's best K.

Scores are built block by block (a few million cells at a time), so memory stays flat however large
the cohort. Small and medium cohorts keep every allowed pair (the optimum is exact); above
EXACT_PAIR_LIMIT cells each mentee keeps its CANDIDATES_PER_MENTEE best-scoring allowed mentors.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from services.matching.domain.encoding import Encoded
from services.matching.domain.optimise import Edges
from services.matching.domain.rules import feasible_block

EXACT_PAIR_LIMIT = 4_000_000
CANDIDATES_PER_MENTEE = 32
BLOCK_CELLS = 2_000_000
WORKERS = 2


@dataclass(frozen=True)
class CandidateGraph:
    edges: Edges
    exact: bool
    rows_with_any: int
    """Mentees with at least one allowed mentor."""
    mentor_degree: np.ndarray
    """How many of the mentees each mentor may be paired with."""
    row_best: np.ndarray
    """Each mentee's best allowed score in units (-1 if none): bounds what any solution can reach."""


def _slices(enc: Encoded, rows: np.ndarray) -> list[np.ndarray]:
    step = max(1, BLOCK_CELLS // max(len(enc.mentors), 1))
    return [rows[start : start + step] for start in range(0, len(rows), step)]


def blocks(enc: Encoded, rows: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(block rows, feasibility, scores) for consecutive blocks of `rows` against every mentor."""
    for part in _slices(enc, rows):
        yield part, feasible_block(enc, part), enc.scorer.block(part)


@dataclass(frozen=True)
class _BlockEdges:
    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray
    degree: np.ndarray
    with_any: int
    best: np.ndarray


def _block_edges(enc: Encoded, part: np.ndarray, per_mentee: int | None) -> _BlockEdges:
    ok = feasible_block(enc, part)
    block = enc.scorer.block(part)
    if per_mentee is None:
        local, cols = np.nonzero(ok)
        values = block[local, cols]
        row_best = np.where(ok, block, -1).max(axis=1, initial=-1)
    else:
        np.copyto(block, -1, where=~ok)
        top = np.argpartition(block, -per_mentee, axis=1)[:, -per_mentee:]
        best = np.take_along_axis(block, top, axis=1)
        local, which = np.nonzero(best >= 0)
        cols, values = top[local, which], best[local, which]
        row_best = best.max(axis=1, initial=-1)
    return _BlockEdges(local, cols, values, ok.sum(axis=0), int(ok.any(axis=1).sum()), row_best)


def allowed_edges(
    enc: Encoded,
    rows: np.ndarray,
    *,
    exact_pair_limit: int = EXACT_PAIR_LIMIT,
    per_mentee: int = CANDIDATES_PER_MENTEE,
) -> CandidateGraph:
    """The edges for mentee positions `rows`; edge rows are indices into `rows`.

    Blocks are scored on WORKERS threads (NumPy releases the GIL inside its kernels).
    """
    m = len(enc.mentors)
    exact = len(rows) * m <= exact_pair_limit or m <= per_mentee
    parts = _slices(enc, rows)
    keep = None if exact else per_mentee
    enc.scorer.block(rows[:0])  # build the shared tables once, before the threads need them
    if len(parts) > 1:
        with ThreadPoolExecutor(WORKERS) as pool:
            done = list(pool.map(lambda part: _block_edges(enc, part, keep), parts))
    else:
        done = [_block_edges(enc, part, keep) for part in parts]
    offsets = np.cumsum([0, *(len(part) for part in parts)])
    if done:
        r = np.concatenate([d.rows + offset for d, offset in zip(done, offsets, strict=False)])
        c = np.concatenate([d.cols for d in done])
        s = np.concatenate([d.scores for d in done])
    else:
        r = c = s = np.zeros(0, dtype=np.int64)
    degree = sum((d.degree for d in done), start=np.zeros(m, dtype=np.int64))
    edges = Edges(r.astype(np.int64), c.astype(np.int64), s.astype(np.int64))
    row_best = (
        np.concatenate([d.best.astype(np.int64) for d in done]) if done else np.zeros(0, dtype=np.int64)
    )
    return CandidateGraph(edges, exact, sum(d.with_any for d in done), degree, row_best)


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
