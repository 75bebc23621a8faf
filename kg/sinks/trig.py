"""TriG sink: one named graph per negotiation (``https://w3id.org/negotiation-kg/graph/<case>``);
parties, sources, their MEMBER_OF links and the vocabularies stay in the default graph."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "trig"


def dumps(graph: nx.MultiDiGraph) -> str:
    """The graph as TriG."""
    from kg.rdf.mapping import serialize

    return serialize(graph, "trig").decode("utf-8")


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as TriG."""
    atomic_write(path, dumps(graph))
