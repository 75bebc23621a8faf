"""negotiation-kg: historical negotiations as a knowledge graph of parties, positions, interests and provisions.

The public API (see :mod:`kg.api`) is importable from here; heavy modules load on first use.

>>> import kg
>>> kg.__version__
'0.1.0'
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["load", "validate", "graph", "query", "build", "summary", "Result", "BuildResult"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
