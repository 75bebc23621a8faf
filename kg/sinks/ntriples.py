"""N-Triples sink: the RDF form of the graph (kg.rdf.mapping), grouped by subject, named graphs merged."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.sinks import _rdftext

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "nt"


def dumps(graph: nx.MultiDiGraph) -> str:
    """The graph as N-Triples."""
    return _rdftext.dumps(graph, "ntriples")


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as N-Triples."""
    _rdftext.write(graph, path, "ntriples")
