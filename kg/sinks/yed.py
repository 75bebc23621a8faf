"""GraphML for yEd: the GraphML of :mod:`kg.sinks.graphml` plus yEd's own drawing data (yFiles
``ShapeNode`` and ``PolyLineEdge``): each node's label, fill colour, shape and position (the
gallery's colours and clustered layout), each edge's colour and arrow. yEd opens it laid out
and styled; every data attribute is still there. networkx reads it too, and adds yEd's
``label``, ``x``, ``y`` and ``shape_type`` to the nodes (``negkg import`` leaves them out).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("Party:a", type="Party", id="a", name="A & B")
>>> text = dumps(g)
>>> "<y:NodeLabel>A &amp; B</y:NodeLabel>" in text and 'yfiles.type="nodegraphics"' in text
True
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "graphml"
NS_Y = "http://www.yworks.com/xml/graphml"
#: gallery shape -> yEd shape
_SHAPES = {"star": "octagon", "dot": "ellipse", "triangle": "triangle", "square": "rectangle", "ellipse": "ellipse",
           "hexagon": "hexagon", "box": "roundrectangle", "triangleDown": "triangle", "diamond": "diamond"}


def dumps(graph: nx.MultiDiGraph) -> str:
    """GraphML text with yEd graphics (deterministic)."""
    from xml.etree.ElementTree import Element, SubElement

    from kg.sinks.graphml import writer
    from kg.viz.layout import clustered
    from kg.viz.style import EDGE_COLOR, NODE_STYLE

    w = writer(graph)
    root = w.xml
    root.set("xmlns:y", NS_Y)
    root.insert(0, Element("key", {"id": "eg", "for": "edge", "yfiles.type": "edgegraphics"}))
    root.insert(0, Element("key", {"id": "ng", "for": "node", "yfiles.type": "nodegraphics"}))
    pos = clustered(graph)
    for el in root.iter("node"):
        n = el.get("id", "")
        d = graph.nodes[n]
        style = NODE_STYLE.get(d.get("type", ""))
        size = style.size if style else 12
        wdt, hgt = (size * 6, size * 2) if d.get("type") == "Provision" else (size * 2, size * 2)
        shape = SubElement(SubElement(el, "data", key="ng"), "y:ShapeNode")
        x, y = pos[n]
        SubElement(shape, "y:Geometry", x=f"{x - wdt / 2:.1f}", y=f"{y - hgt / 2:.1f}", width=f"{wdt:.1f}", height=f"{hgt:.1f}")
        SubElement(shape, "y:Fill", color=(style.color if style else "#999999").upper(), transparent="false")
        SubElement(shape, "y:BorderStyle", color="#333333", type="line", width="1.0")
        SubElement(shape, "y:NodeLabel").text = str(d.get("name") or d.get("id") or n)
        SubElement(shape, "y:Shape", type=_SHAPES.get(style.shape if style else "", "ellipse"))
    for el in root.iter("edge"):
        line = SubElement(SubElement(el, "data", key="eg"), "y:PolyLineEdge")
        SubElement(line, "y:LineStyle", color=EDGE_COLOR.get(el.get("id", ""), "#BBBBBB").upper(), type="line", width="1.0")
        SubElement(line, "y:Arrows", source="none", target="standard")
    return "<?xml version='1.0' encoding='utf-8'?>\n" + str(w) + "\n"


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as GraphML with yEd graphics, atomically."""
    atomic_write(path, dumps(graph))
