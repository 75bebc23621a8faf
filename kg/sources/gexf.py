"""GEXF source: reads what :mod:`kg.sinks.gexf` writes (networkx's reader, the renames undone, the viz data left out)."""

from __future__ import annotations

import json
from pathlib import Path

from kg.errors import InvalidInput, Problem
from kg.sources import Parsed, text_of
from kg.sources._xml import scan


def read(path: Path, name: str, fmt: str = "gexf") -> Parsed:
    """Read a GEXF file into a MultiDiGraph; problems located by line and node or edge."""
    import networkx as nx

    from kg.sinks import gexf

    found = scan(text_of(path, name), name, edge_key="label")
    try:
        g = gexf.read(path)
    except (nx.NetworkXError, ValueError, KeyError, TypeError, json.JSONDecodeError) as e:
        detail = f"missing {e}" if isinstance(e, KeyError) else str(e)
        raise InvalidInput([Problem(name, 0, "", f"not a GEXF file written by negkg export ({detail})")]) from None

    def locate(element: tuple[str, ...]) -> tuple[int, str]:
        if element[0] == "node":
            return found.nodes.get(element[1], 0), f"node[{element[1]}]"
        u, v, k = element[1:]
        return found.edges.get((u, v, k), 0), f"edge[{u} {k} {v}]"

    return Parsed(g, locate)
