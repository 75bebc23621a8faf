"""The ``neo4j_server`` fixture: a real Neo4j Community 5.26 for the test session, started once.

The launcher is :func:`kg.servers.neo4j_process` (the one ``negkg neo4j start`` uses too): Maven builds
servers/neo4j (a tiny launcher around ``org.neo4j.test:neo4j-harness``, Java 17) when out of date, and
the server runs on a free port of 127.0.0.1 with a random password and its databases in a pytest
temporary directory; it stops at the end of the session when its standard input closes. Without
``java`` or ``mvn`` the tests skip with a message saying how to run them, except under CI=true, where
they fail.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg import servers

HOW = "see docs/testing.md"


@dataclass(frozen=True)
class Neo4jServer:
    """A running server: Bolt URI and credentials (the password is random per session)."""

    uri: str
    user: str
    password: str = field(repr=False)
    database: str = "neo4j"

    @property
    def settings(self):  # -> kg.cypher.neo4jdb.Settings
        from kg.cypher.neo4jdb import Settings

        return Settings(self.uri, self.user, self.password, self.database)

    def env(self) -> dict[str, str]:
        """NEO4J_* variables pointing at this server (for CLI tests)."""
        return {
            "NEO4J_URI": self.uri,
            "NEO4J_USERNAME": self.user,
            "NEO4J_PASSWORD": self.password,
            "NEO4J_DATABASE": self.database,
        }


def _unavailable(msg: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{msg} (CI=true: the Neo4j tests must run)", pytrace=False)
    pytest.skip(f"{msg}; {HOW}")


#: JVM flags for the test suite: a fast start-up, not fast loading (the benchmarks try others)
TEST_JVM = servers.NEO4J_JVM


def classpath() -> str:
    """The launcher's class path (built with Maven if needed); raises the fixture's skip or failure without java/mvn."""
    try:
        servers.tools()
        return servers.classpath("neo4j")
    except servers.Unavailable as e:
        _unavailable(str(e))
        raise


def admin_env(work: Path) -> dict[str, str]:
    """Environment variables under which ``neo4j-admin`` runs: the admin tool of the launcher's class path
    (neo4j-harness ships neo4j-command-line and neo4j-import-tool) behind a ``neo4j-admin`` script on the PATH,
    and an empty Neo4j home under ``work`` for the databases it writes."""
    cp = classpath()
    java, _ = servers.tools()
    home, bin_dir = work / "neo4j-home", work / "bin"
    for d in (home / "conf", home / "data", bin_dir):
        d.mkdir(parents=True, exist_ok=True)
    shim = bin_dir / "neo4j-admin"
    shim.write_text(f'#!/bin/sh\nexec "{java}" -cp "{cp}" org.neo4j.cli.AdminTool "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "NEO4J_HOME": str(home),
            "NEO4J_CONF": str(home / "conf")}


@contextlib.contextmanager
def launch(work: Path, jvm: tuple[str, ...] = TEST_JVM) -> Iterator[tuple[subprocess.Popen[bytes], Neo4jServer]]:
    """Start a Neo4j on a free port of 127.0.0.1 with its databases under ``work``; stop it afterwards.

    Yields the process (tests that stop a server on purpose kill it) and the server's address and credentials.
    ``jvm``: the JVM's flags (the benchmarks also try a larger heap and the full JIT).
    """
    with contextlib.ExitStack() as stack:
        try:
            proc, conn = stack.enter_context(servers.neo4j_process(work, jvm))
        except servers.Unavailable as e:
            _unavailable(str(e))
        except servers.RuntimeFailure as e:
            pytest.fail(str(e), pytrace=False)
        yield proc, Neo4jServer(conn.url, conn.user, conn.password)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """A Neo4j Community 5.26 server on 127.0.0.1 for this test session."""
    from kg.cypher import neo4jdb

    with launch(tmp_path_factory.mktemp("neo4j")) as (_, server):
        try:
            yield server
        finally:
            neo4jdb.close_all()
