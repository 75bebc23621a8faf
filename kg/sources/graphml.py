"""GraphML source: reads what :mod:`kg.sinks.graphml` and :mod:`kg.sinks.yed` write, with plain networkx
(``nx.read_graphml(path, force_multigraph=True)``), and turns the JSON-array attributes back into lists.
yEd's drawing data (labels, geometry, shapes) is left out."""

from __future__ import annotations

import json
from pathlib import Path

from kg.errors import InvalidInput, Problem
from kg.sources import Parsed, text_of
from kg.sources._xml import scan


def read(path: Path, name: str, fmt: str = "graphml") -> Parsed:
    """Read a GraphML file into a MultiDiGraph; problems located by line and node or edge id."""
    import networkx as nx

    from kg.sinks.graphml import LISTS

    raw = text_of(path, name)
    found = scan(raw, name)
    try:
        g = nx.read_graphml(path, force_multigraph=True)
    except (nx.NetworkXError, ValueError, KeyError, TypeError) as e:
        raise InvalidInput([Problem(name, 0, "", f"not a GraphML graph networkx can read: {e}")]) from None
    for key in ("node_default", "edge_default"):
        if not g.graph.get(key):
            g.graph.pop(key, None)

    def locate(element: tuple[str, ...]) -> tuple[int, str]:
        if element[0] == "node":
            return found.nodes.get(element[1], 0), f"node[{element[1]}]"
        u, v, k = element[1:]
        return found.edges.get((u, v, k), 0), f"edge[{u} {k} {v}]"

    problems = []
    lists = found.json_keys | LISTS
    for element, d in [*((("node", n), d) for n, d in g.nodes(data=True)),
                       *((("edge", u, v, k), d) for u, v, k, d in g.edges(keys=True, data=True))]:
        for k, v in list(d.items()):
            if k in lists and isinstance(v, str):
                try:
                    d[k] = json.loads(v)
                except json.JSONDecodeError as e:
                    line, desc = locate(element)
                    problems.append(Problem(name, line, f"{desc}.{k}", f"not a JSON array: {e.msg}"))
                    continue
                if not isinstance(d[k], list):
                    line, desc = locate(element)
                    problems.append(Problem(name, line, f"{desc}.{k}", "not a JSON array"))
    if problems:
        raise InvalidInput(problems)
    return Parsed(g, locate)
