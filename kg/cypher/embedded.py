"""The embedded Cypher engine: the graph loaded into LadybugDB (the maintained fork of Kuzu), no server.

The schema and the rows come from :mod:`kg.cypher.mapping` (one node table per label with primary
key ``id``, one relationship table per type). The database is written once per graph object into
a temporary directory by batched ``COPY ... FROM (UNWIND $rows ...)`` statements, then reopened
**read-only**: the engine itself refuses any write, on top of :func:`kg.cypher.readonly.check`.
Databases are cached per graph object (and rebuilt if the graph's size changes); the directory
is removed when the graph is garbage-collected or the process exits.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.cypher import mapping
from kg.errors import UsageError

if TYPE_CHECKING:
    import ladybug
    import networkx as nx

__all__ = ["Embedded", "database", "load", "BATCH_SIZE"]

BATCH_SIZE = 5000
_MAX_REWRITES = 20
_MISSING_PROPERTY = re.compile(r"Cannot find property (\w+) for (\w+)\b")
_PREFIX = "p_"  # parameters are renamed $case -> $p_case: LadybugDB cannot parse keywords as parameter names


class Embedded:
    """A read-only LadybugDB database holding one graph."""

    def __init__(self, path: Path, tmpdir: Path | None = None):
        import ladybug

        self.path = path
        self.db = ladybug.Database(str(path), read_only=True)
        self.conn = ladybug.Connection(self.db)
        self._ids: dict[tuple[int, int], str] | None = None
        self._finalizer = weakref.finalize(self, _close, self.conn, self.db, tmpdir)

    def query(self, text: str, params: dict[str, Any] | None = None,
              max_rows: int | None = None) -> tuple[list[str], list[dict[str, Any]]]:
        """Run one read-only statement with driver parameters; return its columns and rows (at most ``max_rows``).

        Values have the shape of :func:`_plain`. A property that no table of a variable has is read as null,
        as Neo4j reads it (the statement is run again with that property replaced by ``NULL``).
        """
        from kg.cypher.readonly import null_property, rename_parameters

        text = rename_parameters(text, _PREFIX)
        args = {_PREFIX + k: v for k, v in (params or {}).items()}
        for _ in range(_MAX_REWRITES):
            try:
                res = self.conn.execute(text, args)
                break
            except RuntimeError as e:
                missing = _MISSING_PROPERTY.search(str(e))
                if missing is None:
                    raise UsageError(f"Cypher (embedded): {_first_line(e)}") from None
                text = null_property(text, missing.group(2), missing.group(1))
        else:
            raise UsageError("Cypher (embedded): too many properties unknown to the schema")
        if isinstance(res, list):  # several statements: refused earlier; be safe
            raise UsageError("refused: give one statement at a time")
        cols = res.get_column_names()
        raw = []
        while res.has_next() and (max_rows is None or len(raw) < max_rows):
            raw.append(res.get_next())
        res.close()
        return cols, [{c: _plain(v, self.node_id) for c, v in zip(cols, r, strict=True)} for r in raw]

    def node_id(self, internal: dict[str, int]) -> str | None:
        """The ``id`` property of the node with this internal id (``{"table": t, "offset": o}``)."""
        if self._ids is None:
            res = self.conn.execute("MATCH (n) RETURN id(n), n.id")
            ids = {}
            while res.has_next():
                i, v = res.get_next()
                ids[(i["table"], i["offset"])] = v
            res.close()
            self._ids = ids
        return self._ids.get((internal["table"], internal["offset"]))

    def close(self) -> None:
        self._finalizer()


def _plain(v: Any, node_id: Callable[[dict[str, int]], str | None]) -> Any:
    """A LadybugDB value in the engine-independent shape (the same as :func:`kg.cypher.neo4jdb._plain`):
    a node ``{id, labels, properties}``, a relationship ``{type, start, end, properties}`` (``start`` and
    ``end`` the ids of its nodes), a path the alternating list of nodes and relationships; internal ids
    are dropped and absent (null) properties left out.

    >>> _plain({"_ID": {"offset": 0, "table": 1}, "_LABEL": "Party", "id": "a", "wikidata": None}, None)
    {'id': 'a', 'labels': ['Party'], 'properties': {'id': 'a'}}
    >>> _plain({"_SRC": {"offset": 0, "table": 1}, "_DST": {"offset": 1, "table": 1}, "_ID": {"offset": 0, "table": 2},
    ...         "_LABEL": "KNOWS", "since": 1990}, lambda i: "ab"[i["offset"]])
    {'type': 'KNOWS', 'start': 'a', 'end': 'b', 'properties': {'since': 1990}}
    """
    if isinstance(v, dict) and "_NODES" in v and "_RELS" in v:
        nodes = [_plain(n, node_id) for n in v["_NODES"]]
        rels = [_plain(r, node_id) for r in v["_RELS"]]
        if len(nodes) != len(rels) + 1:  # a variable-length relationship: Neo4j gives its list of relationships
            return rels
        return [nodes[0], *(x for pair in zip(rels, nodes[1:], strict=True) for x in pair)]
    if isinstance(v, dict) and "_LABEL" in v and "_ID" in v:
        props = {k: _plain(x, node_id) for k, x in v.items() if not k.startswith("_") and x is not None}
        if "_SRC" in v:
            return {"type": v["_LABEL"], "start": node_id(v["_SRC"]), "end": node_id(v["_DST"]), "properties": props}
        return {"id": props.get("id"), "labels": [v["_LABEL"]], "properties": props}
    if isinstance(v, dict):
        return {k: _plain(x, node_id) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x, node_id) for x in v]
    return v


def _close(conn: Any, db: Any, tmpdir: Path | None) -> None:
    try:
        conn.close()
        db.close()
    finally:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def _copy(db: ladybug.Database, stmt: str, rows: list[dict[str, Any]]) -> None:
    import ladybug

    # A fresh connection per batch: ladybug 0.22 caches the prepared statement per connection, and
    # executing a cached COPY a second time crashes the process.
    conn = ladybug.Connection(db)
    try:
        conn.execute(stmt, {"rows": rows})
    finally:
        conn.close()


def load(db: ladybug.Database, g: nx.MultiDiGraph, batch_size: int = BATCH_SIZE) -> int:
    """Create the schema and bulk-load every node and relationship of ``g``; return how many were loaded.

    Each batch is one ``COPY table FROM (UNWIND $rows AS r RETURN ...)``: the rows travel as one
    parameter and are copied in bulk (measured about twice as fast as ``UNWIND ... CREATE``).
    """
    import ladybug

    conn = ladybug.Connection(db)
    try:
        for ddl in mapping.ladybug_schema():
            conn.execute(ddl)
    finally:
        conn.close()
    n = 0
    for label, rows in mapping.node_rows(g).items():
        cols = ", ".join(f"CAST(r.{p} AS {t})" for p, t in mapping.node_properties(label))
        stmt = f"COPY {label} FROM (UNWIND $rows AS r RETURN {cols})"
        for batch in mapping.batches(rows, batch_size):
            _copy(db, stmt, batch)
            n += len(batch)
    for (rel, a, b), rows in mapping.rel_groups(g).items():
        cols = ", ".join(["r.from_id", "r.to_id", *(f"CAST(r.{p} AS {t})" for p, t in mapping.rel_properties(rel))])
        pair = f" (from='{a}', to='{b}')" if len(mapping.endpoints(rel)) > 1 else ""
        stmt = f"COPY {rel} FROM (UNWIND $rows AS r RETURN {cols}){pair}"
        flat = [{"from_id": r["u"], "to_id": r["v"], **r["props"]} for r in rows]
        for batch in mapping.batches(flat, batch_size):
            _copy(db, stmt, batch)
            n += len(batch)
    return n


_CACHE: weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], Embedded]] = weakref.WeakKeyDictionary()


def build(g: nx.MultiDiGraph, directory: Path | None = None, batch_size: int = BATCH_SIZE) -> Embedded:
    """Write ``g`` into a new database (in ``directory``, else a temporary one) and open it read-only."""
    import ladybug

    tmpdir = None
    if directory is None:
        tmpdir = Path(tempfile.mkdtemp(prefix="negkg-ladybug-"))
        directory = tmpdir
    path = Path(directory) / "graph.lbug"
    try:
        db = ladybug.Database(str(path))
        try:
            load(db, g, batch_size)
        finally:
            db.close()
        return Embedded(path, tmpdir)
    except BaseException:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
        raise


def _edge_count(g: nx.MultiDiGraph) -> int:
    """``g.number_of_edges()``, ~6x faster on a plain MultiDiGraph (networkx walks its degree view): runs per query."""
    if type(g._adj) is dict and g.is_multigraph() and g.is_directed():
        from itertools import chain

        return sum(map(len, chain.from_iterable(map(dict.values, g._adj.values()))))
    return g.number_of_edges()


def database(g: nx.MultiDiGraph) -> Embedded:
    """The cached read-only database of a graph object (built on first use)."""
    size = (g.number_of_nodes(), _edge_count(g))
    hit = _CACHE.get(g)
    if hit is not None and hit[0] == size:
        return hit[1]
    if hit is not None:
        hit[1].close()
    emb = build(g)
    _CACHE[g] = (size, emb)
    return emb
