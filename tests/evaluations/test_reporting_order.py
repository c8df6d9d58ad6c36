"""The programme year's projections in reporting end in the same rows whatever the arrival order and
however often an event comes (topics are consumed independently and replayed)."""

from __future__ import annotations

import random

from tests.evaluations.test_reporting import programme_year
from tests.reporting.test_projection_order import apply_one_by_one, by_topic_backwards, dump, pool  # noqa: F401


async def test_timeline_closing_agreements_and_answers_in_any_order(pool):  # noqa: F811
    events, _, _ = programme_year()
    orders = [list(reversed(events)), by_topic_backwards(events)]
    orders += [random.Random(seed).sample(events, len(events)) for seed in range(3)]
    await apply_one_by_one(pool, events)
    expected = await rows(pool)
    counts = {t: len(expected[t]) for t in ("cohorts", "agreements", "evaluations", "evaluation_answers")}
    assert counts == {"cohorts": 1, "agreements": 1, "evaluations": 1, "evaluation_answers": 5}
    for order in orders:
        await apply_one_by_one(pool, order + random.Random(3).sample(order, len(order)))
        assert await rows(pool) == expected


async def rows(pool) -> dict[str, list]:  # noqa: F811
    """Every projection's rows in a full order (the dump orders by the first column only)."""
    return {table: sorted(found, key=repr) for table, found in (await dump(pool)).items()}
