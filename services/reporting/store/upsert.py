"""The one shape of every projection write: insert a row, or update it when the new statement wins.

Each write is idempotent and commutative with every other write to the same row, so a batch may be
grouped by kind and any arrival order ends in the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

Wins = Literal["latest", "earliest"]


def upsert(
    table: str,
    row: type[NamedTuple],
    order: Sequence[str],
    wins: Wins,
    update: Sequence[str] | None = None,
) -> str:
    """SQL inserting `row`'s fields (named after the columns, the key first); on a conflict, `update`
    (default: every field but the key) is overwritten when the new `order` columns are the latest
    (or the earliest) seen. The last `order` column is null until a statement of its kind arrived."""
    key, *fields = row._fields
    existing = ", ".join(f"{table}.{column}" for column in order)
    new = ", ".join(f"EXCLUDED.{column}" for column in order)
    newer = f"({existing}) < ({new})" if wins == "latest" else f"({new}) < ({existing})"
    return (
        f"INSERT INTO {table} ({', '.join(row._fields)}) "  # noqa: S608 - fixed names, values are parameters
        f"VALUES ({', '.join(f'${n}' for n in range(1, len(row._fields) + 1))}) "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{', '.join(f'{column} = EXCLUDED.{column}' for column in (update or fields))} "
        f"WHERE {table}.{order[-1]} IS NULL OR {newer}"
    )
