"""The coordinator's start page."""

from __future__ import annotations


def staff_home() -> None:
    """The start page links to each area; nothing to load."""
