"""Where the data and the query library live (a source checkout, or the copies shipped in the wheel),
and how a user-given value becomes part of a file name.

>>> file_slug("usa"), file_slug("Camp David/1978"), file_slug("../../etc")
('usa', 'camp-david-1978-c0a25c', 'etc-7baf5c')
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _first(*candidates: Path) -> Path:
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[0]


def data_dir() -> Path:
    """The data directory: $NEGKG_DATA, else ./data, else the checkout's data/, else the shipped copy."""
    if env := os.environ.get("NEGKG_DATA"):
        return Path(env)
    here = Path.cwd() / "data"
    if (here / "parties.yaml").exists():
        return here
    return _first(_PKG.parent / "data", _PKG / "_data")


def queries_dir() -> Path:
    """The query library: the checkout's queries/, else the shipped copy."""
    return _first(_PKG.parent / "queries", _PKG / "_queries")


def file_slug(value: str, max_len: int = 60) -> str:
    """``value`` as a safe piece of a file name: lowercase letters, digits and single hyphens.

    A value that is already such a slug is kept as is; any other gets a short hash of the original
    appended, so that two different values never give the same name ("a/b" and "a-b" differ).
    """
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:max_len].strip("-")
    if slug == value and slug:
        return slug
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}" if slug else digest
