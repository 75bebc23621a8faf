"""Layouts computed in Python: the layered order shared by the pages, kg.network and the report figure,
and a structural layout for large graphs.

**Layered** (:func:`layered`, :func:`lanes`): one column per node type, read left to right (parties,
positions, interests, provisions, agreements, then the context types); within a column nodes are
ordered by the mean row of their neighbours in the columns before (the barycenter heuristic of
layered graph drawing), which keeps most edges short and uncrossed. The report figure
(:mod:`kg.report.figure`) draws this order as SVG; the pages and :func:`kg.network` draw it with
vis-network, whose script (``templates/layered.js``) turns columns and ranks into coordinates from
the measured size of each label, so filters can lay the remaining nodes out again.

**Clustered** (:func:`clustered`): networkx's force-directed layouts need numpy, which this
package does not depend on, so large pages in the force view use this linear-time structural
layout instead and switch physics off. Each negotiation's own nodes sit on rings around it
(issues, interests, positions, agreements, provisions, from the inside out), the clusters on a
grid; parties, sources and vocabulary concepts sit at the centre of the nodes they link to.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("Negotiation:n", type="Negotiation", id="n")
>>> g.add_node("Issue:n/i", type="Issue", id="n/i", negotiation="n")
>>> g.add_node("Party:p", type="Party", id="p")
>>> _ = g.add_edge("Party:p", "Negotiation:n", key="PARTICIPATED_IN")
>>> pos = clustered(g)
>>> sorted(pos) == sorted(g) and pos["Negotiation:n"] == (0.0, 0.0)
True
>>> layered(g, ("Party", "Negotiation"))
{'Party:p': (0, 0), 'Negotiation:n': (1, 0)}
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["clustered", "layered", "barycentre_order", "lanes", "Slot", "LANE_COLUMNS", "SHARED_PARTY_COLUMN"]

#: columns of the layered view, left to right (index = column); parties of several negotiations get
#: column 0 on pages grouped by negotiation, the rest of the parties column 2
LANE_COLUMNS = ("Party", "Negotiation", "Party", "Position", "Interest", "Provision", "Agreement", "Issue", "Mechanism",
                "InterestCategory", "Source")
SHARED_PARTY_COLUMN = 0
_COLUMN_OF = {t: i for i, t in enumerate(LANE_COLUMNS) if i != SHARED_PARTY_COLUMN}


def barycentre_order(g: nx.MultiDiGraph, nodes: Iterable[str], placed: Mapping[str, float]) -> list[str]:
    """``nodes`` sorted by the mean row of their neighbours in ``placed`` (nodes with none last), then by name.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([("a", "x"), ("b", "y")]); g.add_node("z")
    >>> barycentre_order(g, ["x", "y", "z"], {"a": 1, "b": 0})
    ['y', 'x', 'z']
    """
    def bary(n: str) -> float:
        rows = [placed[m] for m in (*g.predecessors(n), *g.successors(n)) if m in placed]
        return sum(rows) / len(rows) if rows else math.inf

    nodes = list(nodes)
    name = {n: str(g.nodes[n].get("name", n)).lower() for n in nodes}
    return sorted(nodes, key=lambda n: (bary(n), name[n], n))


def layered(g: nx.MultiDiGraph, columns: Sequence[str], nodes: Collection[str] | None = None) -> dict[str, tuple[int, int]]:
    """Node key -> (column, row): one column per node type of ``columns``, rows by :func:`barycentre_order`
    against the columns before. Only ``nodes`` (default: all) are placed; types not in ``columns`` are left out."""
    keep = set(g) if nodes is None else set(nodes)
    pos: dict[str, tuple[int, int]] = {}
    rows: dict[str, float] = {}
    for c, t in enumerate(columns):
        col = sorted(n for n in keep if g.nodes[n]["type"] == t)
        for r, n in enumerate(barycentre_order(g, col, rows)):
            pos[n] = (c, r)
        rows.update((n, float(pos[n][1])) for n in col)
    return pos


@dataclass(frozen=True)
class Slot:
    """Where a node goes in the layered view: column, lane (a negotiation's band; -1: between lanes) and
    rank (order within its lane and column). The page script turns slots into coordinates."""

    col: int
    lane: int
    rank: int


def _lane_of(g: nx.MultiDiGraph, n: str) -> str | None:
    d = g.nodes[n]
    return d["id"] if d["type"] == "Negotiation" else d.get("negotiation")


def lanes(g: nx.MultiDiGraph, nodes: Collection[str] | None = None) -> tuple[list[str], dict[str, Slot]]:
    """The layered slots of ``nodes`` (default: all) of ``g``, and the negotiation id of each lane.

    With one negotiation (or none) everything is one lane, layered over :data:`LANE_COLUMNS`. With several,
    each negotiation's own nodes form a lane (lanes in date order), and so does a party linked to that
    negotiation only; the other parties (column 0) and the vocabulary and source nodes lie between lanes,
    ordered by the rows of their neighbours.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for n in ("a", "b"):
    ...     g.add_node(f"Negotiation:{n}", type="Negotiation", id=n)
    ...     g.add_node(f"Interest:{n}/i", type="Interest", id=f"{n}/i", negotiation=n)
    >>> g.add_node("Party:p", type="Party", id="p"); g.add_node("Party:q", type="Party", id="q")
    >>> for u, v in [("p", "a/i"), ("p", "b/i"), ("q", "b/i")]:
    ...     _ = g.add_edge(f"Party:{u}", f"Interest:{v}", key="HAS_INTEREST")
    >>> names, slots = lanes(g)
    >>> names, slots["Party:p"], slots["Party:q"], slots["Interest:b/i"]
    (['a', 'b'], Slot(col=0, lane=-1, rank=0), Slot(col=2, lane=1, rank=0), Slot(col=4, lane=1, rank=0))
    """
    keep = set(g) if nodes is None else set(nodes)
    cases = {c for n in keep if (c := _lane_of(g, n))}
    if len(cases) <= 1:
        pos = layered(g, LANE_COLUMNS[1:], keep)
        return sorted(cases), {n: Slot(c + 1, 0, r) for n, (c, r) in pos.items()}

    def start(c: str) -> tuple[str, str]:
        d = g.nodes.get(f"Negotiation:{c}", {})
        return str(d.get("start_date", "")), c

    names = sorted(cases, key=start)
    members: dict[str, set[str]] = {c: set() for c in names}
    shared: list[str] = []
    for n in sorted(keep):
        c = _lane_of(g, n)
        if c is None and g.nodes[n]["type"] == "Party":
            near = {_lane_of(g, m) for m in (*g.predecessors(n), *g.successors(n)) if m in keep}
            c = near.pop() if len(near) == 1 else None
        if c is None:
            shared.append(n)
        else:
            members[c].add(n)
    slots: dict[str, Slot] = {}
    rows: dict[str, float] = {}  # rows counted across lanes, for ordering the shared nodes
    offset = 0.0
    for i, c in enumerate(names):
        pos = layered(g, LANE_COLUMNS[1:], members[c])
        for n, (col, r) in pos.items():
            slots[n] = Slot(col + 1, i, r)
            rows[n] = offset + r
        offset += max((r for _, r in pos.values()), default=0) + 2
    for t, col in (("Party", SHARED_PARTY_COLUMN), *_COLUMN_OF.items()):
        ours = [n for n in shared if g.nodes[n]["type"] == t and n not in slots]
        for r, n in enumerate(barycentre_order(g, ours, rows)):
            slots[n] = Slot(col, -1, r)
    return names, slots


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
