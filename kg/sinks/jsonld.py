"""JSON-LD sink: the RDF form of the graph, compacted with the project's context.

The ``@context`` of the output is the shipped ``kg/rdf/context.jsonld`` (published at
https://w3id.org/negotiation-kg/context.jsonld), embedded so the file reads offline.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "jsonld"


def dumps(graph: nx.MultiDiGraph) -> str:
    """The graph as compacted JSON-LD."""
    from kg.rdf.mapping import to_graph
    from kg.rdf.ontology import FILES

    ctx = json.loads(FILES["context"].read_text(encoding="utf-8"))["@context"]
    text = to_graph(graph).serialize(format="json-ld", context=ctx, auto_compact=True, ensure_ascii=False)
    return text if text.endswith("\n") else text + "\n"


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as JSON-LD."""
    atomic_write(path, dumps(graph))
