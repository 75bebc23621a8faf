"""Sinks: each output format is one module with ``write(graph, path)`` (and ``EXTENSION``).

Adding a format is adding a module and a line to :data:`SINKS`; modules import lazily, so
heavy libraries load only for the format in use.

>>> [f for f in sorted(SINKS) if f in ("graphml", "nodelink")]
['graphml', 'nodelink']
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Protocol

from kg.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SINKS", "Sink", "sink", "write"]

#: format name -> module implementing it
SINKS: dict[str, str] = {
    "graphml": "kg.sinks.graphml",
    "yed": "kg.sinks.yed",
    "nodelink": "kg.sinks.nodelink",
    "turtle": "kg.sinks.turtle",
    "ntriples": "kg.sinks.ntriples",
    "jsonld": "kg.sinks.jsonld",
    "trig": "kg.sinks.trig",
    "gexf": "kg.sinks.gexf",
    "csv": "kg.sinks.neo4j_csv",
    "cypher": "kg.sinks.cypher_script",
    "svg": "kg.sinks.svg",
    "png": "kg.sinks.png",
}


class Sink(Protocol):
    EXTENSION: str

    def write(self, graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None: ...


def sink(fmt: str) -> Sink:
    """The module that writes a format (UsageError for an unknown one)."""
    if fmt not in SINKS:
        raise UsageError(f"unknown format {fmt!r} (known: {', '.join(sorted(SINKS))})")
    return importlib.import_module(SINKS[fmt])  # type: ignore[return-value]


def write(graph: nx.MultiDiGraph, fmt: str, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` to ``path`` in format ``fmt``, atomically."""
    sink(fmt).write(graph, path)
