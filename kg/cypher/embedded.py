"""The embedded Cypher engine: the graph loaded into LadybugDB (the maintained fork of Kuzu), no server.

The schema and the rows come from :mod:`kg.cypher.mapping` (one node table per label with primary
key ``id``, one relationship table per type). The database is written once per graph object into
a temporary directory by batched ``COPY ... FROM (UNWIND $rows ...)`` statements, then reopened
**read-only**: the engine itself refuses any write, on top of :func:`kg.cypher.readonly.check`.
Databases are cached per graph object (and rebuilt when its structure changes, :func:`kg.cache.version`);
the directory is removed when the graph is garbage-collected or the process exits. The command line reads
them from the on-disk cache instead (:mod:`kg.cache`).
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import model
from kg.cypher import mapping
from kg.errors import InvalidInput, UsageError

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


def _copy(db: ladybug.Database, stmt: str, rows: list[dict[str, Any]] | None = None) -> None:
    import ladybug

    # A fresh connection per statement: ladybug 0.22 caches the prepared statement per connection, and
    # executing a cached COPY a second time crashes the process.
    conn = ladybug.Connection(db)
    try:
        conn.execute(stmt, {"rows": rows} if rows is not None else {})
    finally:
        conn.close()


_SEP = "\ue000"  # joins a list's items in a CSV cell (a private-use character); string_split() undoes it


def _csv_cell(v: Any) -> str:
    """A value that is not a string as a CSV field LadybugDB reads back exactly; ValueError if CSV cannot carry it.

    None is an unquoted empty field (NULL; a quoted empty field is the empty string); a list is its items
    joined by :data:`_SEP`, which only works for non-empty items without the separator.

    >>> [_csv_cell(v) for v in (None, 3, True, 2.5, ["x", "y"])]
    ['', '3', 'true', '2.5', '"x\\ue000y"']
    >>> _csv_cell(["", "y"])
    Traceback (most recent call last):
    ...
    ValueError: no CSV field for ['', 'y']
    """
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float) and math.isfinite(v):
        return repr(v)  # the shortest text that reads back as the same double
    if isinstance(v, list) and v and all(isinstance(x, str) and x and _SEP not in x for x in v):
        return '"' + _SEP.join(v).replace('"', '""') + '"'
    raise ValueError(f"no CSV field for {v!r}")


class _Table:
    """One node or relationship table's rows (values in column order: the keys, then the properties)."""

    def __init__(self, name: str, keys: tuple[str, ...], props: tuple[tuple[str, str], ...], pair: str = ""):
        self.name, self.keys, self.props, self.pair = name, keys, props, pair
        self.rows: list[list[Any]] = []

    def csv(self) -> str | None:
        """The rows as CSV (strings always quoted), or None when a value cannot go through CSV exactly."""
        try:
            return "".join([",".join([('"' + v.replace('"', '""') + '"') if type(v) is str else _csv_cell(v) for v in r])
                            + "\n" for r in self.rows])
        except ValueError:
            return None

    def copy_csv(self, path: Path, text: str) -> str:
        """Write the CSV file; the ``COPY`` statement that loads it."""
        path.write_text(text, encoding="utf-8", newline="\n")
        # LadybugDB reads a file in parallel unless it has quoted line breaks (more lines than rows)
        parallel = "false" if text.count("\n") != len(self.rows) or "\r" in text else "true"
        cols = [f"column{i}" for i in range(len(self.keys))]
        for i, (_, t) in enumerate(self.props, start=len(self.keys)):
            c = f"column{i}"
            cols.append(f"string_split({c}, '{_SEP}')" if t == "STRING[]" else c if t == "STRING" else f"CAST({c} AS {t})")
        options = f"(HEADER=false, PARALLEL={parallel}, DELIM=',', QUOTE='\"', ESCAPE='\"')"
        return f"COPY {self.name} FROM (LOAD FROM '{path}' {options} RETURN {', '.join(cols)}){self.pair}"

    def copy_rows(self) -> tuple[str, list[dict[str, Any]]]:
        """The ``COPY ... FROM (UNWIND $rows ...)`` statement and its rows as dicts."""
        names = [*self.keys, *(p for p, _ in self.props)]
        cols = ", ".join([*(f"r.{k}" for k in self.keys), *(f"CAST(r.{p} AS {t})" for p, t in self.props)])
        stmt = f"COPY {self.name} FROM (UNWIND $rows AS r RETURN {cols}){self.pair}"
        return stmt, [dict(zip(names, r, strict=True)) for r in self.rows]


def _tables(g: nx.MultiDiGraph) -> list[_Table]:
    """The graph's rows by table, in :mod:`kg.cypher.mapping`'s order: node tables, then relationship tables."""
    nodes = g._node if isinstance(getattr(g, "_node", None), dict) else dict(g.nodes(data=True))
    succ = g._succ if isinstance(getattr(g, "_succ", None), dict) else g.succ
    labels: dict[str, _Table] = {}
    for label in mapping.LABELS:
        props = mapping.node_properties(label)
        labels[label] = _Table(label, ("id",), props[1:])
    for n, d in nodes.items():
        t = labels.get(d["type"])
        if t is None:
            raise InvalidInput(f"node {n!r} has type {d['type']!r}, which is not a label of kg.model")
        t.rows.append([d.get("id"), *[d.get(p) for p, _ in t.props]])
    rels: dict[tuple[str, str, str], _Table] = {}
    for u, nbrs in succ.items():
        tu = nodes[u]["type"]
        for v, keyed in nbrs.items():
            tv = nodes[v]["type"]
            for k, d in keyed.items():
                t = rels.get((k, tu, tv))
                if t is None:
                    if k not in model.RELATIONS or (tu, tv) not in mapping.endpoints(k):
                        raise InvalidInput(f"edge {u!r} -[{k}]-> {v!r} does not fit the property-graph mapping")
                    pair = f" (from='{tu}', to='{tv}')" if len(mapping.endpoints(k)) > 1 else ""
                    t = rels[k, tu, tv] = _Table(k, ("from_id", "to_id"), mapping.rel_properties(k), pair)
                t.rows.append([nodes[u]["id"], nodes[v]["id"], *[d.get(p) for p, _ in t.props]])
    return [t for t in (*labels.values(), *rels.values()) if t.rows]


def load(db: ladybug.Database, g: nx.MultiDiGraph, batch_size: int = BATCH_SIZE, csv: bool = True) -> int:
    """Create the schema and bulk-load every node and relationship of ``g``; return how many were loaded.

    Each table is loaded by one ``COPY table FROM (LOAD FROM 'file.csv' ... RETURN ...)`` from a CSV file
    written in a temporary directory, all in one transaction: LadybugDB's own bulk path (see
    docs/performance.md). A table with a value CSV cannot carry exactly (an empty list, an empty list item),
    or every table when the temporary path cannot be quoted or ``csv=False``, is loaded in batches of
    ``batch_size`` rows instead, each one ``COPY table FROM (UNWIND $rows AS r RETURN ...)``.
    """
    import ladybug

    tables = _tables(g)
    conn = ladybug.Connection(db)
    try:
        conn.execute("BEGIN TRANSACTION")
        for ddl in mapping.ladybug_schema():
            conn.execute(ddl)
        conn.execute("COMMIT")
        slow = list(tables)
        with tempfile.TemporaryDirectory(prefix="negkg-csv-") as tmp:
            if csv and "'" not in tmp and "\\" not in tmp:
                slow = []
                conn.execute("BEGIN TRANSACTION")
                for i, t in enumerate(tables):
                    if (text := t.csv()) is None:
                        slow.append(t)
                    else:
                        conn.execute(t.copy_csv(Path(tmp) / f"{i}.csv", text))
                conn.execute("COMMIT")
    finally:
        conn.close()
    for t in slow:
        stmt, rows = t.copy_rows()
        for batch in mapping.batches(rows, batch_size):
            _copy(db, stmt, batch)
    return sum(len(t.rows) for t in tables)


_CACHE: weakref.WeakKeyDictionary[Any, tuple[object, Embedded]] = weakref.WeakKeyDictionary()


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


def database(g: nx.MultiDiGraph) -> Embedded:
    """The read-only database of a graph object, built on first use and rebuilt when a node or an edge is added or
    removed (:func:`kg.cache.version`); a graph read from the on-disk cache uses the cached database."""
    from kg import cache

    token = cache.version(g)
    hit = _CACHE.get(g)
    if hit is not None and hit[0] == token:
        return hit[1]
    if hit is not None:
        hit[1].close()
    entry = cache.origin(g)
    emb = entry.database() if entry is not None else build(g)
    _CACHE[g] = (token, emb)
    return emb
