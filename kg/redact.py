"""Credentials never reach output: the one place that finds and removes them.

User information is found **before** a URI is parsed, so a password with ``/``, ``#``, ``?`` or ``@``
in it (which a URL parser would take for the path, fragment, query or host) is still recognised:
it is everything between ``scheme://`` and the last ``@``, provided the user name before the first
``:`` holds no ``/``, ``?`` or ``#``. Shown URIs are masked on that rule, which errs on the safe side;
to connect, a URI whose "password" could also be a port and a path (``http://h:8080/q?x=a@b``) is
refused as ambiguous: write ``@`` in a path or query as ``%40`` (or ``/`` in a password as ``%2F``).

- :func:`split_userinfo` takes a URI apart before it is used to connect;
- :func:`redact` shows a URI in a message (``***@`` instead of the user information; secret-looking
  query parameters such as ``password=`` masked too);
- :func:`scrub` cleans free text (an error from a server or a driver, a traceback): URIs with user
  information, ``Authorization``/``Cookie``-like header lines, ``Basic``/``Bearer`` tokens,
  ``password=``-like parameters, and any secret the caller names;
- :func:`excerpt` turns an error body from a server into a short, scrubbed, one-line excerpt.

>>> redact("neo4j+s://alice:secret@db.example.com:7687/path")
'neo4j+s://***@db.example.com:7687/path'
>>> redact("bolt://neo4j:s3cr3t/XYZ@127.0.0.1:1"), redact("bolt://neo4j:s3#cr?t@127.0.0.1:1")
('bolt://***@127.0.0.1:1', 'bolt://***@127.0.0.1:1')
>>> redact("http://db.example.org/repositories/kg?x=a@b")
'http://db.example.org/repositories/kg?x=a@b'
>>> split_userinfo("neo4j://alice:p%40ss/w@db.example.com:7687")
('neo4j://db.example.com:7687', 'alice', 'p@ss/w')
>>> excerpt(b"<pre>Bad request\\nAuthorization: Basic YWxpY2U6c2VjcmV0\\nquery=...</pre>")
'<pre>Bad request Authorization: *** query=...</pre>'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

__all__ = ["redact", "split_userinfo", "without_userinfo", "scrub", "excerpt", "MASK"]

MASK = "***"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_SECRET_PARAM = re.compile(
    r"(?i)\b((?:password|passwd|pwd|pass|secret|token|access_token|api_key|apikey|auth|credentials?)=)[^&#\s\"'<>]*")
_HEADER = re.compile(r"(?im)\b((?:proxy-)?authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)"
                     r"([\"']?\s*[:=]\s*)[^\r\n]*")
_TOKEN = re.compile(r"(?i)\b(basic|bearer|digest|negotiate)\s+[A-Za-z0-9+/=._~\-]{6,}")
_PORT_AND_PATH = re.compile(r"\d+[/?#]")
_URI_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'<>]*")


def _userinfo_span(uri: str) -> tuple[int, int] | None:
    """Start and end (the ``@``) of the user information of ``uri``, or None when it has none."""
    m = _SCHEME.match(uri)
    start = m.end() if m else 0
    at = uri.rfind("@", start)
    if at < 0:
        return None
    user = uri[start:at].split(":", 1)[0]
    if any(c in user for c in "/?#"):
        return None  # the "@" is in the path or query of a URI without credentials
    return start, at


def split_userinfo(uri: str) -> tuple[str, str | None, str | None]:
    """``(uri without user information, user, password)``; user and password percent-decoded, None if absent.

    Raises ValueError (its message shows the URI redacted) when the "password" could be a port and a path.
    """
    span = _userinfo_span(uri)
    if span is None:
        return uri, None, None
    info = uri[span[0]:span[1]]
    user, sep, password = info.partition(":")
    if _PORT_AND_PATH.match(password):
        raise ValueError(f"ambiguous URI {redact(uri)!r}: write '@' in a path or query as %40, or '/' in a "
                         "password as %2F")
    return uri[: span[0]] + uri[span[1] + 1 :], unquote(user) or None, unquote(password) if sep else None


def without_userinfo(uri: str) -> str:
    """``uri`` with the user information removed (to connect with credentials passed separately)."""
    return split_userinfo(uri)[0]


def redact(uri: str) -> str:
    """``uri`` for messages and logs: user information as ``***`` and secret-looking parameters masked."""
    span = _userinfo_span(uri)
    if span is not None:
        uri = uri[: span[0]] + MASK + uri[span[1] :]
    return _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, uri)


def scrub(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Free text with credentials masked: URIs' user information, auth headers and tokens, and ``secrets``."""
    for s in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(s, MASK)
    text = _HEADER.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    text = _TOKEN.sub(lambda m: m.group(1) + " " + MASK, text)
    text = _URI_IN_TEXT.sub(lambda m: redact(m.group(0)), text)
    return _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, text)


def excerpt(body: bytes | str, limit: int = 200, secrets: Iterable[str | None] = ()) -> str:
    """A server's error body as one short line: scrubbed, control characters dropped, whitespace collapsed, cut."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = scrub(text[: 16 * limit], secrets)
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
