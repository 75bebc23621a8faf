"""Neo4j helpers for the benchmarks: the test suite's server, a naive row-by-row loader to compare with, and the
variants of issue 16 (JVM flags, neo4j-rust-ext, CREATE against MERGE, transactions from two threads,
``neo4j-admin database import``).

The server is started by the launcher the ``neo4j_server`` fixture uses (:func:`kg.servers.neo4j_process`):
same Maven project (servers/neo4j/), same free port on 127.0.0.1, random password; the JVM flags are the
fixture's unless given (:data:`TUNED_JVM`).
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["server", "sample", "row_by_row", "whole_graph_batches", "wipe", "TUNED_JVM", "load_child", "load_threads",
           "admin_import"]

#: a JVM set up for loading rather than for a fast start: 2-4 GB heap, the default (G1) collector, the full JIT
TUNED_JVM = ("-Xms2g", "-Xmx4g")


@contextlib.contextmanager
def server(root: Path, jvm: tuple[str, ...] | None = None) -> Iterator[Any]:
    """A running Neo4j (``.settings``, ``.uri``), stopped on exit; ``jvm``: its JVM flags (default the fixture's).

    Raises RuntimeError with the launcher's message when it cannot run (no java/mvn, no start-up).
    """
    from types import SimpleNamespace

    from kg import servers
    from kg.cypher import neo4jdb
    from kg.errors import KGError

    try:
        with servers.neo4j_process(Path(tempfile.mkdtemp(prefix="neo4j-", dir=root)), jvm or servers.NEO4J_JVM) as (_, c):
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


_CHILD = """
import json, os, pickle, sys, time
if sys.argv[2] == "off":
    sys.modules["neo4j._rust"] = None  # the driver falls back to its pure-Python packstream
from neo4j._codec.packstream.v1 import _rust_pack
from kg.cypher import neo4jdb
g = pickle.load(open(sys.argv[1], "rb"))
s = neo4jdb.Settings(**json.loads(os.environ["BENCH_NEO4J"]))
cpu = time.process_time()
st = neo4jdb.load(g, s, batch_size=int(sys.argv[4]), always_merge=sys.argv[3] == "merge")
print(json.dumps({"seconds": st.seconds, "rate": st.rate, "cpu": time.process_time() - cpu, "rust": _rust_pack is not None}))
"""


def load_child(graph_pickle: Path, s: Any, rust: bool, merge: bool = False, batch_size: int = 5000) -> dict[str, Any]:
    """``neo4jdb.load`` in a child process (with or without neo4j-rust-ext): seconds, rate, client CPU, rust used."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "BENCH_NEO4J": json.dumps({"uri": s.uri, "user": s.user, "password": s.password,
                                                     "database": s.database})}
    root = Path(__file__).resolve().parent.parent
    p = subprocess.run([sys.executable, "-c", _CHILD, str(graph_pickle), "on" if rust else "off",
                        "merge" if merge else "auto", str(batch_size)], cwd=root, env=env, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(f"load in a child process failed: {p.stderr.strip().splitlines()[-1:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def load_threads(g: Any, s: Any, threads: int = 2, batch_size: int = 5000) -> tuple[int, float]:
    """For comparison: the loader's transactions (whole negotiations, MERGE) sent from ``threads`` threads with a
    session each, so the client packs one transaction while the server runs another. Returns (rows, seconds)."""
    from concurrent.futures import ThreadPoolExecutor

    from kg.cypher import mapping, neo4jdb

    t0 = time.perf_counter()
    neo4jdb.schema(s)
    groups = neo4jdb._groups(g)
    d = neo4jdb.driver(s)
    with d.session(database=s.database) as session:
        for stmt, rows in groups.get(neo4jdb._SHARED, {}).items():
            for batch in mapping.batches(rows, batch_size):
                session.execute_write(lambda tx, stmt=stmt, batch=batch: tx.run(stmt, rows=batch).consume())

    def chunk(writes: Any) -> None:
        with d.session(database=s.database) as session:
            session.execute_write(lambda tx: neo4jdb._run_writes(tx, writes, batch_size))

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(chunk, (w for _, w, _ in neo4jdb._case_chunks(groups, batch_size))))
    chunk(groups.get(neo4jdb._CROSS, {}))
    with d.session(database=s.database) as session:
        session.execute_write(neo4jdb._prune, g)
    return g.number_of_nodes() + g.number_of_edges(), time.perf_counter() - t0


def admin_import(g: Any, work: Path) -> tuple[int, float, str]:
    """``neo4j-admin database import full`` of the project's CSV export (its own ``import.sh``) into a new, offline
    database under ``work``, with the neo4j-admin of the test server's class path (neo4j-harness ships
    neo4j-command-line and neo4j-import-tool). Returns (nodes + relationships imported, seconds, the tool's summary)."""
    import re
    import subprocess

    from kg.sinks import neo4j_csv
    from tests.plugins.neo4j import admin_env

    out = work / "csv"
    neo4j_csv.write(g, out)
    env = admin_env(work)
    t0 = time.perf_counter()
    p = subprocess.run(["sh", str(out / neo4j_csv.SCRIPT), "neo4j"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if p.returncode:
        raise RuntimeError(f"neo4j-admin import failed: {(p.stdout + p.stderr).strip().splitlines()[-3:]}")
    text = p.stdout + p.stderr
    nodes = re.search(r"Imported:\s*(\d+) nodes\s*(\d+) relationships", text)
    n = int(nodes.group(1)) + int(nodes.group(2)) if nodes else 0
    return n, seconds, " ".join(text.split("Imported:")[-1].split()[:6]) if nodes else text[-300:]
