"""The end-to-end programme (registration to dashboards, through the four real services) on the
3-broker cluster: the same test as tests/end_to_end, another `kafka`."""

from __future__ import annotations

from tests.end_to_end.test_programme import test_a_programme_from_registration_to_dashboard

__all__ = ["test_a_programme_from_registration_to_dashboard"]
