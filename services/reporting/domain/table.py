"""One table of a report: named columns of a kind, rows of cells; rendered as JSON, HTML and CSV alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast, get_args

from pydantic import BaseModel, ConfigDict

Cell = int | float | str | None
Kind = Literal["id", "text", "count", "number", "hours", "ratio", "percent", "date", "month"]
Row = dict[str, Cell]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Column(Frozen):
    key: str
    label: str
    kind: Kind


class Table(Frozen):
    name: str
    title: str
    description: str
    key: str
    columns: list[Column]
    rows: list[Row]


@dataclass(frozen=True)
class Layout:
    """What a table shows, declared once: `columns` reads like its header, "key=Label:kind | ..."."""

    name: str
    title: str
    description: str
    columns: str

    def parsed(self) -> list[Column]:
        found = []
        for spec in self.columns.split("|"):
            key, _, rest = spec.strip().partition("=")
            label, _, kind = rest.rpartition(":")
            if kind not in get_args(Kind):
                raise ValueError(f"{self.name}: column {key!r} has no kind")
            found.append(Column(key=key, label=label, kind=cast(Kind, kind)))
        return found

    def table(self, rows: Sequence[Row], *, without: Sequence[str] = ()) -> Table:
        """The table of `rows`, keyed by the first column; `without` leaves columns out."""
        columns = [c for c in self.parsed() if c.key not in without]
        return Table(
            name=self.name,
            title=self.title,
            description=self.description,
            key=columns[0].key,
            columns=columns,
            rows=list(rows),
        )
