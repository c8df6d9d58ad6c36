"""What no text may hold: the NUL character (U+0000), which PostgreSQL cannot store in text or jsonb."""

from __future__ import annotations

from typing import Any

from shared.errors import Problem

NUL_MESSAGE = "must not contain the NUL character (U+0000)"


def nul_problem(loc: tuple[str | int, ...]) -> Problem:
    return Problem(loc, NUL_MESSAGE, "nul_character")


def holds_nul(value: Any) -> bool:
    """Whether a string, or any string (key or value) inside lists and dicts, holds a NUL; iterative,
    so any depth of document is fine."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False
