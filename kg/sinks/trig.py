"""TriG sink: one named graph per negotiation (``https://w3id.org/negotiation-kg/graph/<case>``);
parties, sources, their MEMBER_OF links and the vocabularies stay in the default graph."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.sinks import _rdftext

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "trig"


def dumps(graph: nx.MultiDiGraph) -> str:
    """The graph as TriG."""
    return _rdftext.dumps(graph, "trig")


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as TriG."""
    _rdftext.write(graph, path, "trig")
