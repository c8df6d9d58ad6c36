"""One way to write a cell as text, shared by the HTML and the CSV so they agree with the JSON."""

from __future__ import annotations

from services.reporting.domain.table import Cell

SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def text(value: Cell) -> str:
    """None (a figure withheld or not applicable) is empty; numbers as JSON writes them."""
    if value is None:
        return ""
    return str(value)


def percent(rate: float | None) -> str:
    """A response rate (0.67) as the page says it (67%); empty when nobody could answer."""
    return "" if rate is None else f"{round(rate * 100)}%"


def csv_text(value: Cell) -> str:
    """Free text starting like a formula gets a leading apostrophe, so a spreadsheet shows it as text."""
    written = text(value)
    if isinstance(value, str) and written.startswith(SPREADSHEET_TRIGGERS):
        return "'" + written
    return written
