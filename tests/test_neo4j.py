"""Neo4j: loading (batched, idempotent, per-case replacement), the Cypher library, read-only enforcement.

Runs against a real Neo4j Community 5.26 (the ``neo4j_server`` fixture, tests/plugins/neo4j.py).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kg import api
from kg.errors import RuntimeFailure, UsageError
from kg.queries import LIBRARY
from tests.equivalence import library_calls

ROOT = Path(__file__).resolve().parent.parent
INJECTIONS = ("' OR 1=1 //", "}) DETACH DELETE n //", "x'}) MATCH (n) DETACH DELETE n //", '" OR ""="', "$case", "\\u0027")


def _wipe(settings: Any) -> None:
    from kg.cypher import neo4jdb

    with neo4jdb.driver(settings).session(database=settings.database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def _snapshot(settings: Any, where: str = "true", params: dict[str, Any] | None = None) -> list[Any]:
    """Every node (labels, properties) and relationship (type, ends, properties) whose nodes match ``where`` (on ``v``)."""
    from kg.cypher import neo4jdb

    on = lambda v: where.replace("{v}", v)  # noqa: E731
    _, nodes = neo4jdb.read(settings, f"MATCH (n) WHERE {on('n')} RETURN labels(n) AS l, properties(n) AS p", params or {})
    _, rels = neo4jdb.read(
        settings,
        f"MATCH (n)-[r]->(m) WHERE {on('n')} AND {on('m')} RETURN type(r) AS t, n.id AS a, m.id AS b, properties(r) AS p",
        params or {},
    )
    return sorted(repr(sorted(r.items())) for r in nodes) + sorted(repr(sorted(r.items())) for r in rels)


@pytest.fixture(scope="module")
def graph(combined_graph):
    """In this module, the graph is the shipped corpus plus the analysis fixture (every branch of the definitions)."""
    return combined_graph


@pytest.fixture(scope="module")
def neo(neo4j_server, graph):
    """The server, emptied, with the shipped corpus loaded once."""
    from kg.cypher import neo4jdb

    s = neo4j_server.settings
    _wipe(s)
    stats = neo4jdb.load(graph, s, batch_size=500)
    assert stats.nodes == graph.number_of_nodes() and stats.relationships == graph.number_of_edges()
    return s


def _expected_counts(g) -> dict[str, int]:
    summ = api.summary(g)
    return dict(
        sorted({**summ["nodes"], **summ["edges"], "nodes": summ["total_nodes"], "relationships": summ["total_edges"]}.items())
    )


def test_load_matches_the_graph(neo, graph):
    from kg.cypher import mapping, neo4jdb

    assert neo4jdb.counts(neo) == _expected_counts(graph)
    # constraints and indexes of the mapping exist
    _, rows = neo4jdb.read(neo, "SHOW CONSTRAINTS YIELD name RETURN name", {})
    assert {f"negkg_{c.split('negkg_')[1].split()[0]}" for c in mapping.neo4j_constraints()} <= {r["name"] for r in rows}
    # evidence lives on relationships: parallel lists, as in the canonical graph
    u, v, d = next((u, v, d) for u, v, k, d in graph.edges(keys=True, data=True) if k == "SERVES")
    _, rows = neo4jdb.read(
        neo,
        "MATCH (:Provision {id: $u})-[r:SERVES]->(:Interest {id: $v}) RETURN r.source_ids AS s, r.locators AS l",
        {"u": graph.nodes[u]["id"], "v": graph.nodes[v]["id"]},
    )
    assert rows == [{"s": d["source_ids"], "l": d["locators"]}]


def test_second_load_changes_nothing(neo, graph):
    from kg.cypher import neo4jdb

    before = _snapshot(neo)
    neo4jdb.load(graph, neo, batch_size=37)  # another batch size, same result
    assert neo4jdb.counts(neo) == _expected_counts(graph)
    assert _snapshot(neo) == before


def test_full_load_removes_what_the_corpus_dropped(neo, graph):
    from kg.cypher import neo4jdb

    g2 = graph.copy()
    prov = next(n for n, d in g2.nodes(data=True) if d["type"] == "Provision")
    u, v = next((u, v) for u, v, k in g2.edges(keys=True) if k == "SERVES" and prov not in (u, v))
    g2.remove_node(prov)
    g2.remove_edge(u, v, key="SERVES")
    party = next(n for n, d in g2.nodes(data=True) if d["type"] == "Party" and d.get("wikidata"))
    del g2.nodes[party]["wikidata"]
    try:
        neo4jdb.load(g2, neo)
        assert neo4jdb.counts(neo) == _expected_counts(g2)
        _, rows = neo4jdb.read(
            neo, "MATCH (p:Party {id: $id}) RETURN p.wikidata AS w, p.name AS name", {"id": g2.nodes[party]["id"]}
        )
        assert rows == [{"w": None, "name": g2.nodes[party]["name"]}]
    finally:
        neo4jdb.load(graph, neo)
    assert neo4jdb.counts(neo) == _expected_counts(graph)


def test_case_replacement_touches_nothing_else(neo, graph):
    from kg.cypher import neo4jdb

    cases = sorted(d["id"] for _, d in graph.nodes(data=True) if d["type"] == "Negotiation")
    target = cases[0]
    others = "coalesce({v}.negotiation, '') <> $case AND NOT ({v}:Negotiation AND {v}.id = $case)"
    before_others = _snapshot(neo, others, {"case": target})
    # an edited copy of the corpus: the target case loses a provision and an interest is renamed
    g2 = graph.copy()
    prov = next(n for n, d in g2.nodes(data=True) if d["type"] == "Provision" and d["negotiation"] == target)
    g2.remove_node(prov)
    interest = next(n for n, d in g2.nodes(data=True) if d["type"] == "Interest" and d["negotiation"] == target)
    g2.nodes[interest]["name"] = "renamed for the test"
    try:
        stats = neo4jdb.load(g2, neo, case=target, batch_size=50)
        assert stats.cases == [target]
        _, rows = neo4jdb.read(neo, "MATCH (p:Provision {id: $id}) RETURN count(p) AS c", {"id": graph.nodes[prov]["id"]})
        assert rows == [{"c": 0}]
        _, rows = neo4jdb.read(neo, "MATCH (i:Interest {id: $id}) RETURN i.name AS name", {"id": g2.nodes[interest]["id"]})
        assert rows == [{"name": "renamed for the test"}]
        assert _snapshot(neo, others, {"case": target}) == before_others
        assert neo4jdb.counts(neo)["Provision"] == _expected_counts(graph)["Provision"] - 1
    finally:
        neo4jdb.load(graph, neo, case=target)
    assert neo4jdb.counts(neo) == _expected_counts(graph)
    with pytest.raises(UsageError, match="unknown case"):
        neo4jdb.load(graph, neo, case="no-such-case")


@pytest.mark.parametrize("name", list(LIBRARY))
def test_library_equals_native_on_neo4j(neo, graph, name):
    checked = 0
    for q, params in library_calls(graph, k=6):
        if q != name:
            continue
        native = api.query(name, params=params, graph=graph)
        cypher = api.query(name, params=params, lang="cypher", neo4j=neo)
        assert cypher.rows == native.rows, params
        checked += len(native.rows)
    assert checked > 0  # the corpus gives every question some answer


WRITES = [
    "CREATE (n:Party {id: 'intruder'})",
    "MATCH (n:Party) SET n.name = 'x'",
    "MATCH (n) DETACH DELETE n",
    "match (n:Party) /* harmless? */ remove n.name",
    "MERGE (n:Party {id: 'intruder'}) RETURN n",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS RETURN 1",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "UNWIND [1] AS x FOREACH (y IN [x] | CREATE (:Party {id: 'intruder'}))",
    "DROP CONSTRAINT negkg_party_id",
    "MATCH (n) RETURN n; MATCH (n) DETACH DELETE n",
]


@pytest.mark.parametrize("text", WRITES)
def test_writes_refused_on_both_engines(neo, graph, text):
    from kg.cypher import engine

    before = _snapshot(neo, "{v}:Party")
    for target in (neo, None):
        with pytest.raises(UsageError, match="refused"):
            engine.adhoc(text, {}, graph=graph, neo4j=target)
    assert _snapshot(neo, "{v}:Party") == before


def test_neo4j_planner_refuses_writes_on_its_own(neo):
    """Past the keyword check, EXPLAIN's query type still refuses a write (query type 'w' / 'rw' / 's')."""
    from kg.cypher import neo4jdb

    for text in ("CREATE (n:Party {id: 'intruder'})", "MATCH (n:Party) SET n.x = 1", "CREATE INDEX ix FOR (n:Party) ON (n.x)"):
        with pytest.raises(UsageError, match="refused: Neo4j plans this statement"):
            neo4jdb.read(neo, text, {})
    _, rows = neo4jdb.read(neo, "MATCH (n:Party {id: 'intruder'}) RETURN count(n) AS c", {})
    assert rows == [{"c": 0}]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_payloads_stay_inert(neo, graph, payload):
    from kg.cypher import engine

    before = _snapshot(neo, "{v}:Party")
    assert api.query("party-profile", params={"party": payload}, lang="cypher", neo4j=neo).rows == []
    assert api.query("evidence", params={"id": payload}, lang="cypher", neo4j=neo).rows == []
    _, rows = engine.adhoc("MATCH (p:Party) WHERE p.id = $id RETURN p.id AS id", {"id": payload}, neo4j=neo)
    assert rows == []
    _, rows = engine.adhoc("RETURN $id AS echo", {"id": payload}, neo4j=neo)
    assert rows == [{"echo": payload}]
    with pytest.raises(UsageError, match="unknown case"):
        api.query("shared-interests", case=payload, lang="cypher", neo4j=neo)
    assert _snapshot(neo, "{v}:Party") == before


def test_adhoc_values_have_one_shape_on_both_engines(neo, graph):
    from kg.cypher import engine

    text = "MATCH (p:Party)-[h:HAS_INTEREST]->(i:Interest) WHERE p.id = $id RETURN p, h, i.id AS interest ORDER BY interest"
    party = next(
        d["id"]
        for n, d in graph.nodes(data=True)
        if d["type"] == "Party" and d.get("wikidata") and any(k == "HAS_INTEREST" for _, _, k in graph.out_edges(n, keys=True))
    )
    on_neo4j = engine.adhoc(text, {"id": party}, neo4j=neo)
    embedded = engine.adhoc(text, {"id": party}, graph=graph)
    assert on_neo4j == embedded and on_neo4j[1]
    assert on_neo4j[1][0]["p"]["labels"] == ["Party"] and on_neo4j[1][0]["h"]["type"] == "HAS_INTEREST"


#: ad-hoc statements whose answers must be equal on LadybugDB and Neo4j: nodes, relationships (with their ends),
#: paths, variable-length relationships, maps, and properties a node or relationship lacks (null on both)
ADHOC = [
    "MATCH (p:Party {id: $id}) RETURN p",
    "MATCH (p:Party {id: $id})-[h:HAS_INTEREST]->(i:Interest) RETURN h ORDER BY h.salience, i.id",
    "MATCH (p:Party {id: $id})-[h:HAS_INTEREST]->(i:Interest) RETURN i.id AS interest, p.salience AS absent, h.nope AS nope, "
    "coalesce(p.missing, 'default') AS d ORDER BY interest",
    "MATCH path = (p:Party {id: $id})-[:HOLDS]->(:Position)-[:REFLECTS]->(i:Interest) RETURN path ORDER BY i.id",
    "MATCH (p:Party {id: $id})-[r:HOLDS|REFLECTS*2..2]->(i:Interest) RETURN r ORDER BY i.id",
    "MATCH (p:Party {id: $id}) RETURN {party: p.id, kind: p.kind, missing: p.missing} AS m",
    "MATCH (p:Party {id: $id}) WHERE p.missing IS NULL RETURN p.id, p.missing",
]


@pytest.mark.parametrize("text", ADHOC)
def test_adhoc_queries_answer_the_same_on_both_engines(neo, graph, text):
    from kg.cypher import engine

    party = "egypt"
    on_neo4j = engine.adhoc(text, {"id": party}, neo4j=neo)
    embedded = engine.adhoc(text, {"id": party}, graph=graph)
    assert on_neo4j[1], text
    assert on_neo4j[0] == embedded[0]
    key = functools.partial(json.dumps, sort_keys=True)  # rows tied under ORDER BY may come in either order
    assert sorted(on_neo4j[1], key=key) == sorted(embedded[1], key=key)


def test_adhoc_shape(neo, graph):
    from kg.cypher import engine

    _, rows = engine.adhoc(ADHOC[3], {"id": "egypt"}, neo4j=neo)
    path = rows[0]["path"]
    assert [x.get("type") for x in path[1::2]] == ["HOLDS", "REFLECTS"]
    assert path[0]["id"] == "egypt" and path[1]["start"] == "egypt" and path[1]["end"] == path[2]["id"]
    assert path[3]["start"] == path[2]["id"] and path[3]["end"] == path[4]["id"] and path[4]["labels"] == ["Interest"]
    assert set(path[0]) == {"id", "labels", "properties"} and set(path[1]) == {"type", "start", "end", "properties"}


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "NEGKG_DEBUG"))}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, env={**base, **(env or {})}, cwd=ROOT,
        timeout=300, stdin=subprocess.DEVNULL,
    )


def test_cli_load_query_and_cypher(neo4j_server, neo, tmp_path):
    import json
    import shutil

    from kg.cypher import neo4jdb

    data = tmp_path / "data"  # a snapshot: the CLI and the expected answer read the same corpus
    shutil.copytree(ROOT / "data", data)
    g = api.graph(data_dir=data)
    env = neo4j_server.env()
    res = _cli("--data", str(data), "load-neo4j", "--batch-size", "250", env=env)
    assert res.returncode == 0, res.stderr
    assert f"{g.number_of_nodes()} nodes and {g.number_of_edges()} relationships" in res.stdout
    assert neo4j_server.password not in res.stdout + res.stderr
    assert neo4jdb.counts(neo) == _expected_counts(g)
    res = _cli("query", "interest-provision-links", "--lang", "cypher", "--neo4j", "--format", "json", env=env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == api.query("interest-provision-links", graph=g).rows
    res = _cli("cypher", "MATCH (p:Party {id: $id}) RETURN p.id AS id", "--param", "id=' OR 1=1 //", "--neo4j",
               "--format", "json", env=env)
    assert (res.returncode, json.loads(res.stdout)) == (0, [])
    res = _cli("cypher", "MATCH (n) DETACH DELETE n", "--neo4j", env=env)
    assert res.returncode == 2 and res.stderr.startswith("error: refused") and len(res.stderr.strip().splitlines()) == 1


def test_bad_credentials_and_unreachable_server(neo4j_server, neo):
    wrong = "not-the-password-123"
    env = {**neo4j_server.env(), "NEO4J_PASSWORD": wrong}
    commands = (("load-neo4j",), ("query", "shared-interests", "--lang", "cypher", "--neo4j"), ("cypher", "RETURN 1", "--neo4j"))
    for args in commands:
        res = _cli(*args, env=env)
        assert res.returncode == 1, (args, res.stderr)
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and "refused the credentials" in lines[0] and wrong not in res.stderr + res.stdout
    # credentials inside the URI: used, and never shown
    uri = neo4j_server.uri.replace("bolt://", f"bolt://neo4j:{wrong}@")
    res = _cli("load-neo4j", "--uri", uri, env={})
    assert res.returncode == 1 and wrong not in res.stderr and "bolt://127.0.0.1" in res.stderr
    # nothing listens on this port
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    res = _cli("load-neo4j", "--uri", f"neo4j://user:{wrong}@127.0.0.1:{port}", env={})
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1 and "unreachable" in res.stderr
    assert wrong not in res.stderr


def test_settings_from_env_and_flags(neo4j_server, neo):
    from kg.cypher import neo4jdb

    s = neo4jdb.Settings.from_env(env=neo4j_server.env())
    assert s == neo4j_server.settings
    assert neo4j_server.password not in repr(s)
    s2 = neo4jdb.Settings.from_env(uri="neo4j+s://x.databases.neo4j.io", env=neo4j_server.env())
    assert (s2.uri, s2.user, s2.database) == ("neo4j+s://x.databases.neo4j.io", "neo4j", "neo4j")
    with pytest.raises(RuntimeFailure, match="refused the credentials"):
        neo4jdb.driver(neo4jdb.Settings(neo4j_server.uri, "neo4j", "wrong-password-1"))
    # the routing scheme (clusters, Aura) works against a single server too
    routed = neo4jdb.Settings(neo4j_server.uri.replace("bolt://", "neo4j://"), "neo4j", neo4j_server.password, "neo4j")
    assert neo4jdb.counts(routed) == neo4jdb.counts(neo)
