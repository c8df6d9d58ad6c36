"""The start page: where each kind of person begins."""

from __future__ import annotations

from services.web.domain.identity import Visitor


def start(visitor: Visitor | None) -> str:
    """The path a visitor starts at."""
    if visitor is None:
        return "/sign-in"
    return "/staff" if visitor.staff else "/company"
