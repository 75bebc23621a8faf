"""The workbench's guard: one ASGI middleware in front of every route.

- **Host**: only the names the server was started for (127.0.0.1, localhost, ::1, or ``--host``), which
  defeats DNS rebinding (a web page whose host name resolves to 127.0.0.1 cannot talk to us).
- **Access token** (required off the loopback interface): ``Authorization: Bearer TOKEN``, the
  ``negkg_token`` cookie, or ``?token=TOKEN`` (which also sets the cookie: HttpOnly, SameSite=Strict),
  compared in constant time.
- **Cross-origin POSTs are refused** (``Origin`` or ``Sec-Fetch-Site`` naming another site): no page on
  another site can make the browser run a query here. GET answers carry no CORS header, so other sites
  cannot read them, except ``GET /sparql`` for the origins given with ``--cors``.
- **Read-only methods**: GET, HEAD, POST (queries only) and OPTIONS; anything else is 405.
- **Headers**: a Content-Security-Policy on every answer (routes that serve a page set the page's own; the
  default forbids everything, so a browser shown a data answer runs nothing), ``nosniff``, no referrer,
  no caching.
"""

from __future__ import annotations

import hmac
import http.cookies
import urllib.parse
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["Guard", "DEFAULT_CSP", "COOKIE"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

COOKIE = "negkg_token"
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_METHODS = {"GET", "HEAD", "POST", "OPTIONS"}


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


async def _plain(send: Callable[[Message], Awaitable[None]], status: int, text: str,
                 extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = (text + "\n").encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", DEFAULT_CSP.encode()), (b"x-content-type-options", b"nosniff"),
        (b"cache-control", b"no-store"), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The middleware; ``hosts`` are the accepted Host names (None: any, when a token guards the server),
    ``token`` the access token (None: none needed)."""

    def __init__(self, app: ASGIApp, *, hosts: set[str] | None, token: str | None, cors: tuple[str, ...] = ()):
        self.app = app
        self.hosts = None if hosts is None else {h.lower().strip("[]") for h in hosts}
        self.token = token
        self.cors = set(cors)

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                      send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        h = _headers(scope)
        host = h.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]", 1)[0]
        if self.hosts is not None and name.lower() not in self.hosts:
            await _plain(send, 400, f"refused: unknown Host header {host[:100]!r}")
            return
        method = scope["method"]
        if method not in _METHODS:
            await _plain(send, 405, f"refused: {method} (this server is read-only)", [(b"allow", b"GET, HEAD, POST, OPTIONS")])
            return
        origin = h.get("origin")
        own = f"{scope.get('scheme', 'http')}://{host}"
        cors = origin if origin in self.cors and scope["path"] == "/sparql" else None
        if method == "POST" and ((origin and origin != own) or h.get("sec-fetch-site") in ("cross-site", "same-site")):
            await _plain(send, 403, "refused: cross-origin POST (use GET, or the workbench itself)")
            return
        if method == "OPTIONS":
            allow = [(b"access-control-allow-origin", cors.encode()), (b"access-control-allow-methods", b"GET"),
                     (b"access-control-allow-headers", b"Accept, Authorization"), (b"vary", b"Origin")] if cors else []
            await _plain(send, 204 if cors else 403, "" if cors else "refused: cross-origin request", allow)
            return
        query = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"))
        via_query = (query.get("token") or [None])[0]
        set_cookie = False
        if self.token is not None:
            given = self._given(h, via_query)
            if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
                await _plain(send, 401, "an access token is needed: open the URL printed by negkg serve, or send "
                             "'Authorization: Bearer TOKEN'", [(b"www-authenticate", b"Bearer")])
                return
            set_cookie = via_query is not None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", DEFAULT_CSP.encode()))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if cors:
                    headers += [(b"access-control-allow-origin", cors.encode()), (b"vary", b"Origin")]
                if set_cookie:
                    c = http.cookies.SimpleCookie()
                    c[COOKIE] = self.token or ""
                    c[COOKIE]["httponly"] = True
                    c[COOKIE]["samesite"] = "Strict"
                    c[COOKIE]["path"] = "/"
                    headers.append((b"set-cookie", c[COOKIE].OutputString().encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _given(h: dict[str, str], via_query: str | None) -> str | None:
        auth = h.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        if via_query:
            return via_query
        cookie = http.cookies.SimpleCookie()
        try:
            cookie.load(h.get("cookie", ""))
        except http.cookies.CookieError:
            return None
        return cookie[COOKIE].value if COOKIE in cookie else None
