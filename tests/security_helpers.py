"""Helpers shared by the security tests: running the CLI, and fingerprints of every database to prove it unchanged."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``negkg ARGS`` in this process; return exit code, stdout, stderr."""
    from kg.cli import main

    try:
        main(args)
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def run(args: list[str], env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``negkg ARGS`` in a fresh process (no NEO4J_*, NEGKG_SPARQL_* or NEGKG_DEBUG from this one)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "NEGKG_SPARQL_", "NEGKG_DEBUG"))}
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**base, **(env or {})}, timeout=timeout, stdin=subprocess.DEVNULL)


def one_line_error(err: str) -> str:
    """The single line of an error message (fails on a traceback or several lines)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graph_fingerprint(g: Any) -> tuple[Any, ...]:
    """Every node and edge of a networkx graph with its attributes."""
    return (sorted((n, repr(sorted(d.items()))) for n, d in g.nodes(data=True)),
            sorted((u, v, k, repr(sorted(d.items()))) for u, v, k, d in g.edges(keys=True, data=True)))


def embedded_cypher_fingerprint(g: Any) -> tuple[int, int]:
    """Node and relationship counts of the graph's embedded LadybugDB database."""
    from kg.cypher import embedded

    db = embedded.database(g)
    n = db.query("MATCH (n) RETURN count(*) AS c")[1][0]["c"]
    r = db.query("MATCH ()-[r]->() RETURN count(*) AS c")[1][0]["c"]
    return n, r


def embedded_sparql_fingerprint(g: Any) -> list[str]:
    """Every quad of the graph's embedded pyoxigraph store."""
    from kg.rdf.sparql import store_for

    return sorted(str(q) for q in store_for(g))


def neo4j_fingerprint(settings: Any) -> list[str]:
    """Every node (labels, properties) and relationship (type, ends, properties) of the database, and its labels."""
    from kg.cypher import neo4jdb

    _, nodes = neo4jdb.read(settings, "MATCH (n) RETURN labels(n) AS l, properties(n) AS p", {})
    _, rels = neo4jdb.read(settings, "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p", {})
    _, labels = neo4jdb.read(settings, "CALL db.labels() YIELD label RETURN label", {})
    _, props = neo4jdb.read(settings, "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey", {})
    _, types = neo4jdb.read(settings, "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType", {})
    return sorted(repr(sorted(r.items())) for r in [*nodes, *rels, *labels, *props, *types])


def sparql_endpoint_fingerprint(server: Any) -> list[str]:
    """Every triple of every graph at the ``fuseki_server`` fixture's endpoint."""
    from kg.rdf import sparql

    rows = sparql.select("SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                         endpoint=sparql.Endpoint.of(server.query_url, server.user, server.password))
    return sorted(repr(sorted(r.items(), key=lambda x: x[0])) for r in rows)


class FakeServer:
    """A local TCP server answering every connection with ``reply(request bytes) -> bytes`` (None: stay silent),
    after a whole HTTP request, or with ``raw`` after the first bytes.

    ``requests`` records what arrived, so a test can prove that nothing was sent.
    """

    def __init__(self, reply: Any, raw: bool = False):
        import threading

        self.reply = reply
        self.raw = raw  # answer after the first bytes, not after an HTTP request
        self.requests: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self._open.append(conn)
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data and len(data) < 1 << 20 and not (self.raw and data):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = next((int(v) for k, _, v in (ln.partition(b":") for ln in head.split(b"\r\n"))
                               if k.strip().lower() == b"content-length"), 0)
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    body += chunk
                self.requests.append(head + b"\r\n\r\n" + body)
                answer = self.reply(head + b"\r\n\r\n" + body)
            except OSError:
                continue
            if answer is None:  # silent: keep the connection open, say nothing
                continue
            with contextlib.suppress(OSError):
                conn.sendall(answer)
                conn.close()

    def close(self) -> None:
        self.sock.close()
        for c in self._open:
            with contextlib.suppress(OSError):
                c.close()

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def http_reply(status: str, body: bytes, content_type: str = "text/plain") -> bytes:
    """An HTTP/1.1 response."""
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body
