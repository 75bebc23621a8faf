"""GEXF 1.2 sink, for Gephi (written and read by networkx).

GEXF node ids are the canonical keys (``Party:egypt``) and node labels the names, so Gephi
shows readable labels. networkx's GEXF writer gives some attribute names a meaning of its own
(``id`` and ``label`` on nodes; ``id``, ``label``, ``type`` and ``weight`` on edges) and takes list
values for dynamic data, so the entity id is stored as ``kg_id``, the edge key as the
edge label, and list attributes (``source_ids``, ``locators``, ``authors``) as JSON arrays in
strings. :func:`read` undoes all of this and gives back the canonical graph.
"""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "gexf"
_LISTS = frozenset({"source_ids", "locators", "authors"})


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in d.items()}


def _unflat(d: dict[str, Any]) -> dict[str, Any]:
    return {k: json.loads(v) if k in _LISTS else v for k, v in d.items()}


def to_gexf_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes networkx writes to GEXF without loss."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for n, d in graph.nodes(data=True):
        attrs = _flat({k: v for k, v in d.items() if k != "id"})
        g.add_node(n, id=n, label=str(d.get("name", d.get("id", n))), kg_id=d.get("id"), **attrs)
    for u, v, k, d in graph.edges(keys=True, data=True):
        g.add_edge(u, v, key=k, id=f"{u} {k} {v}", label=k, **_flat(d))
    return g


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as GEXF 1.2 (deterministic: same graph, same bytes)."""
    atomic_write(path, dumps(graph))


def dumps(graph: nx.MultiDiGraph) -> str:
    """The GEXF text of ``graph``, without networkx's date stamp (so the same graph gives the same bytes)."""
    import networkx as nx

    from kg.sinks import check_xml, well_formed

    check_xml(graph, "GEXF")  # networkx's GEXF writer would write such text as it is: invalid XML
    text = "\n".join(nx.generate_gexf(to_gexf_graph(graph), encoding="utf-8", prettyprint=True, version="1.2draft"))
    text = re.sub(r'(<meta) lastmodifieddate="[^"]*"', r"\1", text, count=1)
    return well_formed("<?xml version='1.0' encoding='utf-8'?>\n" + text + "\n", "GEXF")


def read(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a GEXF file written by :func:`write` back into the canonical form."""
    import networkx as nx

    raw = nx.read_gexf(path, node_type=None, relabel=False)
    g = nx.MultiDiGraph()
    for n, d in raw.nodes(data=True):
        attrs = {k: v for k, v in d.items() if k not in ("label", "kg_id")}
        g.add_node(n, **{"type": attrs.pop("type"), "id": d["kg_id"], **_unflat(attrs)})
    # networkx reads a file without parallel edges as a DiGraph and drops the key: the label has it
    for u, v, d in raw.edges(data=True):
        g.add_edge(u, v, key=d["label"], **_unflat({a: x for a, x in d.items() if a not in ("id", "label")}))
    return g
