"""The four services' HTTP clients, one per service, opened with the app and closed after it."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from services.web.store.api import ServiceApi


@dataclass(frozen=True)
class Apis:
    intake: ServiceApi
    matching: ServiceApi
    sessions: ServiceApi
    reporting: ServiceApi

    @classmethod
    def open(cls, urls: dict[str, str], timeout_s: float) -> Apis:
        def client(name: str) -> ServiceApi:
            http = httpx.AsyncClient(base_url=urls[name], timeout=timeout_s)
            return ServiceApi(name, http)

        return cls(*(client(name) for name in ("intake", "matching", "sessions", "reporting")))

    async def close(self) -> None:
        for api in (self.intake, self.matching, self.sessions, self.reporting):
            await api.http.aclose()
