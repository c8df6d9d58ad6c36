"""Parking and replaying an event newer than its consumer, on the 3-broker cluster: the same test."""

from __future__ import annotations

from tests.foundation.test_parking import (
    test_a_newer_event_is_parked_and_applied_once_after_upgrade_and_replay,
    upgraded,
)

__all__ = ["test_a_newer_event_is_parked_and_applied_once_after_upgrade_and_replay", "upgraded"]
