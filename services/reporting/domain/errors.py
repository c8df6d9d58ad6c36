"""What reporting refuses: the shared refusal kinds (shared/errors.py), one code and wording each."""

from __future__ import annotations

from collections.abc import Iterable

from shared.errors import Forbidden, NotFound, Unauthorized


def cohort_not_found() -> NotFound:
    """Unknown, or a cohort the company has nobody in: the two are deliberately indistinguishable."""
    return NotFound("no such cohort", "cohort_not_found")


def table_not_found(table: str, tables: Iterable[str]) -> NotFound:
    return NotFound(f"no table {table!r}; tables: {', '.join(tables)}", "table_not_found")


def credentials_required() -> Unauthorized:
    return Unauthorized("staff token or company key required")


def staff_only() -> Forbidden:
    return Forbidden("staff credentials required", "staff_only")


def company_only() -> Forbidden:
    return Forbidden("a company key is required for the company view", "company_only")
