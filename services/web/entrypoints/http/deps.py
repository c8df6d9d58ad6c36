"""Per request: the web context, who is signed in, their language, and the CSRF check of every POST.

Every state-changing form carries `csrf_token` (rendered by `pages.render`); `checked_form` compares it
with the session's (or, before sign-in, with the token in the `mentornet_web_csrf` cookie) and checks
that the request's Origin (or Referer) is this site. A page handler takes `form: CheckedForm`.
"""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.datastructures import FormData

from services.web.domain.errors import Forbidden, NotFound, Unauthorized
from services.web.domain.i18n import choose
from services.web.domain.identity import Visitor
from services.web.service_layer import signin
from services.web.service_layer.context import Web

SESSION_COOKIE = "mentornet_web"
CSRF_COOKIE = "mentornet_web_csrf"
LANGUAGE_COOKIE = "mentornet_web_lang"


class CsrfRefused(Forbidden):
    default_code = "csrf"


def web_of(request: Request) -> Web:
    found: Web = request.app.state.web
    return found


async def visitor_of(request: Request) -> Visitor | None:
    """Who is signed in (looked up once per request)."""
    if not hasattr(request.state, "visitor"):
        request.state.visitor = await signin.signed_in(web_of(request), request.cookies.get(SESSION_COOKIE))
    found: Visitor | None = request.state.visitor
    return found


async def require_visitor(request: Request) -> Visitor:
    found = await visitor_of(request)
    if found is None:
        raise Unauthorized("sign in first", "signed_out")
    return found


async def require_staff(request: Request) -> Visitor:
    """Staff only; a company's HR contact gets the 404 page (nothing here is theirs)."""
    found = await require_visitor(request)
    if not found.staff:
        raise NotFound()
    return found


async def require_company(request: Request) -> Visitor:
    """A partner company only; staff get the 404 page."""
    found = await require_visitor(request)
    if found.staff:
        raise NotFound()
    return found


def language_of(request: Request) -> str:
    return choose(request.cookies.get(LANGUAGE_COOKIE), request.app.state.settings.default_language)


def same_origin(request: Request) -> bool:
    """The Origin (or, without it, the Referer) is this site; a request with neither passes on its token."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if not sent:
        return True
    parts = urlsplit(sent)
    host = request.headers.get("host", "")
    return parts.scheme in ("http", "https") and parts.netloc == host


async def checked_form(request: Request) -> FormData:
    """The POSTed form, after the Origin and CSRF token checks (403 page otherwise)."""
    form = await request.form()
    if not same_origin(request):
        raise CsrfRefused("the form was sent from another site")
    visitor = await visitor_of(request)
    expected = visitor.csrf_token if visitor else request.cookies.get(CSRF_COOKIE, "")
    sent = form.get("csrf_token")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused("the form's CSRF token is missing or wrong")
    return form


async def keep_once(request: Request, shown: dict[str, object]) -> None:
    """Show `shown` on the next page only (after the redirect): a new key, new personal links."""
    await signin.keep_once(web_of(request), request.cookies.get(SESSION_COOKIE), shown)


async def take_once(request: Request) -> dict[str, object]:
    return await signin.take_once(web_of(request), request.cookies.get(SESSION_COOKIE))


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


WebContext = Annotated[Web, Depends(web_of)]
MaybeVisitor = Annotated[Visitor | None, Depends(visitor_of)]
SignedIn = Annotated[Visitor, Depends(require_visitor)]
Staff = Annotated[Visitor, Depends(require_staff)]
Company = Annotated[Visitor, Depends(require_company)]
Language = Annotated[str, Depends(language_of)]
CheckedForm = Annotated[FormData, Depends(checked_form)]
