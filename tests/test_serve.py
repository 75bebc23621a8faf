"""``negkg serve``: the workbench's API and the /sparql endpoint, driven over HTTP by real clients.

One server (the mini corpus, a 2-second time limit, a 50-row cap) serves the module. SPARQLWrapper,
rdflib's SPARQLStore and Jena's own ``rsparql`` (from the Fuseki jars, when Java and Maven are there) query
/sparql and must get the rows ``negkg sparql`` prints.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from kg import api
from tests.serve_helpers import MINI, ROOT, get, serve

TIMEOUT = 2.0
MAX_ROWS = 50

SELECT = "SELECT ?party ?name WHERE { ?party a nkg:Party ; dcterms:title ?name } ORDER BY ?party"
TYPED = ("SELECT ?i (COUNT(?p) AS ?n) (SAMPLE(?cat) AS ?c) (STRLANG(\"x\", \"en\") AS ?l) WHERE { ?i a nkg:Interest ; "
         "nkg:inCategory ?cat . OPTIONAL { ?p nkg:hasInterest ?i } } GROUP BY ?i ORDER BY ?i")
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?s }"


@pytest.fixture(scope="module")
def server():
    with serve("--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS)) as s:
        yield s


def _cli_sparql(text: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "kg", "--data", str(MINI), "sparql", text, "--format", "sparql-json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _rows(doc: dict) -> list[dict]:
    """Bindings as comparable rows (term type, value, datatype/lang)."""
    return [{k: (v["type"].replace("typed-literal", "literal"), v["value"], v.get("datatype", v.get("xml:lang")))
             for k, v in b.items()} for b in doc["results"]["bindings"]]


def _sparql_url(server, query: str, **extra: str) -> str:
    return f"{server.base}/sparql?" + urllib.parse.urlencode({"query": query, **extra})


# --- the workbench API ------------------------------------------------------------------------------

def test_library_query_runs_on_every_engine_with_csv_and_json_downloads(server, mini_graph):
    expected = api.query("shared-interests", case="river-1990", graph=mini_graph)
    for lang in ("native", "cypher", "sparql"):
        status, _, body = get(f"{server.base}/api/run?q=shared-interests&lang={lang}&p.case=river-1990")
        assert status == 200, body
        res = json.loads(body)
        assert res["columns"] == list(expected.columns) and res["rows"] == expected.rows, lang
    status, headers, body = get(f"{server.base}/api/run?q=shared-interests&p.case=river-1990&format=csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert "attachment" in headers["content-disposition"]
    assert body.decode() == expected.to_csv()
    status, _, body = get(f"{server.base}/api/run?q=shared-interests&p.case=river-1990&format=json")
    assert json.loads(body) == expected.rows


def test_library_forms_come_from_the_library_and_the_graph(server, mini_graph):
    from kg.queries import LIBRARY

    meta = json.loads(get(f"{server.base}/api/meta")[2])
    assert [q["name"] for q in meta["library"]] == list(LIBRARY)
    for q in meta["library"]:
        assert [p["name"] for p in q["params"]] == [p.name for p in LIBRARY[q["name"]].params]
    cases = sorted(d["id"] for _, d in mini_graph.nodes(data=True) if d["type"] == "Negotiation")
    parties = sorted(d["id"] for _, d in mini_graph.nodes(data=True) if d["type"] == "Party")
    assert [v[0] for v in meta["values"]["Negotiation"]] == cases
    assert [v[0] for v in meta["values"]["Party"]] == parties
    assert {lb["label"] for lb in meta["cypher_schema"]["labels"]} >= {"Party", "Provision"}
    assert meta["sparql_schema"]["prefixes"]["dcterms"] == "http://purl.org/dc/terms/"


def test_bad_parameters_are_one_line_400s(server):
    for url, needle in (("/api/run?q=no-such-question", "unknown query"),
                        ("/api/run?q=party-profile", "needs the parameter 'party'"),
                        ("/api/run?q=shared-interests&p.case=atlantis", "unknown case"),
                        ("/api/run?cypher=MATCH%20(n)%20DETACH%20DELETE%20n", "refused"),
                        ("/api/run", "give one of")):
        status, headers, body = get(server.base + url)
        assert status == 400 and needle in body.decode(), (url, body)
        assert headers["content-type"].startswith("text/plain") and body.decode().count("\n") == 1


def test_adhoc_cypher_and_sparql_consoles(server):
    q = urllib.parse.urlencode({"cypher": "MATCH (p:Party {id: $id})-[h:HAS_INTEREST]->(i) RETURN p, h, i.id AS interest, "
                                          "p.nope AS nope ORDER BY interest", "p.id": "alpha"})
    res = json.loads(get(f"{server.base}/api/run?{q}")[2])
    row = res["rows"][0]
    assert row["p"] == {"id": "alpha", "labels": ["Party"], "properties": row["p"]["properties"]}
    assert row["h"]["type"] == "HAS_INTEREST" and row["h"]["start"] == "alpha" and row["h"]["end"] == row["interest"]
    assert row["nope"] is None
    res = json.loads(get(f"{server.base}/api/run?" + urllib.parse.urlencode({"sparql": SELECT}))[2])
    assert res["columns"] == ["party", "name"] and len(res["rows"]) == 3
    res = json.loads(get(f"{server.base}/api/run?" + urllib.parse.urlencode({"sparql": "ASK { ?s a nkg:Party }"}))[2])
    assert res == {**res, "kind": "boolean", "boolean": True}
    big = urllib.parse.urlencode({"cypher": "UNWIND range(1, 1000) AS x RETURN x"})
    res = json.loads(get(f"{server.base}/api/run?{big}")[2])
    assert len(res["rows"]) == MAX_ROWS and res["truncated"] and f"first {MAX_ROWS} rows" in res["message"]
    status, _, body = get(f"{server.base}/api/run?{big}&format=csv")
    assert status == 400 and f"more than {MAX_ROWS} rows" in body.decode()


def test_export_report_and_view_of_a_result(server):
    import networkx as nx

    src = "q=shared-interests&p.case=river-1990"
    status, headers, body = get(f"{server.base}/api/export?{src}&format=graphml")
    assert status == 200 and "attachment" in headers["content-disposition"]
    g = nx.read_graphml(io.BytesIO(body))
    assert "Interest:river-1990/stability" in g and "Party:alpha" in g
    status, headers, body = get(f"{server.base}/report?{src}&format=html")
    assert status == 200 and headers["content-type"].startswith("text/html") and b"Regional stability" in body
    adhoc = urllib.parse.urlencode({"cypher": "MATCH (p:Party {id: 'beta'}) RETURN p"})
    status, _, body = get(f"{server.base}/api/export?{adhoc}&format=nodelink")
    assert status == 200 and "beta" in {n["id"] for n in json.loads(body)["nodes"]}
    status, headers, body = get(f"{server.base}/view?{src}")
    assert status == 200 and b"negkg-data" in body and "frame-ancestors 'self'" in headers["content-security-policy"]
    status, _, body = get(f"{server.base}/gallery/index.html")
    assert status == 200 and b"case-river-1990.html" in body


# --- /sparql with real clients ------------------------------------------------------------------------

def test_sparqlwrapper_gets_the_rows_of_negkg_sparql(server):
    from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

    for text in (SELECT, TYPED):
        expected = _cli_sparql(text)
        for method in ("GET", "POST"):
            w = SPARQLWrapper(f"{server.base}/sparql")
            w.setQuery(text)
            w.setMethod(method)
            w.setReturnFormat(JSON)
            got = w.query().convert()
            assert got["head"]["vars"] == expected["head"]["vars"]
            assert _rows(got) == _rows(expected), method
        w.setMethod("GET")
        w.setReturnFormat(XML)
        doc = w.query().convert()  # an xml.dom Document
        assert len(doc.getElementsByTagName("result")) == len(expected["results"]["bindings"])
        for fmt in (CSV, TSV):
            w.setReturnFormat(fmt)
            lines = w.query().convert().decode().strip().splitlines()
            assert len(lines) == len(expected["results"]["bindings"]) + 1


def test_rdflib_sparqlstore_gets_the_rows_of_negkg_sparql(server):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    expected = _cli_sparql(SELECT)
    g = Graph(store=SPARQLStore(f"{server.base}/sparql"))
    prefixes = "PREFIX nkg: <https://w3id.org/negotiation-kg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    got = [(str(r.party), str(r.name)) for r in g.query(prefixes + SELECT)]
    assert got == [(b["party"]["value"], b["name"]["value"]) for b in expected["results"]["bindings"]]


def test_construct_and_describe_as_turtle_and_jsonld(server):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    text = "CONSTRUCT { ?p a nkg:Party ; dct:title ?n } WHERE { ?p a nkg:Party ; dct:title ?n }"
    cli = subprocess.run([sys.executable, "-m", "kg", "--data", str(MINI), "sparql", text], capture_output=True,
                         text=True, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL)
    expected = Graph().parse(data=cli.stdout, format="nt")
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
        status, headers, body = get(_sparql_url(server, text), {"Accept": accept})
        assert status == 200 and headers["content-type"].startswith(accept), accept
        assert isomorphic(Graph().parse(data=body, format=fmt), expected), accept
    status, _, body = get(_sparql_url(server, "DESCRIBE <https://w3id.org/negotiation-kg/id/party/alpha>"))
    assert status == 200 and len(Graph().parse(data=body, format="turtle")) > 3


def test_jena_rsparql_gets_the_rows_of_negkg_sparql(server, tmp_path):
    if not (shutil.which("java") and shutil.which("mvn")):
        pytest.skip("Jena's client needs java and mvn (docs/testing.md)")
    from tests.plugins.fuseki import classpath

    q = tmp_path / "q.rq"
    q.write_text("PREFIX nkg: <https://w3id.org/negotiation-kg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                 + SELECT)
    out = subprocess.run(["java", "-cp", classpath(), "arq.rsparql", "--service", f"{server.base}/sparql",
                          "--query", str(q), "--results", "JSON"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert _rows(json.loads(out.stdout)) == _rows(_cli_sparql(SELECT))


def test_endpoint_refusals_are_clear(server):
    cases = [
        (get(f"{server.base}/sparql", data=b"update=DROP+ALL", method="POST",
             headers={"Content-Type": "application/x-www-form-urlencoded"}), 403, "Update"),
        (get(f"{server.base}/sparql", data=b"DROP ALL", method="POST",
             headers={"Content-Type": "application/sparql-update"}), 403, "Update"),
        (get(_sparql_url(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")), 403, "SERVICE"),
        (get(f"{server.base}/sparql", data=b"query=ASK%7B%7D", method="POST",
             headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"}),
         403, "cross-origin"),
        (get(_sparql_url(server, "SELECT * WHERE {\n ?s foo:bar ?o }")), 400, "(line 2, column"),
        (get(_sparql_url(server, "SELECT * WHERE { ?s ?p ?o }")), 400, f"more than {MAX_ROWS} rows"),
        (get(f"{server.base}/sparql"), 400, "give exactly one query"),
        (get(f"{server.base}/sparql", method="PUT", data=b""), 405, "read-only"),
        (get(f"{server.base}/sparql?query=ASK%7B%7D", headers={"Host": "attacker.example"}), 400, "Host"),
    ]
    for (status, headers, body), want, needle in cases:
        assert status == want and needle in body.decode(), (want, needle, status, body)
        assert body.decode().count("\n") == 1 and headers["content-type"].startswith("text/plain")
    status, _, body = get(f"{server.base}/sparql", data=b"ASK {}", method="POST",
                          headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_headers_keep_pages_and_data_inert(server):
    import base64
    import hashlib
    import re

    status, headers, body = get(server.base + "/")
    csp = headers["content-security-policy"]
    script = re.search(rb"<script>(.*?)</script>", body, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    assert f"'sha256-{digest}'" in csp and "default-src 'none'" in csp and "connect-src 'self'" in csp
    assert body.count(b"<script") == 1 and headers["x-content-type-options"] == "nosniff"
    status, headers, _ = get(_sparql_url(server, "ASK {}"), {"Origin": "https://evil.example"})
    assert status == 200 and "access-control-allow-origin" not in headers
    assert headers["content-security-policy"].startswith("default-src 'none'")


def test_pathological_query_is_stopped_while_another_client_is_answered(server):
    slow: dict = {}

    def pathological() -> None:
        t0 = time.monotonic()
        slow["status"], _, slow["body"] = get(_sparql_url(server, PATHOLOGICAL))
        slow["seconds"] = time.monotonic() - t0

    t = threading.Thread(target=pathological)
    t.start()
    time.sleep(0.3)
    answered = []
    while t.is_alive() and len(answered) < 5:
        t0 = time.monotonic()
        status, _, _ = get(f"{server.base}/api/run?q=shared-interests")
        answered.append((status, time.monotonic() - t0))
    t.join(30)
    assert slow["status"] == 503 and b"time limit" in slow["body"], slow
    assert TIMEOUT <= slow["seconds"] < TIMEOUT + 3, slow
    assert answered and all(s == 200 and secs < TIMEOUT for s, secs in answered), answered
    assert get(f"{server.base}/api/run?q=shared-interests")[0] == 200  # and afterwards too


def test_access_token_guards_every_path(tmp_path):
    from http.cookies import SimpleCookie

    with serve("--workers", "1", env={"NEGKG_SERVE_TOKEN": "s3cret-token"}) as s:
        assert s.url.endswith("?token=s3cret-token")
        for path in ("/", "/api/meta", "/sparql?query=ASK%7B%7D", "/gallery/index.html"):
            assert get(s.base + path)[0] == 401, path
        assert get(s.base + "/api/meta", {"Authorization": "Bearer wrong"})[0] == 401
        assert get(s.base + "/api/meta", {"Authorization": "Bearer s3cret-token"})[0] == 200
        status, headers, _ = get(s.url)
        cookie = SimpleCookie(headers["set-cookie"])
        assert status == 200 and cookie["negkg_token"]["httponly"] and cookie["negkg_token"]["samesite"] == "Strict"
        assert get(s.base + "/api/meta", {"Cookie": "negkg_token=s3cret-token"})[0] == 200


def test_beyond_loopback_needs_a_token():
    from kg.errors import UsageError
    from kg.serve import serve as serve_
    from kg.serve.config import Config

    with pytest.raises(UsageError, match="needs an access token"):
        serve_(Config(host="0.0.0.0", data_dir=str(MINI)))


def test_csv_rows_parse_back(server):
    status, _, body = get(f"{server.base}/api/run?q=mechanism-mix&format=csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    from kg.queries import LIBRARY

    assert status == 200 and rows and list(rows[0]) == list(LIBRARY["mechanism-mix"].columns)
    assert {r["family"] for r in rows} <= {"integrative", "distributive", "deferral", "other"}
