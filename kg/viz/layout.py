"""A precomputed layout for large graphs: one cluster per negotiation, shared nodes between them.

networkx's force-directed layouts need numpy, which this package does not depend on, so large
pages use this linear-time structural layout instead and switch physics off. Each negotiation's
own nodes sit on rings around it (issues, interests, positions, agreements, provisions, from the
inside out), the clusters on a grid; parties, sources and vocabulary concepts sit at the
centre of the nodes they link to, so a party of several negotiations lies between them.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("Negotiation:n", type="Negotiation", id="n")
>>> g.add_node("Issue:n/i", type="Issue", id="n/i", negotiation="n")
>>> g.add_node("Party:p", type="Party", id="p")
>>> _ = g.add_edge("Party:p", "Negotiation:n", key="PARTICIPATED_IN")
>>> pos = clustered(g)
>>> sorted(pos) == sorted(g) and pos["Negotiation:n"] == (0.0, 0.0)
True
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["clustered"]

RINGS = ("Issue", "Interest", "Position", "Agreement", "Provision")
SPACING = 60.0  # distance between neighbouring nodes on a ring and between rings


def _rings(members: list[str], types: dict[str, str]) -> list[tuple[str, float, float]]:
    """Positions of a cluster's nodes relative to its centre."""
    out: list[tuple[str, float, float]] = []
    radius = 0.0
    for t in RINGS:
        ring = [m for m in members if types[m] == t]
        while ring:
            radius += SPACING
            cap = max(1, int(2 * math.pi * radius / SPACING))
            chunk, ring = ring[:cap], ring[cap:]
            for j, m in enumerate(chunk):
                a = 2 * math.pi * j / len(chunk) + radius / 97.0  # offset each ring a little
                out.append((m, radius * math.cos(a), radius * math.sin(a)))
    return out


def clustered(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions (x, y) of every node of ``g``; deterministic for a given graph."""
    types = {n: d["type"] for n, d in g.nodes(data=True)}
    clusters: dict[str, list[str]] = {}
    loose: list[str] = []
    for n, d in sorted(g.nodes(data=True)):
        case = d.get("negotiation") or (d["id"] if d["type"] == "Negotiation" else None)
        if case is None:
            loose.append(n)
        else:
            clusters.setdefault(case, []).append(n)
    laid = {c: _rings([m for m in ms if types[m] != "Negotiation"], types) for c, ms in clusters.items()}
    extent = max((max(math.hypot(x, y) for _, x, y in rel) for rel in laid.values() if rel), default=0.0)
    cell = 2 * extent + 6 * SPACING
    cols = max(1, math.ceil(math.sqrt(len(clusters))))
    pos: dict[str, tuple[float, float]] = {}
    for i, (c, ms) in enumerate(sorted(clusters.items())):
        cx, cy = (i % cols) * cell, (i // cols) * cell
        for m in ms:
            if types[m] == "Negotiation":
                pos[m] = (float(cx), float(cy))
        for m, x, y in laid[c]:
            pos[m] = (cx + x, cy + y)
    # shared nodes: parties first (they link negotiations), then the rest, each at its neighbours' centroid
    order = sorted(loose, key=lambda n: (types[n] != "Party", n))
    for k, n in enumerate(order):
        near = [pos[x] for x in (*g.successors(n), *g.predecessors(n)) if x in pos]
        if near:
            x = sum(p[0] for p in near) / len(near)
            y = sum(p[1] for p in near) / len(near)
        else:  # isolated: around the middle of the grid
            x, y = (cols - 1) * cell / 2, (math.ceil(len(clusters) / cols) - 1) * cell / 2
        a = k * 2.399963  # golden angle: spread nodes that share a centroid
        r = SPACING * 0.5 * math.sqrt(k % 50 + 1)
        pos[n] = (x + r * math.cos(a), y + r * math.sin(a))
    return pos
