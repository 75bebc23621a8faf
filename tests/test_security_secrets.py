"""Secrets: passwords never appear in output, logs or help; URIs with credentials are shown redacted.

A distinctive password goes in through every door (NEO4J_PASSWORD, NEGKG_SPARQL_PASSWORD, the
--neo4j-password / --password flags, and user:password@ in URIs) on the six commands that talk to a
server, in failure paths (server unreachable, credentials refused, NEGKG_DEBUG=1 tracebacks) and
success paths (real Neo4j and Fuseki, with DEBUG logging of every logger captured), and in --help.
"""

from __future__ import annotations

import logging
import re

import pytest

from kg.cli import COMMANDS
from tests.conftest import MINI
from tests.security_helpers import cli, closed_port, one_line_error, run

pytestmark = [pytest.mark.timeout(300), pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")]

SECRET = "hunter2-Zq7-s3cr3t"
URIS = [
    f"bolt://alice:{SECRET}@127.0.0.1:1",
    f"neo4j+s://alice:{SECRET}@db.example.com:7687/path?x=1#f",
    f"http://alice:{SECRET}@[::1]:7200/repositories/kg",
    f"http://alice:{SECRET.replace('-', '%2D')}@h/x",
    f"http://alice:{SECRET}@h@evil.example/x",
    f"http://{SECRET}@h/",
    f"http://alice:{SECRET}@h:notaport/x",
    f"http://alice:{SECRET}@[::1/x",
]


def _no_secret(*texts: str, secret: str = SECRET) -> None:
    for t in texts:
        assert secret not in t and secret.replace("-", "%2D") not in t, t


@pytest.mark.parametrize("uri", URIS)
def test_redact_drops_credentials(uri):
    from kg.redact import redact

    shown = redact(uri)
    _no_secret(shown)
    assert "alice" not in shown


def test_settings_and_endpoints_never_show_the_password():
    from kg.cypher.neo4jdb import Settings
    from kg.rdf.sparql import Endpoint

    s = Settings.from_env(uri=URIS[0], env={})
    assert s.password == SECRET and s.uri == "bolt://127.0.0.1:1"
    e = Endpoint.of(URIS[2])
    assert e.password == SECRET and e.url == "http://[::1]:7200/repositories/kg"
    _no_secret(repr(s), str(s), repr(e), str(e))


def test_help_never_shows_a_password(capsys, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", SECRET)
    monkeypatch.setenv("NEO4J_URI", URIS[0])
    for name in ["", *COMMANDS]:
        code, out, err = cli([name, "--help"] if name else ["--help"], capsys)
        assert code == 0, (name, err)
        _no_secret(out, err)


def _server_commands(neo4j_uri: str, sparql_base: str, flags: bool) -> list[list[str]]:
    neo = ["--neo4j-uri", neo4j_uri] + (["--neo4j-password", SECRET] if flags else [])
    sp = ["--password", SECRET] if flags else []
    return [
        ["load-neo4j", *neo],
        ["query", "shared-interests", "--lang", "cypher", "--neo4j", *neo],
        ["cypher", "--neo4j", "MATCH (n) RETURN count(n)", *neo],
        ["push", "--sparql-endpoint", sparql_base + "/data", *sp],
        ["query", "shared-interests", "--lang", "sparql", "--endpoint", sparql_base + "/query"],
        ["sparql", "--endpoint", sparql_base + "/query", *sp, "ASK {}"],
    ]


def test_failures_never_show_the_password(capsys, monkeypatch, caplog):
    """Unreachable servers, with the password in the environment, in flags, and inside the URIs."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    monkeypatch.setenv("NEGKG_SPARQL_USER", "alice")
    monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", SECRET)
    port = closed_port()
    for flags in (False, True):
        for neo4j_uri, base in ((f"bolt://127.0.0.1:{port}", f"http://127.0.0.1:{port}/ds"),
                                (f"neo4j://alice:{SECRET}@127.0.0.1:{port}", f"http://alice:{SECRET}@127.0.0.1:{port}/ds")):
            for args in _server_commands(neo4j_uri, base, flags):
                code, out, err = cli(args, capsys)
                line = one_line_error(err)
                assert code == 1, (args, err)
                _no_secret(out, err, caplog.text)
                assert "alice" not in line and f"127.0.0.1:{port}" in line, line
                assert re.search(r"(bolt|neo4j|http)://127\.0\.0\.1:\d+", line), line


def test_debug_tracebacks_never_show_the_password():
    """NEGKG_DEBUG=1 prints tracebacks; the password is still nowhere in them."""
    port = closed_port()
    for args in (["load-neo4j", "--uri", f"bolt://alice:{SECRET}@127.0.0.1:{port}"],
                 ["sparql", "--endpoint", f"http://alice:{SECRET}@127.0.0.1:{port}/ds/query", "ASK {}"]):
        res = run(["--data", str(MINI), *args], env={"NEGKG_DEBUG": "1"})
        assert res.returncode == 1 and "Traceback" in res.stderr
        _no_secret(res.stdout, res.stderr)


def test_refused_credentials_never_show_either_password(neo4j_server, fuseki_server, capsys, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    monkeypatch.setenv("NEGKG_SPARQL_USER", fuseki_server.user)
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_server.user)
    for flags in (False, True):
        if not flags:
            monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
            monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", SECRET)
        for args in _server_commands(neo4j_server.uri, fuseki_server.dataset_url, flags):
            code, out, err = cli(args, capsys)
            assert code == 1 and "refused the credentials" in one_line_error(err), (args, err)
            _no_secret(out, err, caplog.text)
            _no_secret(out, err, caplog.text, secret=neo4j_server.password)
            _no_secret(out, err, caplog.text, secret=fuseki_server.password)


def test_successful_commands_never_show_the_password(neo4j_server, fuseki_server, capsys, monkeypatch, caplog):
    """The real passwords, through the environment and through URIs: every command succeeds and prints neither."""
    from kg.cypher import neo4jdb

    neo4jdb.close_all()  # connect afresh, so the driver's connection and login are logged too
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    for k, v in neo4j_server.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("NEGKG_SPARQL_USER", fuseki_server.user)
    monkeypatch.setenv("NEGKG_SPARQL_PASSWORD", fuseki_server.password)
    in_uri = neo4j_server.uri.replace("bolt://", f"bolt://{neo4j_server.user}:{neo4j_server.password}@")
    base_in_uri = fuseki_server.dataset_url.replace("http://", f"http://{fuseki_server.user}:{fuseki_server.password}@")
    runs = 0
    for neo4j_uri, base in ((neo4j_server.uri, fuseki_server.dataset_url), (in_uri, base_in_uri)):
        if neo4j_uri == in_uri:
            monkeypatch.delenv("NEO4J_PASSWORD")
            monkeypatch.delenv("NEGKG_SPARQL_PASSWORD")
            monkeypatch.delenv("NEGKG_SPARQL_USER")
        for args in _server_commands(neo4j_uri, base, flags=False):
            code, out, err = cli(args, capsys)
            assert code == 0, (args, err)
            assert out.strip()
            _no_secret(out, err, caplog.text, secret=neo4j_server.password)
            _no_secret(out, err, caplog.text, secret=fuseki_server.password)
            assert f"{neo4j_server.user}:" not in out + err
            runs += 1
    assert runs == 12
    assert any(r.name.startswith("neo4j") and r.levelno == logging.DEBUG for r in caplog.records)  # the driver's logs were seen
