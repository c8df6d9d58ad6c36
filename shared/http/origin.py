"""Cross-site request forgery: a POST (or any unsafe method) from a browser must come from this site.

Browsers send `Origin` with every POST (`null` when the page's referrer policy hides it, which is why
pages that post forms use `same-origin`), so a form or script on another site posting here with the
victim's cookie is told apart by it. A request with a foreign, `null` or missing Origin (and no Referer
of this site) that carries a cookie is refused 403 `cross_origin` before any route runs; API clients
(a bearer token, no cookie) send no Origin and pass. "This site" is the request's `Host`, or
`X-Forwarded-Host` behind a proxy the settings trust.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from shared.errors import Forbidden
from shared.http.errors import refusal_response

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class SameOriginPosts:
    def __init__(self, app: ASGIApp, trust_forwarded_host: bool = False) -> None:
        self.app = app
        self.trust_forwarded_host = trust_forwarded_host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE or self._same_site(scope):
            await self.app(scope, receive, send)
            return
        refusal = Forbidden("a cross-site request: post from this site's own pages", "cross_origin")
        await refusal_response(refusal)(scope, receive, send)

    def _same_site(self, scope: Scope) -> bool:
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        host = headers.get("host", "")
        if self.trust_forwarded_host and headers.get("x-forwarded-host"):
            host = headers["x-forwarded-host"].split(",")[0].strip()
        stated = headers.get("origin") or headers.get("referer")
        if stated is None:
            return "cookie" not in headers  # not a browser's request with its cookies
        return bool(host) and urlsplit(stated).netloc.lower() == host.lower()
