"""The language switch: Danish or English, kept in a cookie so it holds before and after signing in."""

from __future__ import annotations

from services.web.domain.i18n import choose


def choose_language(wanted: str, default: str) -> str:
    return choose(wanted, default)


def safe_next(path: str | None) -> str:
    """Where to go back to: a path on this site only (never `//elsewhere` or `https://...`)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path
