"""N-Triples sink: the RDF form of the graph (kg.rdf.mapping), sorted lines, named graphs merged."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "nt"


def dumps(graph: nx.MultiDiGraph) -> str:
    """The graph as sorted N-Triples."""
    from kg.rdf.mapping import ntriples

    return ntriples(graph)


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as N-Triples."""
    atomic_write(path, dumps(graph))
