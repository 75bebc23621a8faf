"""The SPARQL query library on the embedded engine (pyoxigraph) equals the networkx-native answers,
parameters are bound as terms, and ad-hoc SPARQL is read-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import api
from kg.queries import LIBRARY, parse_header, query_file
from kg.rdf import sparql
from tests.equivalence import library_calls
from tests.security_helpers import cli

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def assert_same_answers(g, **engine_options) -> int:
    """Every library call answered by SPARQL equals the native answer; returns how many were compared."""
    n = 0
    for name, params in library_calls(g):
        native = api.query(name, params=params, graph=g).rows
        other = api.query(name, params=params, graph=g, lang="sparql", **engine_options).rows
        assert other == native, (name, params)
        n += 1
    return n


def test_every_library_query_has_a_sparql_file_with_the_right_header():
    files = {p.stem for p in (ROOT / "queries" / "sparql").glob("*.rq")}
    assert files == set(LIBRARY)
    for name, q in LIBRARY.items():
        assert parse_header(query_file(name, "sparql").read_text()) == q.header(), name


def test_embedded_equals_native_on_mini(mini_graph):
    assert assert_same_answers(mini_graph) > 20
    # the mini corpus exercises every column kind: check a few answers by hand
    rows = api.query("interest-provision-links", graph=mini_graph, lang="sparql").rows
    assert {(r["provision"], r["interest"], r["shared"]) for r in rows} == {
        ("river-1990/dam-and-canals", "river-1990/alpha-irrigation", False),
        ("river-1990/dam-and-canals", "river-1990/beta-power", False),
        ("river-1990/joint-commission", "river-1990/stability", True),
    }
    dam = next(r for r in rows if r["interest"] == "river-1990/beta-power")
    assert dam["sources"] == ["river-1990/treaty @ Art. 2(2)", "smith-2001 @ p. 30"]
    mix = api.query("mechanism-mix", graph=mini_graph, lang="sparql").rows
    assert {(r["mechanism"], r["integrative"], r["provisions"], r["value_creating"]) for r in mix} == {
        ("bridging", True, 1, 1), ("expanding-the-pie", True, 1, 1), ("deferral", False, 1, 0)}
    prof = api.query("party-profile", params={"party": "gamma"}, graph=mini_graph, lang="sparql").rows
    assert prof == [{"negotiation": "river-1990", "domain": "commons", "role": "mediator", "interest": None,
                     "interest_name": None, "category": None, "salience": None}]


def test_embedded_equals_native_on_the_analysis_fixture(analysis_graph):
    assert assert_same_answers(analysis_graph) > 40


def test_embedded_equals_native_on_the_shipped_corpus(graph):
    if not any(d["type"] == "Negotiation" for _, d in graph.nodes(data=True)):
        pytest.skip("the shipped corpus has no cases yet")
    assert assert_same_answers(graph) > 50


def test_store_is_cached_per_graph(mini_graph):
    assert sparql.store_for(mini_graph) is sparql.store_for(mini_graph)


HOSTILE = ['x" } } ; DROP ALL ; #', "x'><script>", "a\\\" .\n} SELECT * {", "river-1990\" || true || \""]


@pytest.mark.parametrize("value", HOSTILE)
def test_parameters_are_bound_as_terms(value, mini_graph):
    from rdflib.plugins.sparql import parser

    q = LIBRARY["positions-and-interests"]
    text = sparql.bind(sparql.query_text(q), {"case": value, "party": None})
    parser.parseQuery(text)  # still one well-formed query
    assert sparql.run(q, {"case": value, "party": None}, graph=mini_graph) == []
    assert sparql.run(LIBRARY["evidence"], {"id": value}, graph=mini_graph) == []
    assert sparql.run(q, {"case": "river-1990", "party": "alpha"}, graph=mini_graph)


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX x: <urn:x#> DELETE { ?s ?p ?o } INSERT { ?s x:p 1 } WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://example.org/x.ttl>",
    "CREATE GRAPH <urn:g>",
    "COPY DEFAULT TO <urn:g>",
])
def test_ad_hoc_updates_are_refused(update):
    with pytest.raises(sparql.UsageError, match="read-only"):
        sparql.check_read_only(update)


def test_read_only_check_parses_rather_than_matching_text():
    q = 'SELECT ?x WHERE { BIND("DROP ALL; INSERT DATA {}" AS ?x) }'
    assert sparql.check_read_only(q) == "select"
    assert sparql.check_read_only("ASK { ?s ?p ?o }") == "ask"
    assert sparql.check_read_only("CONSTRUCT WHERE { ?s ?p ?o }") == "construct"
    with pytest.raises(sparql.UsageError, match="not a valid SPARQL query"):
        sparql.check_read_only("SELECT WHERE")


def test_cli_query_sparql_json_equals_native(monkeypatch, capsys):
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    code, out, _ = cli(["query", "shared-interests", "--lang", "sparql", "--format", "json"], capsys)
    assert code == 0
    code, native, _ = cli(["query", "shared-interests", "--format", "json"], capsys)
    assert json.loads(out) == json.loads(native) == [{
        "negotiation": "river-1990", "interest": "river-1990/stability", "interest_name": "Regional stability",
        "category": "security", "parties": ["alpha", "beta"]}]
    code, out, _ = cli(["query", "mechanism-mix", "--lang", "sparql", "--format", "sparql-json"], capsys)
    doc = json.loads(out)
    assert doc["head"]["vars"] == list(LIBRARY["mechanism-mix"].columns)
    b = next(x for x in doc["results"]["bindings"] if x["mechanism"]["value"] == "bridging")
    assert b["integrative"] == {"type": "literal", "value": "true",
                                "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}


def test_cli_sparql_ad_hoc(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    q = ("PREFIX nkg: <https://w3id.org/negotiation-kg/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
         "SELECT ?id (COUNT(?i) AS ?n) WHERE { ?p a nkg:Party ; dct:identifier ?id ; nkg:hasInterest ?i } "
         "GROUP BY ?id ORDER BY ?id")
    code, out, _ = cli(["sparql", q, "--format", "json"], capsys)
    assert code == 0 and json.loads(out) == [{"id": "alpha", "n": 2}, {"id": "beta", "n": 3}]
    f = tmp_path / "q.rq"
    f.write_text(q)
    code, out, _ = cli(["sparql", "--file", str(f), "--format", "csv"], capsys)
    assert out.splitlines() == ["id,n", "alpha,2", "beta,3"]
    code, out, _ = cli(["sparql", "ASK { ?s ?p ?o }"], capsys)
    assert (code, out.strip()) == (0, "true")


def test_cli_sparql_refuses_update_before_running(monkeypatch, capsys):
    monkeypatch.setenv("NEGKG_DATA", "/nonexistent")  # nothing is loaded: the refusal comes first
    code, out, err = cli(["sparql", "DELETE WHERE { ?s ?p ?o }"], capsys)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == ["error: SPARQL Update is not allowed here (read-only): refusing DeleteWhere"]


def test_unreachable_endpoint_is_a_one_line_error(monkeypatch, capsys):
    import socket

    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://someone:hunter2@127.0.0.1:{port}/ds/query"
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    for args in (["query", "trades", "--lang", "sparql", "--endpoint", url],
                 ["sparql", "ASK {}", "--endpoint", url],
                 ["push", "--sparql-endpoint", url]):
        code, _, err = cli(args, capsys)
        assert code == 1, args
        assert len(err.strip().splitlines()) == 1 and "cannot reach SPARQL endpoint" in err
        assert "hunter2" not in err and "someone" not in err
