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


# ------------------------------------------------------------------------ passwords a URL parser misreads

#: passwords holding what a URL parser takes for the end of the user information (issue 19)
TRICKY = ["s3cr3t/XYZ-hunter2", "s3c#r3t-hunter2", "s3c?r3t-hunter2", "s3c@r3t-hunter2", "p/#?@:x-hunter2",
          "hunter2%2Fenc/raw"]


@pytest.mark.parametrize("password", TRICKY)
def test_tricky_passwords_are_redacted_before_parsing(password):
    from kg.cypher.neo4jdb import Settings
    from kg.rdf.sparql import Endpoint
    from kg.redact import redact, scrub

    for uri in (f"bolt://neo4j:{password}@127.0.0.1:1", f"neo4j+s://neo4j:{password}@db.example.com:7687?x=1",
                f"http://alice:{password}@127.0.0.1:1/ds/query", f"https://alice:{password}@[::1]:7200/repo#f"):
        shown = redact(uri)
        assert "hunter2" not in shown and "***@" in shown, shown
        assert "hunter2" not in scrub(f"error talking to {uri}: refused")
    s = Settings.from_env(uri=f"bolt://neo4j:{password}@127.0.0.1:1", env={})
    assert s.uri == "bolt://127.0.0.1:1" and s.user == "neo4j"
    e = Endpoint.of(f"http://alice:{password}@127.0.0.1:1/ds/query")
    assert e.url == "http://127.0.0.1:1/ds/query" and e.user == "alice"
    from urllib.parse import unquote

    assert s.password == e.password == unquote(password)


def test_tricky_passwords_never_printed_by_any_server_command(capsys, monkeypatch, caplog):
    """`negkg load-neo4j --uri 'bolt://neo4j:s3cr3t/XYZ@127.0.0.1:1'` printed the password, as did '#' and '?'."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    port = closed_port()
    runs = 0
    for password in TRICKY:
        for args in _server_commands(f"bolt://neo4j:{password}@127.0.0.1:{port}",
                                     f"http://alice:{password}@127.0.0.1:{port}/ds", flags=False):
            code, out, err = cli(args, capsys)
            line = one_line_error(err)
            assert code in (1, 2), (args, err)
            assert "hunter2" not in out + err + caplog.text, (args, err)
            assert "neo4j:" not in line and "alice" not in line, line
            runs += 1
    assert runs == len(TRICKY) * 6


def test_an_ambiguous_uri_is_refused_without_showing_the_password(capsys, monkeypatch):
    """'bolt://neo4j:12/hunter2@h' could be host neo4j, port 12: refused (exit 2), redacted."""
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    for args in (["load-neo4j", "--uri", "bolt://neo4j:12/hunter2@127.0.0.1:1"],
                 ["sparql", "--endpoint", "http://alice:80/hunter2@127.0.0.1:1/q", "ASK {}"]):
        code, _out, err = cli(args, capsys)
        assert code == 2 and "ambiguous URI" in one_line_error(err) and "hunter2" not in err, err


def test_debug_tracebacks_never_show_tricky_passwords():
    port = closed_port()
    for password in TRICKY[:2]:
        res = run(["--data", str(MINI), "load-neo4j", "--uri", f"bolt://neo4j:{password}@127.0.0.1:{port}"],
                  env={"NEGKG_DEBUG": "1"})
        assert res.returncode == 1 and "Traceback" in res.stderr
        assert "hunter2" not in res.stdout + res.stderr


# ------------------------------------------------------------------------ error bodies from servers


def _echo_headers(status: str):
    """A server that answers ``status`` with a body echoing the whole request, as some proxies and debug pages do."""
    from tests.security_helpers import http_reply

    def reply(request: bytes) -> bytes:
        head, _, body = request.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        echoed = b"\r\n".join([lines[0], *sorted(lines[1:])]) + b"\r\n\r\n" + body  # headers sorted, as debug pages do
        page = b"<html><body><h1>Bad request</h1><pre>\r\n" + echoed + b"\r\n</pre>" + b"x" * 5000 + b"</body></html>"
        return http_reply(status, page, "text/html")

    return reply


@pytest.mark.parametrize("status", ["400 Bad Request", "500 Internal Server Error", "502 Bad Gateway"])
def test_error_bodies_are_short_and_scrubbed(status, capsys, monkeypatch):
    """An HTTP error body echoing the request (Authorization: Basic ...) was printed in full."""
    import base64

    from tests.security_helpers import FakeServer

    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    token = base64.b64encode(f"alice:{SECRET}".encode()).decode()
    with FakeServer(_echo_headers(status)) as server:
        base = f"http://alice:{SECRET}@127.0.0.1:{server.port}/ds"
        for args in (["sparql", "--endpoint", base + "/query", "ASK {}"],
                     ["query", "shared-interests", "--lang", "sparql", "--endpoint", base + "/query"],
                     ["push", "--sparql-endpoint", base + "/data"],
                     ["push", "--sparql-endpoint", base + "/update", "--protocol", "update"]):
            code, out, err = cli(args, capsys)
            line = one_line_error(err)
            assert code == 1 and f"HTTP {status.split()[0]}" in line, line
            assert len(line) < 400, line
            _no_secret(out, err)
            assert token not in err and "Basic" not in err and "Authorization: ***" in err, line
        assert len(server.requests) == 4 and all(token.encode() in r for r in server.requests)  # it did authenticate


def test_excerpt_scrubs_headers_tokens_and_named_secrets():
    from kg.redact import excerpt

    body = (f'{{"echo": {{"Authorization": "Bearer abcdef123456", "Cookie": "sid=42"}}, "password": "{SECRET}"}}\n'
            f"Proxy-Authorization: Basic Zm9vOmJhcg==\nX-Api-Key: k-123456\nurl=http://u:{SECRET}@h/x?token=t0k3n\n")
    got = excerpt(body, 500, secrets=[SECRET])
    for leaked in (SECRET, "abcdef123456", "sid=42", "Zm9vOmJhcg==", "k-123456", "t0k3n"):
        assert leaked not in got, (leaked, got)
    assert "\n" not in got
    assert len(excerpt("y" * 10_000)) == 200
