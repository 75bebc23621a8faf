"""Session set-up for every test and doctest: the on-disk cache (kg.cache) goes to a temporary directory.

Tests and doctests run ``negkg`` and :func:`kg.api.graph`, which cache what they build; that must never land
in the user's own cache directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile

_MADE: list[str] = []


def pytest_configure(config: object) -> None:
    if "NEGKG_CACHE_DIR" not in os.environ:
        _MADE.append(tempfile.mkdtemp(prefix="negkg-test-cache-"))
        os.environ["NEGKG_CACHE_DIR"] = _MADE[-1]


def pytest_unconfigure(config: object) -> None:
    while _MADE:
        shutil.rmtree(_MADE.pop(), ignore_errors=True)
        os.environ.pop("NEGKG_CACHE_DIR", None)
