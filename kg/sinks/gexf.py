"""GEXF 1.2 sink, for Gephi (written and read by networkx).

GEXF node ids are the canonical keys (``Party:egypt``) and node labels the names, so Gephi
shows readable labels. Every node carries GEXF's visual attributes (``viz:color``, ``viz:size``,
``viz:position``): the colour and size of its type in the gallery (:mod:`kg.viz.style`) and a
position from the gallery's clustered layout (:func:`kg.viz.layout.clustered`), so the file opens
laid out and coloured; edges carry their relation's colour. networkx's GEXF writer gives some
attribute names a meaning of its own (``id`` and ``label`` on nodes; ``id``, ``label``, ``type``
and ``weight`` on edges) and takes list values for dynamic data, so the entity id is stored as
``kg_id``, the edge key as the edge label, and list attributes (``source_ids``, ``locators``,
``authors``) as JSON arrays in strings. :func:`read` undoes all of this and gives back the
canonical graph; plain ``nx.read_gexf`` gives the ``viz`` data as a node attribute.
"""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any

from kg import model
from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "gexf"
_LISTS = model.LIST_PROPERTIES


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in d.items()}


def _unflat(d: dict[str, Any]) -> dict[str, Any]:
    return {k: json.loads(v) if k in _LISTS else v for k, v in d.items()}


def rgb(colour: str) -> dict[str, int]:
    """``"#1f78b4"`` -> ``{"r": 31, "g": 120, "b": 180}``."""
    return {c: int(colour[i : i + 2], 16) for c, i in (("r", 1), ("g", 3), ("b", 5))}


def viz(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Node key -> GEXF viz data (colour and size of its type, position from the clustered layout)."""
    from kg.viz.layout import clustered
    from kg.viz.style import NODE_STYLE

    pos = clustered(graph)
    out = {}
    for n, d in graph.nodes(data=True):
        style = NODE_STYLE.get(d.get("type", ""))
        x, y = pos[n]
        out[n] = {
            "color": rgb(style.color if style else "#999999") | {"a": 1.0},
            "size": float(style.size if style else 10),
            "position": {"x": round(x, 1), "y": round(-y, 1), "z": 0.0},  # GEXF's y axis points up
        }
    return out


def to_gexf_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes networkx writes to GEXF without loss, with viz data."""
    import networkx as nx

    from kg.viz.style import EDGE_COLOR

    g = nx.MultiDiGraph()
    drawn = viz(graph)
    for n, d in graph.nodes(data=True):
        attrs = _flat({k: v for k, v in d.items() if k != "id"})
        g.add_node(n, id=n, label=str(d.get("name", d.get("id", n))), kg_id=d.get("id"), viz=drawn[n], **attrs)
    for u, v, k, d in graph.edges(keys=True, data=True):
        colour = rgb(EDGE_COLOR.get(k, "#bbbbbb")) | {"a": 1.0}
        g.add_edge(u, v, key=k, id=f"{u} {k} {v}", label=k, viz={"color": colour}, **_flat(d))
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
    """Read a GEXF file written by :func:`write` back into the canonical form (the viz data left out)."""
    import networkx as nx

    raw = nx.read_gexf(path, node_type=None, relabel=False)
    g = nx.MultiDiGraph()
    for n, d in raw.nodes(data=True):
        attrs = {k: v for k, v in d.items() if k not in ("label", "kg_id", "viz")}
        g.add_node(n, **{"type": attrs.pop("type"), "id": d["kg_id"], **_unflat(attrs)})
    # networkx reads a file without parallel edges as a DiGraph and drops the key: the label has it
    for u, v, d in raw.edges(data=True):
        g.add_edge(u, v, key=d["label"], **_unflat({a: x for a, x in d.items() if a not in ("id", "label", "viz")}))
    return g
