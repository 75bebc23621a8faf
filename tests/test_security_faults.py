"""Faults: servers unreachable, credentials wrong, malformed addresses, and Neo4j stopped in the middle of a load.

Every failure is one line on stderr, exit 1 (runtime) or 2 (bad input), never a traceback. The
stop-mid-load test starts its own Neo4j instances with the launcher of servers/neo4j (as
tests/plugins/neo4j.py does) and kills one, so the session server is not disturbed; a rerun then
completes with exact counts and no duplicates, and readers polling during ``--case`` replacements
only ever see whole cases. Tests without a server run everywhere; the others skip without Java
(and fail under CI=true).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg import api
from tests.conftest import MINI
from tests.security_helpers import ROOT, cli, closed_port, one_line_error, run

pytestmark = [pytest.mark.timeout(300), pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")]

BAD = "Wr0ng-hunter2-Passw0rd"


def commands(neo4j_uri: str, sparql_base: str) -> list[list[str]]:
    """The six commands that talk to a server, pointed at the given Neo4j URI and SPARQL dataset URL."""
    neo = ["--neo4j-uri", neo4j_uri]
    return [
        ["load-neo4j", *neo],
        ["query", "shared-interests", "--lang", "cypher", "--neo4j", *neo],
        ["cypher", "--neo4j", "MATCH (n) RETURN count(n)", *neo],
        ["push", "--sparql-endpoint", sparql_base + "/data"],
        ["query", "shared-interests", "--lang", "sparql", "--endpoint", sparql_base + "/query"],
        ["sparql", "--endpoint", sparql_base + "/query", "ASK {}"],
    ]


def test_unreachable_servers_are_one_line_errors(capsys, monkeypatch):
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    monkeypatch.setenv("NEO4J_PASSWORD", BAD)
    monkeypatch.setenv("NEGKG_SPARQL_USER", "alice")
    monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", BAD)
    port = closed_port()
    for args in commands(f"bolt://127.0.0.1:{port}", f"http://127.0.0.1:{port}/ds"):
        code, out, err = cli(args, capsys)
        line = one_line_error(err)
        assert code == 1 and out == "", (args, err)
        assert f"127.0.0.1:{port}" in line and ("unreachable" in line or "cannot reach" in line), line
        assert BAD not in err


def test_unreachable_server_in_a_real_process():
    """The same through the installed entry point: exit 1, one line, no traceback."""
    port = closed_port()
    for args in (["load-neo4j", "--uri", f"neo4j://127.0.0.1:{port}"],
                 ["sparql", "--endpoint", f"http://127.0.0.1:{port}/ds/query", "ASK {}"]):
        res = run(["--data", str(MINI), *args], env={"NEO4J_PASSWORD": BAD})
        assert res.returncode == 1 and res.stdout == "", res.stderr
        assert one_line_error(res.stderr).startswith("error: ")


def test_malformed_addresses_are_bad_input(capsys, monkeypatch):
    """Unparsable URLs (bad port, broken IPv6, wrong scheme): exit 2, one line, and the password is not shown."""
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    for base in (f"http://alice:{BAD}@127.0.0.1:notaport/ds", f"http://alice:{BAD}@[::1/ds", f"ftp://alice:{BAD}@h/ds"):
        for args in commands("bolt://127.0.0.1:1", base)[3:]:
            code, out, err = cli(args, capsys)
            assert code == 2 and out == "", (args, err)
            assert "not an http(s) URL" in one_line_error(err) and BAD not in err
    for uri in (f"bolt://alice:{BAD}@127.0.0.1:notaport", f"bolt://alice:{BAD}@[::1", f"http://alice:{BAD}@127.0.0.1:7687"):
        for args in commands(uri, "http://127.0.0.1:1/ds")[:3]:
            code, out, err = cli(args, capsys)
            assert code == 2 and out == "", (args, err)
            assert "invalid Neo4j URI" in one_line_error(err) and BAD not in err


def test_a_failing_service_call_on_the_embedded_store_is_one_line(capsys, monkeypatch):
    """SPARQL SERVICE (allowed) makes the embedded store call out; a failure is a runtime error, not a traceback."""
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    port = closed_port()
    code, out, err = cli(["sparql", "--allow-service",
                          f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"], capsys)
    assert code == 1 and out == "" and one_line_error(err).startswith("error: SPARQL (embedded store): ")


def test_wrong_credentials_are_one_line_errors(neo4j_server, fuseki_server, capsys, monkeypatch):
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", BAD)
    monkeypatch.setenv("NEGKG_SPARQL_USER", fuseki_server.user)
    monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", BAD)
    for args in commands(neo4j_server.uri, fuseki_server.dataset_url):
        code, out, err = cli(args, capsys)
        line = one_line_error(err)
        assert code == 1 and out == "", (args, err)
        assert "refused the credentials" in line and BAD not in err, line
    # no credentials at all for Fuseki: refused too
    monkeypatch.delenv("NEGKG_SPARQL_USER")
    monkeypatch.delenv("NEGKG_SPARQL_PASSWORD")
    code, _, err = cli(["sparql", "--endpoint", fuseki_server.query_url, "ASK {}"], capsys)
    assert code == 1 and "HTTP 401" in one_line_error(err)


# ------------------------------------------------------------------ Neo4j stopped mid-load


@contextlib.contextmanager
def neo4j_instance(tmp: Path) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, str]]]:
    """A separate Neo4j (the session fixture's launcher), yielded as (process, NEO4J_* variables); stopped afterwards."""
    from tests.plugins.neo4j import launch

    with launch(tmp) as (proc, server):
        yield proc, server.env()


def _settings(env: dict[str, str]) -> Any:
    from kg.cypher.neo4jdb import Settings

    return Settings(env["NEO4J_URI"], env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"])


def _expected(g: Any) -> dict[str, int]:
    s = api.summary(g)
    return dict(sorted({**s["nodes"], **s["edges"], "nodes": s["total_nodes"], "relationships": s["total_edges"]}.items()))


def _wait_for_a_committed_case(settings: Any, loader: subprocess.Popen[str], timeout: float = 120) -> int:
    """Poll until the load has committed at least one negotiation; return how many it has."""
    from kg.cypher import neo4jdb

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert loader.poll() is None, "the load finished before it could be interrupted"
        _, rows = neo4jdb.read(settings, "MATCH (n:Negotiation) RETURN count(n) AS c", {})
        if rows[0]["c"] >= 1:
            return rows[0]["c"]
        time.sleep(0.05)
    raise AssertionError("no negotiation was committed in time")


def _no_duplicates(settings: Any) -> None:
    from kg.cypher import neo4jdb

    _, rows = neo4jdb.read(settings, "MATCH (n) WITH labels(n) AS l, n.id AS id, count(*) AS c WHERE c > 1 "
                                     "RETURN l, id, c LIMIT 5", {})
    assert rows == []
    _, rows = neo4jdb.read(settings, "MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, count(*) AS c WHERE c > 1 "
                                     "RETURN a.id AS a, b.id AS b, t, c LIMIT 5", {})
    assert rows == []


def test_neo4j_stopped_mid_load_then_rerun(tmp_path):
    """On a separate server: kill the loader mid-load, rerun: exact counts, no duplicates. Replace a case
    repeatedly while reading: readers only see whole cases. Then kill the server during a load: exit 1, one line."""
    from kg import synth
    from kg.cypher import neo4jdb

    corpus = synth.generate(12, seed=5, out_dir=tmp_path / "corpus")  # fixed data, apart from the shipped corpus
    graph = api.graph(data_dir=corpus)
    data = ["--data", str(corpus)]
    want = _expected(graph)
    with neo4j_instance(tmp_path) as (server, env):
        s = _settings(env)
        # 1. the loader dies mid-load; a rerun completes exactly, and again
        loader = _start_load(data, env)
        committed = _wait_for_a_committed_case(s, loader)
        loader.send_signal(signal.SIGKILL)
        loader.communicate(timeout=60)
        partial = neo4jdb.counts(s)
        assert committed >= 1 and partial["nodes"] < want["nodes"]
        _no_duplicates(s)
        res = run([*data, "load-neo4j"], env=env)
        assert res.returncode == 0, res.stderr
        assert neo4jdb.counts(s) == want
        _no_duplicates(s)
        assert run([*data, "load-neo4j", "--batch-size", "7"], env=env).returncode == 0
        assert neo4jdb.counts(s) == want
        # 2. readers during --case replacements see the whole case, never half of it
        _readers_see_whole_cases(graph, s)
        assert neo4jdb.counts(s) == want
        _no_duplicates(s)
        # 3. the server dies in the middle of a load
        with neo4jdb.driver(s).session() as session:
            session.run("MATCH (n) DETACH DELETE n").consume()
        loader = _start_load(data, env)
        _wait_for_a_committed_case(s, loader)
        server.kill()
        server.wait(30)
        out, err = loader.communicate(timeout=120)
        neo4jdb.close_all()
        assert loader.returncode == 1 and out == "", err
        line = one_line_error(err)
        assert line.startswith(f"error: Neo4j at {env['NEO4J_URI']}") and env["NEO4J_PASSWORD"] not in err, line


def _start_load(data: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """``negkg load-neo4j`` one row per statement (a slow load, to interrupt), in its own process."""
    return subprocess.Popen([*_cmd(), *data, "load-neo4j", "--batch-size", "1"], cwd=ROOT, text=True,
                            env={**_clean_env(), **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _readers_see_whole_cases(graph: Any, s: Any) -> None:
    """Replace the largest case several times while a reader counts its parts; every count is the whole case's.

    Each probe is one short query. (A single long query spanning a commit can mix states: Neo4j reads
    at read-committed isolation. What must never be visible is a committed half case.)
    """
    from kg.cypher import neo4jdb

    cases = sorted(d["id"] for _, d in graph.nodes(data=True) if d["type"] == "Negotiation")
    case = max(cases, key=lambda c: sum(1 for _, d in graph.nodes(data=True) if d.get("negotiation") == c))
    probes = {
        "own nodes": "MATCH (n {negotiation: $case}) RETURN count(n) AS c",
        "negotiation": "MATCH (n:Negotiation {id: $case}) RETURN count(n) AS c",
        "provisions": "MATCH (p:Provision {negotiation: $case}) RETURN count(p) AS c",
        "serves": "MATCH (:Provision {negotiation: $case})-[r:SERVES]->() RETURN count(r) AS c",
    }
    want = {k: neo4jdb.read(s, q, {"case": case})[1][0]["c"] for k, q in probes.items()}
    assert want["own nodes"] == sum(1 for _, d in graph.nodes(data=True) if d.get("negotiation") == case)
    assert want["negotiation"] == 1 and want["serves"] > 0
    done = threading.Event()
    errors: list[BaseException] = []

    def replace() -> None:
        try:
            for _ in range(3):
                neo4jdb.load(graph, s, case=case, batch_size=1)
        except BaseException as e:  # reported by the main thread
            errors.append(e)
        finally:
            done.set()

    seen: list[tuple[str, int]] = []
    t = threading.Thread(target=replace)
    t.start()
    while not done.is_set():
        for k, q in probes.items():
            seen.append((k, neo4jdb.read(s, q, {"case": case})[1][0]["c"]))
    t.join()
    assert errors == []
    assert len(seen) >= 20
    assert [(k, c) for k, c in seen if c != want[k]] == []  # never half a case, never an empty one


def _cmd() -> list[str]:
    import sys

    return [sys.executable, "-m", "kg"]


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "NEGKG_SPARQL_", "NEGKG_DEBUG"))}


# ------------------------------------------------------------------------ not the server we expected


def test_a_non_neo4j_service_on_the_bolt_port_is_one_line(capsys, monkeypatch):
    """An HTTP server, a server speaking nonsense and a silent one on the bolt port: one line, exit 1 (a
    traceback before, for the nonsense), within the connection timeout."""
    import time

    from tests.security_helpers import FakeServer, http_reply

    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    monkeypatch.setattr("kg.cypher.neo4jdb.CONNECT_TIMEOUT", 2.0)
    replies = {"http": (lambda req: http_reply("400 Bad Request", b"not bolt"), ("bolt", "neo4j")),
               "nonsense": (lambda req: b"\x00\x00\x05\x04garbage", ("bolt", "neo4j")),
               "silent": (lambda req: None, ("bolt",))}
    for name, (reply, schemes) in replies.items():
        with FakeServer(reply, raw=True) as server:
            for scheme in schemes:
                t0 = time.monotonic()
                code, out, err = cli(["cypher", "--neo4j", "--uri", f"{scheme}://127.0.0.1:{server.port}", "RETURN 1"],
                                     capsys)
                assert time.monotonic() - t0 < 20
                line = one_line_error(err)
                assert code == 1 and out == "" and f"127.0.0.1:{server.port}" in line, (name, line)


# ------------------------------------------------------------------------ SPARQL SERVICE


SERVICE = "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c OPTIONAL { { SERVICE <http://127.0.0.1:{port}/s> { ?s ?p ?o } } UNION { ?x ?y ?z } } }",
    "SELECT * WHERE { SERVICE#comment\n<http://127.0.0.1:{port}/s> { ?s ?p ?o } }",
    "PREFIX s: <http://127.0.0.1:{port}/> SELECT * WHERE { BIND(s:x AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "ASK { FILTER EXISTS { SERVICE <http://127.0.0.1:{port}/s> { ?s ?p ?o } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:{port}/s> { ?s ?p ?o } }",
])
def test_service_is_refused_unless_allowed(query, capsys, monkeypatch):
    """Ad-hoc SERVICE reached any host; now refused (exit 2) before anything is sent, embedded or remote."""
    from tests.security_helpers import FakeServer, http_reply

    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    with FakeServer(lambda req: http_reply("200 OK", b"{}", "application/sparql-results+json")) as server:
        text = query.replace("{port}", str(server.port))
        for args in (["sparql", text], ["sparql", "--endpoint", f"http://127.0.0.1:{server.port}/q", text]):
            code, _out, err = cli(args, capsys)
            assert code == 2 and "SERVICE is refused" in one_line_error(err), (args, err)
        assert server.requests == []


def test_service_is_refused_by_the_api_by_default():
    from kg.errors import UsageError
    from kg.rdf import sparql

    g = api.graph(data_dir=MINI)
    with pytest.raises(UsageError, match="SERVICE is refused"):
        sparql.execute(SERVICE.format(port=1), graph=g)
    with pytest.raises(UsageError, match="SERVICE is refused"):
        sparql.check_read_only(SERVICE.format(port=1))
    for harmless in ('SELECT ?service WHERE { ?service ?p "SERVICE" }', "PREFIX ex: <http://x/> SELECT * { ?s ex:SERVICE ?o }",
                     "SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE <http://h/>"):
        assert sparql.check_read_only(harmless) in ("select",)
        sparql.execute(harmless, graph=g)


def test_an_allowed_service_has_a_deadline():
    """A silent server made SERVICE wait over 200 s; with --allow-service the query has --service-timeout seconds."""
    import time

    from tests.security_helpers import FakeServer

    with FakeServer(lambda req: None) as server:
        t0 = time.monotonic()
        res = run(["--data", str(MINI), "sparql", "--allow-service", "--service-timeout", "2",
                   SERVICE.format(port=server.port)], timeout=60)
        took = time.monotonic() - t0
    assert res.returncode == 1 and "no answer within 2 s" in one_line_error(res.stderr), res.stderr
    assert took < 15, took


def test_an_allowed_service_works_and_a_malformed_reply_is_one_line(capsys, monkeypatch):
    from tests.security_helpers import FakeServer, http_reply

    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    good = (b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "urn:from-service"}}]}}')
    with FakeServer(lambda req: http_reply("200 OK", good, "application/sparql-results+json")) as server:
        code, out, err = cli(["sparql", "--allow-service", "--format", "csv",
                              f"SELECT ?s WHERE {{ SERVICE <http://127.0.0.1:{server.port}/sparql> {{ ?s ?p ?o }} }}"],
                             capsys)
        assert code == 0 and "urn:from-service" in out, err
    json_type = "application/sparql-results+json"
    for body, ctype in ((b'{"head": [}}', json_type), (b"\x00\xff" * 100, json_type), (b"<html>oops</html>", "text/html"),
                        (b'{"head": {"vars": ["s"]}, "results": 3}', "application/json")):
        with FakeServer(lambda req, body=body, ctype=ctype: http_reply("200 OK", body, ctype)) as server:
            code, out, err = cli(["sparql", "--allow-service", SERVICE.format(port=server.port)], capsys)
            assert code == 1 and out == "", (body, err)
            assert one_line_error(err).startswith("error: SPARQL (embedded store): "), err
