"""The Cypher script and the CSV files, imported into a real Neo4j, give back the same graph.

Uses the session's ``neo4j_server`` (tests/plugins/neo4j.py). Each test runs on an empty database
and puts back whatever was in it before, so tests that loaded their own data are unaffected. The CSV files are
served over HTTP on 127.0.0.1 and loaded with the LOAD CSV statements of
:func:`kg.sinks.neo4j_csv.load_csv_statements`; ``import.sh`` runs the real ``neo4j-admin`` of the test server
into a new offline database.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import random
import threading
from pathlib import Path

import pytest

from kg import api
from kg.sinks import cypher_script, neo4j_csv
from tests.test_export import PAYLOADS, assert_same_graph


@contextlib.contextmanager
def isolated(session):
    """An empty database for the duration; whatever was in it before is put back afterwards (other
    tests of the session may have loaded data they still need)."""
    nodes = session.run("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props").data()
    rels = session.run(
        "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS type, properties(r) AS props"
    ).data()
    session.run("MATCH (n) DETACH DELETE n").consume()
    try:
        yield session
    finally:
        session.run("MATCH (n) DETACH DELETE n").consume()
        new = {
            r["old"]: r["new"]
            for r in session.run(
                "UNWIND $rows AS row CREATE (n:$(row.labels)) SET n = row.props RETURN row.id AS old, elementId(n) AS new",
                rows=nodes,
            )
        }
        for r in rels:
            r["a"], r["b"] = new[r["a"]], new[r["b"]]
        session.run(
            "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a MATCH (b) WHERE elementId(b) = row.b "
            "CREATE (a)-[r:$(row.type)]->(b) SET r = row.props",
            rows=rels,
        ).consume()


@pytest.fixture
def neo4j(neo4j_server):
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password))
    try:
        with driver.session(database=neo4j_server.database) as session, isolated(session):
            yield session
    finally:
        driver.close()


def _contents(session) -> tuple[list, list]:
    nodes = session.run("MATCH (n) RETURN labels(n) AS l, properties(n) AS p ORDER BY n.id").data()
    rels = session.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, properties(r) AS p, b.id AS b ORDER BY a, b").data()
    return nodes, rels


def test_other_data_in_the_database_is_put_back(neo4j_server):
    from neo4j import GraphDatabase

    auth = (neo4j_server.user, neo4j_server.password)
    with (
        GraphDatabase.driver(neo4j_server.uri, auth=auth) as driver,
        driver.session(database=neo4j_server.database) as session,
        isolated(session),
    ):
        session.run(
            "CREATE (:Party:Extra {id: 'zz-a', tags: ['x', 'y'], n: 3})-[:MEMBER_OF {w: true}]->(:Party {id: 'zz-b'})"
        ).consume()
        before = _contents(session)
        with isolated(session):
            assert _contents(session) == ([], [])
            run_script(session, cypher_script.dumps(api.graph(api.load(data_dir=PAYLOADS))))
        assert _contents(session) == before


def read_neo4j(session):
    """The database as a canonical MultiDiGraph: label -> type, relationship type -> key and rel."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for rec in session.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"):
        assert len(rec["labels"]) == 1, rec["labels"]
        label, props = rec["labels"][0], dict(rec["props"])
        g.add_node(f"{label}:{props['id']}", type=label, **props)
    query = (
        "MATCH (a)-[r]->(b) RETURN labels(a)[0] AS la, a.id AS a, type(r) AS t, properties(r) AS props, "
        "labels(b)[0] AS lb, b.id AS b"
    )
    for rec in session.run(query):
        g.add_edge(f"{rec['la']}:{rec['a']}", f"{rec['lb']}:{rec['b']}", key=rec["t"], rel=rec["t"], **dict(rec["props"]))
    return g


def run_script(session, text: str) -> None:
    """Run a script as cypher-shell does: statements one per line, ``:begin`` ... ``:commit`` as a transaction."""
    tx = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        if line == ":begin":
            tx = session.begin_transaction()
        elif line == ":commit":
            tx.commit()
            tx = None
        else:
            assert not line.startswith(":"), line
            (tx or session).run(line.removesuffix(";")).consume()
    assert tx is None, "the script leaves a transaction open"


@pytest.fixture(scope="module")
def graphs(graph):
    from kg.select import select
    from tests.conftest import MINI

    out = {"mini": api.graph(api.load(data_dir=MINI)), "payloads": api.graph(api.load(data_dir=PAYLOADS)), "corpus": graph}
    out["camp-david"] = select(graph, case="camp-david-1978") if "Negotiation:camp-david-1978" in graph else None
    return out


def _graph(graphs, name):
    if graphs[name] is None:
        pytest.skip(f"the {name} case is not in the corpus")
    return graphs[name]


# the whole corpus takes a minute through Cypher's parser (large literal lists), so: one real case
@pytest.mark.parametrize("name", ["mini", "payloads", "camp-david"])
def test_cypher_script_round_trip(neo4j, graphs, name):
    g = _graph(graphs, name)
    text = cypher_script.dumps(g)
    run_script(neo4j, text)
    assert_same_graph(g, read_neo4j(neo4j))
    run_script(neo4j, text)  # MERGE: running it again changes nothing
    assert_same_graph(g, read_neo4j(neo4j))


def test_cypher_literals_survive_the_cypher_parser(neo4j):
    rng = random.Random(7)
    alphabet = "ab'\"\\\n\r\t\b\f\x00\x1f\x7f\u0085\u2028\u2029 /;`${}()[]<>éü🌊\U0001f600"
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(300)]
    values += ["\\u0041", "\\", "'", "\\'", "// comment", "/* c */", "$param"]
    got = neo4j.run(f"RETURN {cypher_script.literal(values)} AS v").single()["v"]
    assert got == values


@pytest.fixture
def http_dir():
    """Serve a directory on 127.0.0.1 (a free port) for LOAD CSV; yields a function dir -> base URL."""
    servers = []

    def serve(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for s in servers:
        s.shutdown()
        s.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.mark.parametrize("name", ["mini", "payloads", "corpus"])
def test_csv_round_trip_with_load_csv(neo4j, graphs, name, tmp_path, http_dir):
    g = _graph(graphs, name)
    out = tmp_path / "csv"
    neo4j_csv.write(g, out)
    base = http_dir(out)
    for file, stmt in neo4j_csv.load_csv_statements(out):
        neo4j.run(stmt, url=f"{base}/{file}").consume()
    assert_same_graph(g, read_neo4j(neo4j))


def test_the_exported_import_script_runs_neo4j_admin(tmp_path, mini_graph):
    """``import.sh`` beside the CSV files imports them with the real ``neo4j-admin`` (the test server's) into a new
    offline database: every node and relationship of the graph."""
    import re
    import subprocess

    from tests.plugins.neo4j import admin_env

    neo4j_csv.write(mini_graph, tmp_path / "csv")
    res = subprocess.run(["sh", str(tmp_path / "csv" / neo4j_csv.SCRIPT), "neo4j"], env=admin_env(tmp_path),
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, (res.stdout + res.stderr)[-2000:]
    counts = re.search(r"Imported:\s*(\d+) nodes\s*(\d+) relationships", res.stdout + res.stderr)
    assert counts and (int(counts[1]), int(counts[2])) == (mini_graph.number_of_nodes(), mini_graph.number_of_edges())
