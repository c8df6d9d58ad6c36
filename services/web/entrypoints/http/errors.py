"""Refusals as pages: 404 for what does not exist or is not yours, sign-in for a session that ended,
403 for a refused form (CSRF), 503 when a service did not answer. The JSON probes keep the shared
contract; every page answers HTML."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from services.web.domain.errors import Forbidden, NotFound, Refusal, Unauthorized, Unavailable
from services.web.entrypoints.http.deps import SESSION_COOKIE, visitor_of, web_of
from services.web.entrypoints.http.pages import redirect, render
from services.web.service_layer import signin


async def refusal_page(request: Request, refusal: Refusal) -> Response:
    if isinstance(refusal, Unauthorized):
        visitor = await visitor_of(request)
        if visitor is not None:  # an API refused the session's credential: it is no good any more
            await signin.credential_refused(web_of(request), visitor)
        response: Response = redirect("/sign-in")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
    if isinstance(refusal, NotFound):
        return await render(request, "not_found.html", status=404)
    if isinstance(refusal, Forbidden) and refusal.code == "csrf":
        return await render(request, "message.html", {"title": "csrf_title", "text": "csrf_text"}, status=403)
    if isinstance(refusal, Unavailable):
        response = await render(
            request, "message.html", {"title": "unavailable_title", "text": "unavailable_text"}, status=503
        )
        response.headers["Retry-After"] = str(refusal.retry_after_s or 5)
        return response
    return await render(
        request, "message.html", {"title": "refused_title", "detail": refusal.message}, status=refusal.status
    )


def install_page_errors(app: FastAPI) -> None:
    """Replace the JSON answers of refusals and bare 404/405s with pages (after the shared ones)."""

    async def on_refusal(request: Request, error: Exception) -> Response:
        assert isinstance(error, Refusal)
        return await refusal_page(request, error)

    async def on_http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if error.status_code == 404:
            return await render(request, "not_found.html", status=404)
        return await render(
            request,
            "message.html",
            {"title": "refused_title", "detail": str(error.detail)},
            status=error.status_code,
        )

    async def on_request_invalid(request: Request, error: Exception) -> Response:
        # pages read their forms themselves: what fails here is a path or query (a malformed id)
        return await render(request, "not_found.html", status=404)

    app.add_exception_handler(Refusal, on_refusal)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_request_invalid)
