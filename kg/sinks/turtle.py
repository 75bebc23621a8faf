"""Turtle sink: the RDF form of the graph (kg.rdf.mapping), named graphs merged. See docs/rdf.md."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.sinks import _rdftext

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "ttl"


def dumps(graph: nx.MultiDiGraph) -> str:
    """The graph as Turtle text."""
    return _rdftext.dumps(graph, "turtle")


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as Turtle."""
    _rdftext.write(graph, path, "turtle")
