"""The property-graph mapping, derived from :mod:`kg.model`: the one place it is defined.

- every node type is a **label** (``Party``, ``Provision``, ...); a node's ``id`` is unique per label;
- every relation is a **relationship type** (``HAS_INTEREST``, ``SERVES``, ...), from its source label to
  its target label; ``CITES`` goes from any label whose nodes make claims to ``Source``;
- properties are the model's; values are strings except :data:`PROPERTY_TYPES` (integers, booleans,
  lists of strings); absent values are not stored (Neo4j) or null (LadybugDB);
- **evidence lives on relationships**: a relationship that is a claim carries the parallel lists
  ``source_ids`` and ``locators`` (``source_ids[k]`` is cited at ``locators[k]``) and ``uncertain``;
  ``CITES`` carries ``locators`` (every locator of that source) and ``uncertain``.

Labels, relationship types and property names come from here, never from data or from a user,
and :func:`check_label` / :func:`check_rel_type` guard anything that enters query text.

>>> endpoints("SERVES")
(('Provision', 'Interest'),)
>>> ("Position", "Source") in endpoints("CITES")
True
>>> dict(rel_properties("HAS_INTEREST"))["source_ids"]
'STRING[]'
>>> neo4j_constraints()[0]
'CREATE CONSTRAINT negkg_negotiation_id IF NOT EXISTS FOR (n:Negotiation) REQUIRE n.id IS UNIQUE'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from kg import model
from kg.errors import InvalidInput, UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "LABELS",
    "REL_TYPES",
    "PROPERTY_TYPES",
    "CLAIMING_LABELS",
    "node_properties",
    "rel_properties",
    "endpoints",
    "check_label",
    "check_rel_type",
    "neo4j_constraints",
    "neo4j_indexes",
    "ladybug_schema",
    "node_rows",
    "rel_groups",
]

LABELS: tuple[str, ...] = tuple(model.NODE_TYPES)
REL_TYPES: tuple[str, ...] = tuple(model.RELATIONS)

#: property name -> LadybugDB type, where it is not STRING (the same names mean the same on nodes and relationships)
PROPERTY_TYPES: dict[str, str] = {
    "year": "INT64",
    "salience": "INT64",
    "integrative": "BOOL",
    "amount": "DOUBLE",
    **dict.fromkeys(sorted(model.LIST_PROPERTIES), "STRING[]"),
}

#: labels whose nodes may cite sources (CITES): all but sources and vocabulary concepts
CLAIMING_LABELS: tuple[str, ...] = tuple(t for t in LABELS if t not in ("Source", "InterestCategory", "Mechanism"))


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _typed(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for n in dict.fromkeys(names):
        if not _IDENT.fullmatch(n):  # pragma: no cover - the model is fixed
            raise ValueError(f"property {n!r} is not a plain identifier")
        out.append((n, PROPERTY_TYPES.get(n, "STRING")))
    return tuple(out)


@cache
def node_properties(label: str) -> tuple[tuple[str, str], ...]:
    """``(name, type)`` of every property of a label, ``id`` first.

    >>> node_properties("Source")[:2]
    (('id', 'STRING'), ('name', 'STRING'))
    """
    return _typed(model.NODE_TYPES[check_label(label)].properties)


@cache
def rel_properties(rel_type: str) -> tuple[tuple[str, str], ...]:
    """``(name, type)`` of every property of a relationship type.

    >>> [n for n, _ in rel_properties("PARTICIPATED_IN")]
    ['role', 'source_ids', 'locators', 'uncertain']
    """
    return _typed(model.RELATIONS[check_rel_type(rel_type)].properties)


@cache
def endpoints(rel_type: str) -> tuple[tuple[str, str], ...]:
    """The ``(from label, to label)`` pairs a relationship type connects."""
    r = model.RELATIONS[check_rel_type(rel_type)]
    if r.source == "*":
        return tuple((s, r.target) for s in CLAIMING_LABELS)
    return ((r.source, r.target),)


def check_label(name: str) -> str:
    """``name`` if it is a label of the model, else a :class:`UsageError` (nothing else enters query text)."""
    if name not in model.NODE_TYPES:
        raise UsageError(f"unknown label {name!r} (known: {', '.join(LABELS)})")
    return name


def check_rel_type(name: str) -> str:
    """``name`` if it is a relationship type of the model, else a :class:`UsageError`."""
    if name not in model.RELATIONS:
        raise UsageError(f"unknown relationship type {name!r} (known: {', '.join(REL_TYPES)})")
    return name


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def neo4j_constraints() -> list[str]:
    """One uniqueness constraint on ``id`` per label (it also serves as the index used by MERGE)."""
    return [
        f"CREATE CONSTRAINT negkg_{_snake(t)}_id IF NOT EXISTS FOR (n:{t}) REQUIRE n.id IS UNIQUE" for t in LABELS
    ]


def neo4j_indexes() -> list[str]:
    """A range index on ``negotiation`` per case-scoped label (case filters and ``--case`` replacement)."""
    return [
        f"CREATE INDEX negkg_{_snake(t)}_negotiation IF NOT EXISTS FOR (n:{t}) ON (n.negotiation)"
        for t, nt in model.NODE_TYPES.items()
        if "negotiation" in nt.properties
    ]


def ladybug_schema() -> list[str]:
    """LadybugDB DDL: one node table per label (primary key ``id``), one relationship table per type.

    >>> ladybug_schema()[-3]
    'CREATE REL TABLE MEMBER_OF(FROM Party TO Party)'
    """
    out = []
    for t in LABELS:
        cols = ", ".join(f"{n} {ty}" for n, ty in node_properties(t))
        out.append(f"CREATE NODE TABLE {t}({cols}, PRIMARY KEY (id))")
    for r in REL_TYPES:
        parts = [f"FROM {a} TO {b}" for a, b in endpoints(r)]
        parts += [f"{n} {ty}" for n, ty in rel_properties(r)]
        out.append(f"CREATE REL TABLE {r}({', '.join(parts)})")
    return out


def node_rows(g: nx.MultiDiGraph, nodes: Any = None) -> dict[str, list[dict[str, Any]]]:
    """label -> rows (one dict per node: every property of the label, None where absent), labels in model order."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in LABELS}
    for n in g.nodes if nodes is None else nodes:
        d = g.nodes[n]
        t = d["type"]
        if t not in out:
            raise InvalidInput(f"node {n!r} has type {t!r}, which is not a label of kg.model")
        out[t].append({p: d.get(p) for p, _ in node_properties(t)})
    return {t: rows for t, rows in out.items() if rows}


def rel_groups(g: nx.MultiDiGraph, edges: Any = None) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """``(type, from label, to label)`` -> rows ``{"u": from id, "v": to id, "props": {...}}``."""
    out: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for u, v, k in g.edges(keys=True) if edges is None else edges:
        d = g.edges[u, v, k]
        du, dv = g.nodes[u], g.nodes[v]
        if k not in model.RELATIONS or (du["type"], dv["type"]) not in endpoints(k):
            raise InvalidInput(f"edge {u!r} -[{k}]-> {v!r} does not fit the property-graph mapping")
        props = {p: d.get(p) for p, _ in rel_properties(k)}
        out.setdefault((k, du["type"], dv["type"]), []).append({"u": du["id"], "v": dv["id"], "props": props})
    return out


def counts(g: nx.MultiDiGraph) -> tuple[int, int]:
    """``(nodes, relationships)`` of a graph."""
    return g.number_of_nodes(), g.number_of_edges()


def batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive slices of at most ``size`` rows.

    >>> [len(b) for b in batches(list(range(5)), 2)]
    [2, 2, 1]
    """
    for i in range(0, len(rows), max(1, size)):
        yield rows[i : i + max(1, size)]
