"""Cypher script sink: idempotent MERGE statements for ``cypher-shell -f graph.cypher``.

No parameters: every value is written as a Cypher literal, escaped by Cypher's rules (strings
in single quotes with backslash escapes; control characters as ``\\uXXXX``), so the script
can be run as it is. Labels and relationship types are checked against :mod:`kg.model`;
property names must be plain identifiers and are back-quoted anyway. Each statement is one
line ending in ``;`` (newlines inside values are escaped), which :func:`statements` relies on,
and merges up to :data:`BATCH` nodes or relationships of one label or type, given as a literal
list (``UNWIND [...] AS row MERGE ...``): few distinct statements to plan, so the script runs fast.

After the constraints, the data statements run in one transaction (cypher-shell's ``:begin`` and
``:commit``), which is many times faster than one transaction per statement.

The graph maps to Neo4j as the Cypher engine expects: one label per node (its type), an
``id`` property unique per label (a constraint is created for each), relationships typed by
their relation; ``type`` and ``rel`` are not stored as properties.

>>> print(literal("O'Brien \\\\o/\\n<tab>\\t"))
'O\\'Brien \\\\o/\\n<tab>\\t'
>>> literal(["a", 3, True, None])
"['a', 3, true, null]"
>>> print(node_statement("Party", [("alpha", {"name": "Alphaland"})]))
UNWIND [{id: 'alpha', props: {`name`: 'Alphaland'}}] AS row MERGE (n:Party {id: row.id}) SET n += row.props;
"""

from __future__ import annotations

import math
import os
import re
from typing import TYPE_CHECKING, Any

from kg import model
from kg.errors import InvalidInput
from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "cypher"
BATCH = 100  # rows per statement
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_SPECIAL = re.compile(r"[\\'\x00-\x1f\x7f\x85\u2028\u2029]")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _escape_char(m: re.Match[str]) -> str:
    c = m.group(0)
    return _ESCAPES.get(c, f"\\u{ord(c):04x}")


def literal(v: Any) -> str:
    """A Cypher literal for a string, number, boolean, null or list of those."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise InvalidInput(f"cannot write the number {v!r} as a Cypher literal")
        return repr(v)
    if isinstance(v, str):
        return "'" + _SPECIAL.sub(_escape_char, v) + "'"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    raise InvalidInput(f"cannot write a {type(v).__name__} as a Cypher literal")


def _name(name: str, kind: str, known: Any = None) -> str:
    if known is not None and name not in known:
        raise InvalidInput(f"{kind} {name!r} is not in kg.model")
    if not _IDENT.fullmatch(name):
        raise InvalidInput(f"{kind} {name!r} is not a plain identifier")
    return name


def _map(props: dict[str, Any]) -> str:
    return "{" + ", ".join(f"`{_name(k, 'property')}`: {literal(v)}" for k, v in props.items()) + "}"


def node_statement(label: str, rows: list[tuple[str, dict[str, Any]]]) -> str:
    """``MERGE`` nodes of one label by id, then set their other properties: ``rows`` are (id, properties)."""
    data = ", ".join(f"{{id: {literal(i)}, props: {_map(p)}}}" for i, p in rows)
    return f"UNWIND [{data}] AS row MERGE (n:{_name(label, 'label', model.NODE_TYPES)} {{id: row.id}}) SET n += row.props;"


def edge_statement(rel: str, la: str, lb: str, rows: list[tuple[str, str, dict[str, Any]]]) -> str:
    """``MERGE`` relationships of one type between nodes of two labels: ``rows`` are (from id, to id, properties)."""
    la, lb = (_name(x, "label", model.NODE_TYPES) for x in (la, lb))
    data = ", ".join(f"{{a: {literal(a)}, b: {literal(b)}, props: {_map(p)}}}" for a, b, p in rows)
    return (
        f"UNWIND [{data}] AS row MATCH (a:{la} {{id: row.a}}) MATCH (b:{lb} {{id: row.b}}) "
        f"MERGE (a)-[r:{_name(rel, 'relationship type', model.RELATIONS)}]->(b) SET r += row.props;"
    )


def _chunks(rows: list[Any], size: int = BATCH) -> list[list[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def dumps(graph: nx.MultiDiGraph) -> str:
    """The script: constraints, then MERGE statements for the nodes (by label) and relationships (by type)."""
    from kg.cypher.mapping import neo4j_constraints

    lines = [
        "// negotiation-kg: a Cypher script of idempotent MERGE statements, one per line.",
        f"// {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships.",
        "// Run: cypher-shell -a bolt://localhost:7687 -u neo4j -f graph.cypher",
    ]
    lines += [c + ";" for c in neo4j_constraints()]  # the same constraints as `negkg load-neo4j`
    lines.append(":begin")  # cypher-shell: the data in one transaction (schema changes cannot share it)
    nodes: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for _, d in graph.nodes(data=True):
        nodes.setdefault(d["type"], []).append((d["id"], {k: v for k, v in d.items() if k not in ("type", "id")}))
    for label, rows in sorted(nodes.items()):
        lines += [node_statement(label, chunk) for chunk in _chunks(rows)]
    edges: dict[tuple[str, str, str], list[tuple[str, str, dict[str, Any]]]] = {}
    for u, v, k, d in graph.edges(keys=True, data=True):
        du, dv = graph.nodes[u], graph.nodes[v]
        edges.setdefault((k, du["type"], dv["type"]), []).append((du["id"], dv["id"], {a: x for a, x in d.items() if a != "rel"}))
    for (rel, la, lb), rows in sorted(edges.items()):
        lines += [edge_statement(rel, la, lb, chunk) for chunk in _chunks(rows)]
    lines.append(":commit")
    return "\n".join(lines) + "\n"


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write the Cypher script of ``graph``."""
    atomic_write(path, dumps(graph))


def statements(text: str) -> list[str]:
    """The statements of a script written by :func:`dumps` (for running it with a driver), without ``;``,
    comments, and the cypher-shell commands ``:begin`` and ``:commit``.

    >>> statements("// c\\n:begin\\nMERGE (n:Party {id: 'a;b'});\\n:commit\\n")
    ["MERGE (n:Party {id: 'a;b'})"]
    """
    return [
        line.rstrip().removesuffix(";")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith(("//", ":"))
    ]
