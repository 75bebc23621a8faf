"""Turtle sink: the RDF form of the graph (kg.rdf.mapping), named graphs merged. See docs/rdf.md."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "ttl"


def dumps(graph: nx.MultiDiGraph) -> str:
    """The graph as Turtle text."""
    from kg.rdf.mapping import serialize

    return serialize(graph, "turtle").decode("utf-8")


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as Turtle."""
    atomic_write(path, dumps(graph))
