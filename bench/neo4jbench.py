"""Neo4j helpers for the benchmarks: the test suite's server, and a naive row-by-row loader to compare with.

The server is started by the launcher the ``neo4j_server`` fixture uses (:func:`kg.servers.neo4j_process`):
same Maven project (servers/neo4j/), same JVM flags, same free port on 127.0.0.1, random password.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["server", "sample", "row_by_row", "whole_graph_batches", "wipe"]


@contextlib.contextmanager
def server(root: Path) -> Iterator[Any]:
    """A running Neo4j (``.settings``, ``.uri``), stopped on exit.

    Raises RuntimeError with the launcher's message when it cannot run (no java/mvn, no start-up).
    """
    from types import SimpleNamespace

    from kg import servers
    from kg.cypher import neo4jdb
    from kg.errors import KGError

    try:
        with servers.neo4j_process(Path(tempfile.mkdtemp(prefix="neo4j-", dir=root))) as (_, c):
            try:
                yield SimpleNamespace(uri=c.url, settings=neo4jdb.Settings(c.url, c.user, c.password, "neo4j"))
            finally:
                neo4jdb.close_all()
    except KGError as e:
        raise RuntimeError(str(e)) from None


def wipe(s: Any) -> None:
    """Delete every node and relationship (batched, auto-commit), so the next load starts empty."""
    from kg.cypher import neo4jdb

    d = neo4jdb.driver(s)
    with d.session(database=s.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def sample(g: Any, cases: int) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The nodes and relationships of the first ``cases`` negotiations: their own nodes, every edge at them,
    and the shared nodes (parties, sources, vocabulary) those edges reach."""
    ids = sorted(d["id"] for _, d in g.nodes(data=True) if d["type"] == "Negotiation")[:cases]
    keep = set(ids)
    own = {n for n, d in g.nodes(data=True) if d.get("negotiation") in keep or (d["type"] == "Negotiation" and d["id"] in keep)}
    edges = sorted({(u, v, k) for n in own for u, v, k in (*g.out_edges(n, keys=True), *g.in_edges(n, keys=True))})
    return sorted(own | {x for u, v, _ in edges for x in (u, v)}), edges


def _statements(g: Any, nodes: list[str], edges: list[tuple[str, str, str]], unwind: bool) -> list[tuple[str, list[Any]]]:
    """(statement, rows) per label and per relationship group: the MERGEs of kg.cypher.neo4jdb, row by row or UNWIND."""
    from kg.cypher import mapping

    out: list[tuple[str, list[Any]]] = []
    for label, rows in mapping.node_rows(g, nodes).items():
        head = "UNWIND $rows AS row " if unwind else ""
        row = "row" if unwind else "$row"
        out.append((f"{head}MERGE (n:{mapping.check_label(label)} {{id: {row}.id}}) SET n = {row}",
                    [{k: v for k, v in r.items() if v is not None} for r in rows]))
    for (rel, a, b), rows in mapping.rel_groups(g, edges).items():
        head = "UNWIND $rows AS row " if unwind else ""
        row = "row" if unwind else "$row"
        out.append((f"{head}MATCH (a:{mapping.check_label(a)} {{id: {row}.u}}) MATCH (b:{mapping.check_label(b)} "
                    f"{{id: {row}.v}}) MERGE (a)-[r:{mapping.check_rel_type(rel)}]->(b) SET r = {row}.props",
                    [{"u": r["u"], "v": r["v"], "props": {k: v for k, v in r["props"].items() if v is not None}}
                     for r in rows]))
    return out


def row_by_row(g: Any, s: Any, nodes: list[str], edges: list[tuple[str, str, str]]) -> tuple[int, float]:
    """The naive loader: one ``MERGE`` per node and per relationship, each in its own transaction.

    Uses the same constraints (created first) and the same rows and MERGEs as :func:`kg.cypher.neo4jdb.load`.
    Returns (rows written, seconds).
    """
    from kg.cypher import neo4jdb

    neo4jdb.schema(s)
    d = neo4jdb.driver(s)
    work = [(stmt, r) for stmt, rows in _statements(g, nodes, edges, unwind=False) for r in rows]
    t0 = time.perf_counter()
    with d.session(database=s.database) as session:
        for stmt, r in work:
            session.execute_write(lambda tx, stmt=stmt, r=r: tx.run(stmt, row=r).consume())
    return len(work), time.perf_counter() - t0


def whole_graph_batches(g: Any, s: Any, batch_size: int = 5000) -> tuple[int, float]:
    """For comparison: the same MERGEs as ``UNWIND $rows`` over the whole graph in large batches, one transaction
    per batch (no per-negotiation transactions, no deletes). Returns (rows written, seconds)."""
    from kg.cypher import mapping, neo4jdb

    writes = _statements(g, list(g.nodes), list(g.edges(keys=True)), unwind=True)
    t0 = time.perf_counter()
    neo4jdb.schema(s)
    d = neo4jdb.driver(s)
    n = 0
    with d.session(database=s.database) as session:
        for stmt, rows in writes:
            for batch in mapping.batches(rows, batch_size):
                session.execute_write(lambda tx, stmt=stmt, batch=batch: tx.run(stmt, rows=batch).consume())
                n += len(batch)
    return n, time.perf_counter() - t0
