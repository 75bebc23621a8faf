"""The SPARQL library on a real Apache Jena Fuseki: push the corpus, then every library answer
equals the networkx-native one; credentials are checked and never printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.rdf import sparql
from tests.test_sparql import assert_same_answers, cli

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


@pytest.fixture(scope="module")
def corpus_graph(combined_graph):
    """The shipped corpus plus the analysis fixture (every branch of the definitions)."""
    return combined_graph


@pytest.fixture()
def creds(fuseki_server, monkeypatch):
    monkeypatch.setenv("NEGKG_SPARQL_USER", fuseki_server.user)
    monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", fuseki_server.password)
    return fuseki_server


def test_push_gsp_then_library_equals_native_on_shipped_corpus(creds, corpus_graph):
    if corpus_graph is None:
        pytest.skip("the shipped corpus has no cases yet")
    res = sparql.push(corpus_graph, creds.gsp_url)
    ep = sparql.Endpoint.of(creds.query_url)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert res["triples"] > 1000 and sparql.select(count, endpoint=ep) == [{"n": res["triples"]}]
    assert assert_same_answers(corpus_graph, endpoint=creds.query_url) > 50
    # pushing again replaces, it does not duplicate
    sparql.push(corpus_graph, creds.gsp_url)
    assert sparql.select(count, endpoint=ep) == [{"n": res["triples"]}]


def test_push_update_to_named_graph_then_library_on_mini(creds, mini_graph, capsys, monkeypatch):
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    graph_iri = "https://w3id.org/negotiation-kg/graph/test-mini"
    code, _out, err = cli(["push", "--sparql-endpoint", creds.update_url, "--protocol", "update",
                          "--graph", graph_iri], capsys)
    assert code == 0, err
    assert assert_same_answers(mini_graph, endpoint=creds.query_url, default_graph=graph_iri) > 20
    # the CLI, remotely, prints the same JSON as the native engine
    code, remote, _ = cli(["sparql", "--endpoint", creds.query_url, "--default-graph", graph_iri, "--format", "json",
                           "PREFIX dct: <http://purl.org/dc/terms/> PREFIX nkg: <https://w3id.org/negotiation-kg/ontology#>"
                           " SELECT ?id WHERE { ?p a nkg:Party ; dct:identifier ?id } ORDER BY ?id"], capsys)
    assert code == 0 and json.loads(remote) == [{"id": "alpha"}, {"id": "beta"}, {"id": "gamma"}]


def test_query_cli_with_endpoint(creds, corpus_graph, capsys, monkeypatch):
    if corpus_graph is None:
        pytest.skip("the shipped corpus has no cases yet")
    monkeypatch.setenv("NEGKG_DATA", str(ROOT / "data"))
    assert cli(["push", "--sparql-endpoint", creds.gsp_url], capsys)[0] == 0
    code, remote, err = cli(["query", "interest-provision-links", "--lang", "sparql", "--endpoint", creds.query_url,
                             "--format", "json"], capsys)
    assert code == 0, err
    _, native, _ = cli(["query", "interest-provision-links", "--format", "json"], capsys)
    assert json.loads(remote) == json.loads(native) and json.loads(native)


def test_bad_credentials_are_a_one_line_error_without_the_password(fuseki_server, capsys, monkeypatch):
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    monkeypatch.setenv("NEGKG_SPARQL_USER", fuseki_server.user)
    monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", "wrong-password-123")
    for args in (["push", "--sparql-endpoint", fuseki_server.gsp_url],
                 ["query", "trades", "--lang", "sparql", "--endpoint", fuseki_server.query_url],
                 ["sparql", "ASK {}", "--endpoint", fuseki_server.query_url]):
        code, _, err = cli(args, capsys)
        assert code == 1, args
        assert len(err.strip().splitlines()) == 1 and "refused the credentials (HTTP 401)" in err
        assert "wrong-password-123" not in err
    monkeypatch.delenv("NEGKG_SPARQL_USER")
    monkeypatch.delenv("NEGKG_SPARQL_PASSWORD")
    url = fuseki_server.query_url.replace("http://", f"http://{fuseki_server.user}:bad-secret-456@")
    code, _, err = cli(["sparql", "ASK {}", "--endpoint", url], capsys)
    assert code == 1 and "bad-secret-456" not in err and "refused the credentials" in err


def test_remote_update_is_refused_before_it_is_sent(creds, capsys):
    log_before = creds.log.read_text(errors="replace").count("POST")
    code, _, err = cli(["sparql", "DROP ALL", "--endpoint", creds.query_url], capsys)
    assert code == 2 and "read-only" in err
    assert creds.log.read_text(errors="replace").count("POST") == log_before
