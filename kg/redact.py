"""Credentials never reach output: one function redacts the user information of any URI or URL.

>>> redact("neo4j+s://alice:secret@db.example.com:7687/path")
'neo4j+s://***@db.example.com:7687/path'
>>> redact("http://db.example.org:7200/repositories/kg")
'http://db.example.org:7200/repositories/kg'
>>> redact("http://alice:s3cret@[::1/x")
'<unparsable URI>'
>>> without_userinfo("neo4j://alice:secret@db.example.com:7687")
'neo4j://db.example.com:7687'
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["redact", "without_userinfo"]


def redact(uri: str) -> str:
    """``uri`` with any user name and password replaced by ``***`` (for messages and logs)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparsable URI>"
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


def without_userinfo(uri: str) -> str:
    """``uri`` with the user information removed (to connect with credentials passed separately)."""
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
