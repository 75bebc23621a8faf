"""GraphML sink: for yEd, Gephi, Cytoscape and networkx.

Plain networkx reads the file back as the same graph::

    import json, networkx as nx
    g = nx.read_graphml("out/graph.graphml", force_multigraph=True)
    for *_, d in [*g.nodes(data=True), *g.edges(data=True)]:
        d.update({k: json.loads(d[k]) for k in ("source_ids", "locators", "authors", "lint_waivers") if k in d})

— a MultiDiGraph with the same node keys, edge keys, attributes and attribute types. GraphML
has no list type, so the list attributes (:data:`LISTS`) are JSON arrays in string attributes;
their ``<key>`` says so in a ``<desc>``, and the last line above turns them back (this is all
that :func:`read` does). Key ids are ``d0``, ``d1``, ... (unique, as GraphML requires); the
attribute names are in ``attr.name``.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("Source:s", type="Source", id="s", authors=["A", "B"])
>>> "<desc>JSON array" in dumps(g)
True
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from kg import model
from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx
    from networkx.readwrite.graphml import GraphMLWriter

__all__ = ["EXTENSION", "LISTS", "LIST_DESC", "dumps", "write", "read", "writer", "decode_lists"]

EXTENSION = "graphml"
#: list attributes written by earlier versions without a <desc> (read as lists all the same)
LISTS = model.LIST_PROPERTIES
LIST_DESC = "JSON array of strings (GraphML has no list type): json.loads(value) gives the list"
GRAPH_DESC = (
    "negotiation-kg graph. networkx: nx.read_graphml(path, force_multigraph=True), then json.loads the "
    "attributes whose key has a JSON-array desc (source_ids, locators, authors, lint_waivers)."
)


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in d.items()}


def writer(graph: nx.MultiDiGraph) -> GraphMLWriter:
    """networkx's GraphML writer holding ``graph`` (lists as JSON strings, their keys described), for
    further decoration (see :mod:`kg.sinks.yed`) before it is printed with ``str(w)``."""
    import networkx as nx
    from networkx.readwrite.graphml import GraphMLWriter

    from kg.sinks import check_xml

    check_xml(graph, "GraphML")
    attrs = [d for _, d in graph.nodes(data=True)] + [d for *_, d in graph.edges(data=True)]
    lists = {k for d in attrs for k, v in d.items() if isinstance(v, list)}
    g = nx.MultiDiGraph(**{k: v for k, v in graph.graph.items() if isinstance(v, str)})  # name, dataset metadata
    g.add_nodes_from((n, _flat(d)) for n, d in graph.nodes(data=True))
    g.add_edges_from((u, v, k, _flat(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    w = GraphMLWriter(encoding="utf-8", prettyprint=True)
    w.add_graph_element(g)
    for key in w.xml.iter("key"):
        if key.get("attr.name") in lists:
            desc = w.myElement("desc")
            desc.text = LIST_DESC
            key.insert(0, desc)
    graph_el = w.xml.find("graph")
    desc = w.myElement("desc")
    desc.text = GRAPH_DESC
    graph_el.insert(0, desc)
    return w


def dumps(graph: nx.MultiDiGraph) -> str:
    """The GraphML text of ``graph`` (deterministic: same graph, same bytes); text XML cannot hold is refused
    in one line."""
    return "<?xml version='1.0' encoding='utf-8'?>\n" + str(writer(graph)) + "\n"


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as GraphML (lists as JSON strings), atomically."""
    atomic_write(path, dumps(graph))


def list_keys(path: str | os.PathLike[str]) -> set[str]:
    """Names of the attributes that a GraphML file marks as JSON arrays (and those of :data:`LISTS`)."""
    import xml.etree.ElementTree as ET

    out = set(LISTS)
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    for _, el in ET.iterparse(path, events=("end",)):
        if el.tag == f"{ns}key" and (el.findtext(f"{ns}desc") or "").startswith("JSON array"):
            out.add(el.get("attr.name", ""))
        elif el.tag == f"{ns}graph":
            break
    return out


def decode_lists(g: nx.MultiDiGraph, names: set[str] | frozenset[str] = LISTS) -> nx.MultiDiGraph:
    """Turn the JSON-array strings of the attributes ``names`` back into lists, in place."""
    for *_, d in [*g.nodes(data=True), *g.edges(data=True)]:
        d.update({k: json.loads(v) for k, v in d.items() if k in names and isinstance(v, str)})
    return g


def read(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write` back into the canonical form: plain networkx, lists decoded."""
    import networkx as nx

    g = nx.read_graphml(path, force_multigraph=True)
    for key in ("node_default", "edge_default"):
        if not g.graph.get(key):
            g.graph.pop(key, None)
    return decode_lists(g, list_keys(path))
