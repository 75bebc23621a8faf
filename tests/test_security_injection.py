"""Injection: hostile parameter values stay data on all five engines, and writes are refused before they run.

Engines: native (networkx), embedded Cypher (LadybugDB), Neo4j, embedded SPARQL (pyoxigraph) and
Fuseki. Each payload of :data:`tests.security_payloads.INJECTIONS`, given as ``case``, ``party`` or
``id``, returns no rows or a clean UsageError, and comes back byte for byte when a query echoes it;
each database's full content is compared before and after. ``negkg cypher`` and ``negkg sparql``
refuse every write (exit 2, one line, database unchanged), on the embedded engines and on the
servers; a refused SPARQL update is never sent. Neo4j and Fuseki tests use the session fixtures
(tests/plugins/); they skip without Java and fail under CI=true.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import api
from kg.errors import UsageError
from tests.conftest import MINI
from tests.security_helpers import (
    cli,
    embedded_cypher_fingerprint,
    embedded_sparql_fingerprint,
    graph_fingerprint,
    neo4j_fingerprint,
    one_line_error,
    sparql_endpoint_fingerprint,
)
from tests.security_payloads import INJECTIONS

pytestmark = [pytest.mark.timeout(300), pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")]

#: (library question, the parameter the payload goes into)
TARGETS = [("shared-interests", "case"), ("party-profile", "party"), ("positions-and-interests", "party"),
           ("evidence", "id"), ("trades", "case")]

CYPHER_WRITES = [
    "CREATE (n:Party {id: 'intruder'})",
    "MERGE (n:Party {id: 'intruder'}) RETURN n",
    "MATCH (n:Party) SET n.name = 'pwned'",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "match (n:Party) /* harmless? */ remove n.name",
    "MATCH (n) WITH n LIMIT 1 CALL { WITH n DETACH DELETE n } IN TRANSACTIONS RETURN 1",
    "UNWIND [1] AS x FOREACH (y IN [x] | CREATE (:Party {id: 'intruder'}))",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD CSV WITH HEADERS FROM 'https://example.org/x.csv' AS row MERGE (:Party {id: row.id})",
    "DROP CONSTRAINT negkg_party_id",
    "CREATE INDEX pwned FOR (n:Party) ON (n.name)",
    "MATCH (n) RETURN n; MATCH (n) DETACH DELETE n",
    "MATCH (n) RETURN n // harmless\nDETACH DELETE n",
    "RETURN 'a\\\\' CREATE (n:Party {id: 'intruder'}) //'",
    "CALL db.createLabel('Pwned')",
    "CALL db.createProperty('pwned')",
    "CALL db.createRelationshipType('PWNED')",
    "MATCH (n) WITH n CALL db.createLabel('Pwned') RETURN count(*)",
    "CALL db.clearQueryCaches()",
    "COPY Party FROM '/etc/passwd'",
    "COPY (MATCH (n) RETURN n) TO '/tmp/negkg-pwned.csv'",
    "EXPORT DATABASE '/tmp/negkg-pwned'",
    "INSTALL httpfs",
    "ATTACH '/tmp/other.lbug' AS other",
    "BEGIN TRANSACTION",
]

SPARQL_UPDATES = [
    "INSERT DATA { <urn:x> <urn:y> <urn:z> }",
    "DELETE DATA { <urn:x> <urn:y> <urn:z> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 'pwned' } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <file:///etc/passwd>",
    "LOAD SILENT <http://example.org/data.ttl> INTO GRAPH <urn:g>",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    "DROP ALL",
    "DROP SILENT GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "prefix ex: <urn:ex#> # a comment\ninsert data { ex:a ex:b ex:c }",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    "SELECT * WHERE { ?s ?p ?o } DROP ALL",
    "ASK {} ; INSERT DATA { <urn:x> <urn:y> <urn:z> }",
]


# ------------------------------------------------------------------ engines


def _inert(run: Any, engine: str) -> int:
    """Every payload in every target parameter: no rows, or a UsageError. Returns how many calls were checked."""
    n = 0
    for payload in INJECTIONS:
        for name, param in TARGETS:
            try:
                rows = run(name, {param: payload}).rows
            except UsageError:
                rows = []
            assert rows == [], (engine, name, param, payload, rows)
            n += 1
    return n


def test_native_and_embedded_engines_keep_parameters_as_data(mini_graph):
    before = (graph_fingerprint(mini_graph), embedded_cypher_fingerprint(mini_graph),
              embedded_sparql_fingerprint(mini_graph))
    for lang in ("native", "cypher", "sparql"):
        assert _inert(lambda name, params, lang=lang: api.query(name, params=params, lang=lang, graph=mini_graph),
                      lang) == len(INJECTIONS) * len(TARGETS)
    assert (graph_fingerprint(mini_graph), embedded_cypher_fingerprint(mini_graph),
            embedded_sparql_fingerprint(mini_graph)) == before
    # a real value still answers: the checks above are not vacuous
    assert api.query("party-profile", params={"party": "alpha"}, lang="cypher", graph=mini_graph).rows
    assert api.query("party-profile", params={"party": "alpha"}, lang="sparql", graph=mini_graph).rows


def _echo_sparql(value: str, **where: Any) -> list[dict[str, Any]]:
    from kg.rdf import sparql

    return sparql.select(sparql.bind("SELECT ?id WHERE { }", {"id": value}), **where)


@pytest.mark.parametrize("payload", INJECTIONS)
def test_payloads_arrive_byte_for_byte_on_the_embedded_engines(mini_graph, payload):
    from kg.cypher import engine

    assert engine.adhoc("RETURN $id AS echo", {"id": payload}, graph=mini_graph)[1] == [{"echo": payload}]
    assert engine.adhoc("RETURN $case AS echo", {"case": payload}, graph=mini_graph)[1] == [{"echo": payload}]
    assert _echo_sparql(payload, graph=mini_graph) == [{"id": payload}]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_round_trips_through_sparql_values(mini_graph, value):
    """Whatever the text, it is one literal: the query parses, binds it, and gives it back unchanged."""
    assert _echo_sparql(value, graph=mini_graph) == [{"id": value}]


@pytest.fixture(scope="module")
def neo(neo4j_server, mini_graph):
    """The session Neo4j, emptied, holding the mini corpus."""
    from kg.cypher import neo4jdb

    s = neo4j_server.settings
    with neo4jdb.driver(s).session(database=s.database) as session:
        session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
    neo4jdb.load(mini_graph, s)
    return s


def test_neo4j_keeps_parameters_as_data(neo):
    from kg.cypher import engine

    before = neo4j_fingerprint(neo)
    assert _inert(lambda name, params: api.query(name, params=params, lang="cypher", neo4j=neo), "neo4j") > 50
    for payload in INJECTIONS:
        assert engine.adhoc("RETURN $id AS echo", {"id": payload}, neo4j=neo)[1] == [{"echo": payload}]
        assert engine.adhoc("MATCH (p:Party) WHERE p.id = $id RETURN p.id AS id", {"id": payload}, neo4j=neo)[1] == []
    assert neo4j_fingerprint(neo) == before
    assert api.query("party-profile", params={"party": "alpha"}, lang="cypher", neo4j=neo).rows


@pytest.fixture(scope="module")
def fuseki(fuseki_server, mini_graph):
    """The session Fuseki, its default graph replaced by the mini corpus."""
    from kg.rdf import sparql

    sparql.push(mini_graph, fuseki_server.gsp_url, user=fuseki_server.user, password=fuseki_server.password)
    return fuseki_server


def test_fuseki_keeps_parameters_as_data(fuseki):
    ep = {"endpoint": fuseki.query_url, "user": fuseki.user, "password": fuseki.password}
    before = sparql_endpoint_fingerprint(fuseki)
    assert len(before) > 100
    assert _inert(lambda name, params: api.query(name, params=params, lang="sparql", **ep), "fuseki") > 50
    from kg.rdf import sparql

    remote = sparql.Endpoint.of(fuseki.query_url, fuseki.user, fuseki.password)
    for payload in INJECTIONS:
        assert _echo_sparql(payload, endpoint=remote) == [{"id": payload}]
    assert sparql_endpoint_fingerprint(fuseki) == before
    assert api.query("party-profile", params={"party": "alpha"}, lang="sparql", **ep).rows


# ------------------------------------------------------------------ writes refused


@pytest.mark.parametrize("text", CYPHER_WRITES)
def test_cypher_writes_refused_on_the_embedded_engine(mini_graph, text, capsys, monkeypatch):
    from kg.cypher import engine

    before = embedded_cypher_fingerprint(mini_graph)
    with pytest.raises(UsageError, match=r"^refused"):
        engine.adhoc(text, {}, graph=mini_graph)
    assert embedded_cypher_fingerprint(mini_graph) == before
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    code, out, err = cli(["cypher", text], capsys)
    assert code == 2 and out == "", (text, err)
    assert one_line_error(err).startswith("error: ")


def test_cypher_writes_refused_on_neo4j(neo, neo4j_server, capsys, monkeypatch):
    from kg.cypher import engine

    for k, v in neo4j_server.env().items():
        monkeypatch.setenv(k, v)
    before = neo4j_fingerprint(neo)
    for text in CYPHER_WRITES:
        with pytest.raises(UsageError, match=r"^refused"):
            engine.adhoc(text, {}, neo4j=neo)
        code, out, err = cli(["cypher", "--neo4j", text], capsys)
        assert code == 2 and out == "", (text, err)
        assert one_line_error(err).startswith("error: ")
    assert neo4j_fingerprint(neo) == before


def test_neo4j_planner_is_a_second_gate(neo):
    """Write procedures pass the keyword check (no writing keyword) and are refused by EXPLAIN's query type."""
    from kg.cypher import neo4jdb, readonly

    before = neo4j_fingerprint(neo)
    for text in ("CALL db.createLabel('Pwned')", "CALL db.createProperty('pwned')",
                 "MATCH (n) WITH n CALL db.createLabel('Pwned') RETURN count(*)"):
        readonly.check(text, "neo4j")  # the first gate lets it through...
        with pytest.raises(UsageError, match="refused: Neo4j plans this statement"):
            neo4jdb.read(neo, text, {})  # ...the planner does not
    assert neo4j_fingerprint(neo) == before


def test_query_command_takes_names_not_statements(neo, neo4j_server, fuseki, capsys, monkeypatch):
    """`negkg query` runs library questions only: a statement as NAME, or a payload as a value, changes nothing."""
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    for k, v in neo4j_server.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("NEGKG_SPARQL_USER", fuseki.user)
    monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", fuseki.password)
    before = neo4j_fingerprint(neo), sparql_endpoint_fingerprint(fuseki)
    engines = [[], ["--lang", "cypher"], ["--lang", "cypher", "--neo4j"], ["--lang", "sparql"],
               ["--lang", "sparql", "--endpoint", fuseki.query_url]]
    for eng in engines:
        for text in ("MATCH (n) DETACH DELETE n", "DROP ALL"):
            code, _, err = cli(["query", text, *eng], capsys)
            assert code == 2 and "unknown query" in one_line_error(err), (eng, err)
        for payload in ("}) DETACH DELETE n //", '"} ; DROP ALL ; #'):
            code, out, err = cli(["query", "party-profile", "--param", f"party={payload}", "--format", "json", *eng], capsys)
            assert code == 0 and json.loads(out) == [], (eng, err)
            code, out, err = cli(["query", "shared-interests", "--case", payload, "--format", "json", *eng], capsys)
            assert (code == 2 and "unknown case" in one_line_error(err)) or (code == 0 and json.loads(out) == []), (eng, err)
    assert (neo4j_fingerprint(neo), sparql_endpoint_fingerprint(fuseki)) == before


@pytest.mark.parametrize("text", SPARQL_UPDATES)
def test_sparql_updates_refused_on_the_embedded_store(mini_graph, text, capsys, monkeypatch):
    from kg.rdf import sparql

    before = embedded_sparql_fingerprint(mini_graph)
    with pytest.raises(UsageError):
        sparql.check_read_only(text)
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    code, out, err = cli(["sparql", text], capsys)
    assert code == 2 and out == "", (text, err)
    assert one_line_error(err).startswith("error: ")
    # the embedded store cannot run an update through the query path either
    with pytest.raises(UsageError):
        sparql.execute(text, graph=mini_graph)
    assert embedded_sparql_fingerprint(mini_graph) == before


def test_sparql_updates_refused_before_reaching_fuseki(fuseki, capsys, monkeypatch):
    monkeypatch.setenv("NEGKG_SPARQL_USER", fuseki.user)
    monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", fuseki.password)
    before = sparql_endpoint_fingerprint(fuseki)
    requests_before = fuseki.log.read_text(errors="replace").count("POST")
    for url in (fuseki.query_url, fuseki.update_url, fuseki.dataset_url):
        for text in SPARQL_UPDATES:
            code, out, err = cli(["sparql", "--endpoint", url, text], capsys)
            assert code == 2 and out == "", (url, text, err)
            assert one_line_error(err).startswith("error: ")
    assert fuseki.log.read_text(errors="replace").count("POST") == requests_before  # nothing was sent
    assert sparql_endpoint_fingerprint(fuseki) == before
