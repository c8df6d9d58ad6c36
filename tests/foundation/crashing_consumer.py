"""A consumer process that dies the moment its first database commit is done, before any offset
commit: `python -m tests.foundation.crashing_consumer` with MENTORNET_* settings in the environment."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence

from shared.messaging.consumer import Delivery
from shared.settings import ServiceSettings
from tests.foundation.probe_service import consumer

EXIT_CODE = 17


async def die(_: Sequence[Delivery]) -> None:
    os._exit(EXIT_CODE)


async def main() -> None:
    async with consumer(ServiceSettings(), after_db_commit=die).running():
        await asyncio.sleep(60)


if __name__ == "__main__":
    asyncio.run(main())
