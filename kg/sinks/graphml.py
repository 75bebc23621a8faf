"""GraphML sink: for yEd, Gephi, Cytoscape and networkx.

GraphML attributes are scalars, so list attributes (``source_ids``, ``locators``, ``authors``)
are written as JSON arrays in strings; :func:`read` turns them back into lists.
"""

from __future__ import annotations

import io
import json
import os
from typing import TYPE_CHECKING, Any

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "graphml"
_LISTS = frozenset({"source_ids", "locators", "authors"})


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in d.items()}


def dumps(graph: nx.MultiDiGraph) -> str:
    """The graph as GraphML text (lists as JSON strings); text XML cannot hold is refused in one line."""
    import networkx as nx

    from kg.sinks import check_xml

    check_xml(graph, "GraphML")
    g = nx.MultiDiGraph(name=graph.graph.get("name", ""))
    g.add_nodes_from((n, _flat(d)) for n, d in graph.nodes(data=True))
    g.add_edges_from((u, v, k, _flat(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buf.getvalue().decode("utf-8")


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as GraphML (lists as JSON strings)."""
    atomic_write(path, dumps(graph))


def read(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write` back into the canonical form."""
    import networkx as nx

    g = nx.read_graphml(path, force_multigraph=True)
    for n, d in g.nodes(data=True):
        d["id"] = n.split(":", 1)[1]  # GraphML keeps it as the node id only
        d.update({k: json.loads(v) for k, v in d.items() if k in _LISTS})
    for *_, d in g.edges(data=True):
        d.update({k: json.loads(v) for k, v in d.items() if k in _LISTS})
    return g
