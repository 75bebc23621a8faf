"""Node-link JSON sink: networkx's node-link format, for D3 and any JSON tool."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "json"


def dumps(graph: nx.MultiDiGraph) -> str:
    """The graph as node-link JSON text (deterministic)."""
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges", name="key")  # "id" is a node attribute here
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as node-link JSON."""
    atomic_write(path, dumps(graph))


def read(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read node-link JSON back into a MultiDiGraph."""
    import networkx as nx

    with open(path, encoding="utf-8") as f:
        return nx.node_link_graph(json.load(f), directed=True, multigraph=True, edges="edges", name="key")
