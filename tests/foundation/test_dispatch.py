"""The handler table applies events in order; batched handlers get runs of consecutive events."""

from __future__ import annotations

import uuid

import pytest

from shared.events import CohortOpened, CompanyRegistered
from shared.messaging.dispatch import Dispatcher, batched


def company(name: str) -> CompanyRegistered:
    return CompanyRegistered(company_id=uuid.uuid4(), name=name)


def cohort(name: str) -> CohortOpened:
    return CohortOpened(
        cohort_id=uuid.uuid4(), name=name, intake_opens_on="2027-01-01", intake_closes_on="2027-02-01"
    )


async def test_runs_of_one_type_go_to_a_batched_handler_and_order_is_kept():
    calls: list[tuple[str, list[str]]] = []

    @batched
    async def companies(conn, events):
        calls.append(("companies", [e.name for e in events]))

    async def one_cohort(conn, event):
        calls.append(("cohort", [event.name]))

    project = Dispatcher({CompanyRegistered: [companies], CohortOpened: [one_cohort]})
    await project(None, [company("a"), company("b"), cohort("x"), cohort("y"), company("c")])
    assert calls == [
        ("companies", ["a", "b"]),
        ("cohort", ["x"]),
        ("cohort", ["y"]),
        ("companies", ["c"]),
    ]


def test_a_type_cannot_mix_batched_and_single_handlers():
    async def single(conn, event): ...

    with pytest.raises(ValueError, match="CompanyRegistered"):
        Dispatcher({CompanyRegistered: [batched(lambda conn, events: None), single]})
