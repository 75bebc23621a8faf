"""GraphML sink: for yEd, Gephi, Cytoscape and networkx.

GraphML attributes are scalars, so list attributes (``source_ids``, ``locators``, ``authors``)
are written as JSON arrays in strings; :func:`read` turns them back into lists.

The file is byte for byte what ``networkx.write_graphml(..., prettyprint=True, named_key_ids=True)``
writes (through lxml), but built as one string, several times faster; a value XML cannot hold (a
control character) goes to networkx's writer, which refuses it.
"""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any

from kg.io import atomic_path

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "graphml"
_LISTS = frozenset({"source_ids", "locators", "authors"})


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in d.items()}


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as GraphML (lists as JSON strings)."""
    text = dumps(graph)
    with atomic_path(path) as tmp:
        if text is not None:
            tmp.write_bytes(text.encode("utf-8"))
        else:
            _write_networkx(graph, tmp)


def _write_networkx(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """networkx's own GraphML writer (the reference :func:`dumps` matches)."""
    import networkx as nx

    g = nx.MultiDiGraph(name=graph.graph.get("name", ""))
    g.add_nodes_from((n, _flat(d)) for n, d in graph.nodes(data=True))
    g.add_edges_from((u, v, k, _flat(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    nx.write_graphml(g, path, encoding="utf-8", prettyprint=True, named_key_ids=True)


_HEAD = ("<?xml version='1.0' encoding='utf-8'?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/"
         "xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">")
#: GraphML attribute types of Python values, as networkx names them
_TYPES = {str: "string", int: "long", bool: "boolean", float: "double"}
#: what XML 1.0 cannot hold (lxml refuses it, and so does networkx's writer)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(v: str) -> str:
    """Character data escaped as libxml2 writes it."""
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(v: str) -> str:
    """An attribute value escaped as libxml2 writes it."""
    return (v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def dumps(graph: nx.MultiDiGraph) -> str | None:
    """The GraphML text :func:`write` writes (None when a value holds what XML cannot: networkx then refuses it)."""
    keys: dict[tuple[str, str, str], None] = {}  # (name, type, scope), in the order networkx meets them
    types: dict[type, str] = {}

    def data(d: dict[str, Any], scope: str, indent: str) -> str:
        out = []
        for k, v in d.items():
            t = type(v)
            if t is list:
                v, t = json.dumps(v, ensure_ascii=False), str
            if (name := types.get(t)) is None:
                name = types[t] = _TYPES[t]  # KeyError: a type GraphML has no name for
            keys[str(k), name, scope] = None
            out.append(f'{indent}<data key="{_attr(str(k))}">{_text(str(v))}</data>\n')
        return "".join(out)

    try:
        body = [f'<graph edgedefault="directed">{data({"name": graph.graph.get("name", "")}, "graph", "")}']
        for n, d in graph.nodes(data=True):
            body.append(f'<node id="{_attr(str(n))}">\n{data(d, "node", "  ")}</node>\n' if d
                        else f'<node id="{_attr(str(n))}"/>\n')
        for u, v, k, d in graph.edges(keys=True, data=True):
            tag = f'<edge source="{_attr(str(u))}" target="{_attr(str(v))}" id="{_attr(str(k))}"'
            body.append(f"{tag}>\n{data(d, 'edge', '  ')}</edge>\n" if d else f"{tag}/>\n")
    except KeyError:
        return None
    head = [f'<key id="{_attr(n)}" for="{scope}" attr.name="{_attr(n)}" attr.type="{t}"/>\n' for n, t, scope in reversed(keys)]
    text = "".join([_HEAD, *head, *body, "</graph></graphml>"])
    return None if _NOT_XML.search(text) else text


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
