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


@contextlib.contextmanager
def launch(work: Path) -> Iterator[tuple[subprocess.Popen[bytes], Neo4jServer]]:
    """Start a Neo4j on a free port of 127.0.0.1 with its databases under ``work``; stop it afterwards.

    Yields the process (tests that stop a server on purpose kill it) and the server's address and credentials.
    """
    with contextlib.ExitStack() as stack:
        try:
            proc, conn = stack.enter_context(servers.neo4j_process(work))
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
