"""The RDF text sinks (N-Triples, Turtle, TriG): the text of :func:`kg.rdf.mapping.text`, streamed to the file."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.io import atomic_path

if TYPE_CHECKING:
    import networkx as nx


def dumps(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The graph as RDF text in ``fmt`` (ntriples, turtle, trig)."""
    from kg.rdf.mapping import text

    return "".join(text(graph, fmt))


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str], fmt: str) -> None:
    """Write the graph as RDF text in ``fmt``, atomically, without holding the whole text in memory."""
    from kg.rdf.mapping import text

    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        parts: list[str] = []
        size = 0
        for piece in text(graph, fmt):  # a few MB at a time: fewer, larger writes
            parts.append(piece)
            size += len(piece)
            if size >= 1 << 22:
                f.write("".join(parts).encode("utf-8"))
                parts, size = [], 0
        f.write("".join(parts).encode("utf-8"))
