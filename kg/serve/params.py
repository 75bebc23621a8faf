"""Request parameters in, errors out: what every route of the workbench shares.

Parameters come from the query string (GET), a form or a JSON object (POST). A *source* (see
:mod:`kg.serve.worker`) is read from them:

- ``q=NAME`` (a library question), ``lang=native|cypher|sparql``, and ``p.PARAM=VALUE`` for its parameters;
- ``cypher=TEXT`` with ``p.KEY=VALUE`` driver parameters (an empty value is null);
- ``sparql=TEXT``.

Errors become one line of plain text (never HTML) with the status that fits: 400 bad input, 403 refused
(update, SERVICE), 503 past the time limit, 500 anything else.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import TYPE_CHECKING, Any

from kg.errors import InvalidInput, KGError, UsageError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["read", "source", "error_response", "MAX_BODY"]

MAX_BODY = 1_000_000  # bytes of a POST body
_FORM = "application/x-www-form-urlencoded"


async def read(request: Request) -> dict[str, str]:
    """The request's parameters (query string, then a form or JSON body for POST), last value wins."""
    out = dict(request.query_params)
    if request.method != "POST":
        return out
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await body_of(request)
    if ctype == _FORM:
        out.update(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    elif ctype == "application/json":
        try:
            doc = json.loads(body or b"{}")
        except ValueError:
            raise UsageError("the body is not JSON") from None
        if not isinstance(doc, dict):
            raise UsageError("the JSON body must be an object")
        for k, v in doc.items():
            if k == "params" and isinstance(v, dict):
                out.update({f"p.{pk}": "" if pv is None else str(pv) for pk, pv in v.items()})
            elif isinstance(v, str):
                out[k] = v
    return out


async def body_of(request: Request) -> bytes:
    """The request body, refused past :data:`MAX_BODY` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise UsageError(f"request body larger than {MAX_BODY} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def source(p: dict[str, str]) -> dict[str, Any]:
    """The source named by the parameters (UsageError when none or several).

    >>> source({"q": "shared-interests", "p.case": "oslo-1993"})
    {'kind': 'library', 'name': 'shared-interests', 'lang': 'native', 'params': {'case': 'oslo-1993'}}
    >>> source({"cypher": "MATCH (n) RETURN n", "p.id": ""})["params"]
    {'id': None}
    """
    given = [k for k in ("q", "cypher", "sparql") if p.get(k)]
    if len(given) != 1:
        raise UsageError("give one of q=NAME (a library question), cypher=TEXT or sparql=TEXT")
    params = {k[2:]: v for k, v in p.items() if k.startswith("p.")}
    if given[0] == "q":
        from kg.api import ENGINES
        from kg.queries import spec

        lang = p.get("lang") or "native"
        if lang not in ENGINES:
            raise UsageError(f"unknown query language {lang!r} (known: {', '.join(ENGINES)})")
        q = spec(p["q"])
        return {"kind": "library", "name": q.name, "lang": lang,
                "params": {k: v for k, v in params.items() if v != "" or k in q.required}}
    if given[0] == "cypher":
        return {"kind": "cypher", "text": p["cypher"], "params": {k: (v if v != "" else None) for k, v in params.items()}}
    return {"kind": "sparql", "text": p["sparql"]}


def status_of(e: BaseException) -> int:
    """The HTTP status of an error."""
    from kg.rdf.sparql import ServiceRefused, UpdateRefused
    from kg.serve.pool import TimeLimit

    if isinstance(e, UpdateRefused | ServiceRefused):
        return 403
    if isinstance(e, TimeLimit):
        return 503
    if isinstance(e, UsageError | InvalidInput):
        return 400
    return 500


def error_response(e: BaseException) -> Response:
    """One line of plain text saying what went wrong (no traceback, never markup)."""
    from starlette.responses import PlainTextResponse

    msg = str(e) if isinstance(e, KGError) else f"internal error ({type(e).__name__})"
    return PlainTextResponse(" ".join(msg.split())[:2000] + "\n", status_code=status_of(e))
