"""Refuse, once for every service, what no field may hold: the NUL character, and JSON nested too deep.

PostgreSQL cannot store NUL (U+0000) in text or jsonb, so a NUL anywhere a value could travel to the
database is refused up front with the one 422 shape, naming where it is: `["query", name]`,
`["path"]`, `["body", ...]` (the JSON path of the string, or the form field). A JSON body nested
deeper than MAX_JSON_DEPTH is refused the same way (`json_too_deep`): deeper documents would meet the
parser's recursion limit, a 500. Bodies of other types (CSV files) are the receiving service's to check.

The check is cheap for ordinary bodies: a JSON body is parsed here only when its bytes could hold an
escaped NUL or could be that deep. It runs inside the body size limit (shared/http/limits.py).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import Invalid, Problem
from shared.http.errors import refusal_response
from shared.text import nul_problem

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects a JSON body may have (the real bodies need 3)."""
MAX_PROBLEMS = 20
_nul = nul_problem


def pairs_with_nul(encoded: str, where: str) -> list[Problem]:
    """A query string's or a form body's fields that hold a NUL (percent-encoded or not)."""
    if "\x00" not in encoded and "%00" not in encoded:
        return []
    problems = []
    for name, value in parse_qsl(encoded, keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            problems.append(_nul((where, name.replace("\x00", ""))))
    return problems[:MAX_PROBLEMS]


def json_problems(body: bytes) -> list[Problem]:
    """Where a JSON body holds a NUL, or that it is nested too deep; [] when it is not JSON at all
    (the route's own validation answers that)."""
    try:
        body.decode(json.detect_encoding(body))
    except UnicodeDecodeError:  # FastAPI would answer a bare 400 ("error parsing the body")
        return [Problem(("body",), "is not text in UTF-8 (or UTF-16/32)", "json_invalid")]
    could_hold_nul = b"\\u0000" in body
    could_be_deep = body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH
    if not could_hold_nul and not could_be_deep:
        return []
    try:
        document = json.loads(body)
    except RecursionError:
        return [_too_deep()]
    except ValueError:  # not JSON (or not UTF-8): the route's own 422
        return []
    return _walk(document)


def _too_deep() -> Problem:
    return Problem(("body",), f"nested deeper than {MAX_JSON_DEPTH} levels", "json_too_deep")


def _walk(document: Any) -> list[Problem]:
    """Iteratively (the document may be deep): every string, key or value, holding a NUL."""
    problems: list[Problem] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [(("body",), document)]
    while stack and len(problems) < MAX_PROBLEMS:
        loc, value = stack.pop()
        if isinstance(value, dict | list) and len(loc) > MAX_JSON_DEPTH:  # the len(loc)th container
            return [_too_deep()]
        if isinstance(value, str):
            if "\x00" in value:
                problems.append(_nul(loc))
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    problems.append(_nul((*loc, key.replace("\x00", ""))))
                stack.append(((*loc, key), item))
        elif isinstance(value, list):
            stack.extend(((*loc, index), item) for index, item in enumerate(value))
    return sorted(problems, key=lambda p: [str(part) for part in p.loc])


def _media_type(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.decode("latin-1").split(";")[0].strip().lower()
    return None


def _is_json(media: str | None) -> bool:
    """As FastAPI decides to parse a body as JSON: no Content-Type, or application/json, or +json."""
    return media is None or media == "application/json" or media.endswith("+json")


class RequestScreen:
    """A pure ASGI middleware: 422 for a NUL in the path, the query, a JSON or form body, and for JSON
    nested too deep; every other request passes untouched (its body replayed to the app)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problems = [_nul(("path",))] if "\x00" in scope["path"] else []
        problems += pairs_with_nul(scope["query_string"].decode("latin-1"), "query")
        media = _media_type(scope)
        form = media == "application/x-www-form-urlencoded"
        if problems or not (form or _is_json(media)) or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self._answer(problems, scope, receive, send)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if form:
            problems = pairs_with_nul(bytes(body).decode("latin-1"), "body")
        else:
            problems = json_problems(bytes(body))
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self._answer(problems, scope, replay, send)

    async def _answer(self, problems: list[Problem], scope: Scope, receive: Receive, send: Send) -> None:
        if problems:
            await refusal_response(Invalid(problems))(scope, receive, send)
        else:
            await self.app(scope, receive, send)
