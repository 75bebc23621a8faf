"""Where the data and the query library live: a source checkout, or the copies shipped in the wheel."""

from __future__ import annotations

import os
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
