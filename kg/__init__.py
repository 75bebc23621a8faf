"""negotiation-kg: historical negotiations as a knowledge graph of parties, positions, interests and provisions.

The public API (:mod:`kg.api`) is importable from here; heavy modules load on first use. At package level
``kg.load`` and ``kg.graph`` are modules, so their API functions are exported as :func:`load_corpus` and
:func:`build_graph`.

>>> import kg
>>> kg.__version__
'0.1.0'
>>> g = kg.build_graph(kg.load_corpus(data_dir="tests/fixtures/mini"))
>>> kg.query("shared-interests", graph=g).rows[0]["parties"]
['alpha', 'beta']
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: package-level name -> name in kg.api
_API = {
    "load_corpus": "load",
    "build_graph": "graph",
    "validate": "validate",
    "query": "query",
    "build": "build",
    "summary": "summary",
    "Result": "Result",
    "BuildResult": "BuildResult",
    "precedents": "precedents",
    "potential": "potential",
}
__all__ = list(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        from kg import api

        return getattr(api, _API[name])
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
