"""The offline dry run behind `matching-solve`: an instance as JSON in, the solver's result as JSON out."""

from __future__ import annotations

from typing import Any

from services.matching.domain.instance_json import all_scores, parse_instance, result_json
from services.matching.domain.solver import solve


def solve_instance(raw: bytes, *, with_all_scores: bool = False) -> dict[str, Any]:
    """The result of solving `raw`, with every allowed pair's score if asked.

    A malformed instance raises ValueError (the solver's InvalidInstance is one).
    """
    instance = parse_instance(raw)
    output = result_json(solve(instance))
    if with_all_scores:
        output["scores"] = all_scores(instance)
    return output
