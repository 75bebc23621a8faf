"""negotiation-kg: historical negotiations as a knowledge graph of parties, positions, interests and provisions.

The public API (:mod:`kg.api`) is at package level, for notebooks and scripts; heavy modules load on
first use, so ``import kg`` stays light. ``dir(kg)`` lists it:

>>> import kg
>>> kg.__version__
'0.1.0'
>>> g = kg.graph(data_dir="tests/fixtures/mini")      # the canonical networkx MultiDiGraph
>>> kg.query("shared-interests", graph=g).rows[0]["parties"]
['alpha', 'beta']
>>> kg.cypher("MATCH (p:Party) RETURN p.id AS id ORDER BY id LIMIT 1", graph=g).rows
[{'id': 'alpha'}]
>>> {"graph", "query", "cypher", "sparql", "rdf", "select", "network", "report"} <= set(dir(kg))
True

Some of these names are also submodules (``kg.graph``, ``kg.load``, ``kg.select``, ``kg.report``,
``kg.rdf``, ``kg.cypher``). At package level the name is the API function, and the function's
attributes reach the submodule of the same name, so ``kg.graph.subgraph_for_case`` and
``from kg.report import render`` keep working. ``load_corpus`` and ``build_graph`` remain as aliases
of ``load`` and ``graph``.
"""

from __future__ import annotations

import sys
import types
from typing import Any

__version__ = "0.1.0"

#: package-level name -> name in kg.api. New API functions are added here (e.g. ``"precedents": "precedents"``).
_API = {
    # the graph and its data
    "load": "load",
    "validate": "validate",
    "graph": "graph",
    "summary": "summary",
    "build": "build",
    # questions: the query library, ad-hoc Cypher and SPARQL, other forms of the graph
    "query": "query",
    "cypher": "cypher",
    "sparql": "sparql",
    "rdf": "rdf",
    "select": "select",
    # pictures and reports
    "network": "network",
    "report": "report",
    # precedents and integrative potential (docs/precedents.md)
    "precedents": "precedents",
    "potential": "potential",
    # result types
    "Result": "Result",
    "BuildResult": "BuildResult",
    # aliases kept from before the API took the submodules' names
    "load_corpus": "load",
    "build_graph": "graph",
}
__all__ = list(_API)
_ENTRIES: dict[str, Any] = {}


class _Entry:
    """An API function whose name is also a submodule's: calls go to the function, attributes to the module."""

    def __init__(self, func: Any, module: str) -> None:
        import functools

        functools.update_wrapper(self, func)
        self._module = module

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__wrapped__(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        import importlib

        return getattr(importlib.import_module(self._module), name)

    def __dir__(self) -> list[str]:
        import importlib

        module = importlib.import_module(self._module)
        return sorted({*object.__dir__(self), *(n for n in dir(module) if not n.startswith("_"))})

    def __repr__(self) -> str:
        return f"<kg API function {self.__name__} (attributes: module {self._module})>"


class _Package(types.ModuleType):
    """The ``kg`` package: importing a submodule whose name is an API function leaves the function in place."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return  # the import system binding e.g. kg.graph: the module stays reachable in sys.modules
        super().__setattr__(name, value)


def __getattr__(name: str) -> Any:
    if name in _ENTRIES:
        return _ENTRIES[name]
    if name in _API:
        import importlib.util

        func = getattr(importlib.import_module("kg.api"), _API[name])
        module = f"kg.{name}"
        if isinstance(func, types.FunctionType) and importlib.util.find_spec(module) is not None:
            func = _Entry(func, module)
        _ENTRIES[name] = func
        return func
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*_API, "__version__", "api", "viz", "errors", "model"})


sys.modules[__name__].__class__ = _Package
