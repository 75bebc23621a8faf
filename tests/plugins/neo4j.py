"""The ``neo4j_server`` fixture: a real Neo4j Community 5.26 for the test session, started once.

servers/neo4j/ is a Maven project with a tiny launcher around ``org.neo4j.test:neo4j-harness``
(Java 17). The fixture builds it with ``mvn -q -B`` (skipped when the build is up to date), starts it
on a free port of 127.0.0.1 with a random password and its databases in a pytest temporary
directory, waits for its READY line, and stops it at the end of the session by closing its
standard input. Without ``java`` or ``mvn`` the tests skip with a
message saying how to run them, except under CI=true, where they fail.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_DIR = ROOT / "servers" / "neo4j"
MAIN_CLASS = "org.negotiationkg.servers.Neo4jLauncher"
HOW = "how to run: apt-get install openjdk-17-jdk-headless maven (Maven fetches Neo4j 5.26 once); see docs/testing.md"
START_TIMEOUT = 180.0


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _classpath(mvn: str) -> str:
    """Build the launcher if needed and return its class path."""
    target = SERVER_DIR / "target"
    cp_file = target / "classpath.txt"
    marker = target / "classes" / Path(*MAIN_CLASS.split(".")).with_suffix(".class")
    sources = [SERVER_DIR / "pom.xml", *SERVER_DIR.joinpath("src").rglob("*.java")]
    fresh = cp_file.exists() and marker.exists()
    if fresh:
        built = min(cp_file.stat().st_mtime, marker.stat().st_mtime)
        fresh = all(p.stat().st_mtime <= built for p in sources)
    if not fresh:
        cmd = [mvn, "-q", "-B", "-f", str(SERVER_DIR / "pom.xml"), "package", "dependency:build-classpath",
               f"-Dmdep.outputFile={cp_file}"]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            _unavailable("building servers/neo4j with Maven took more than 15 minutes")
        if res.returncode != 0:
            tail = " | ".join((res.stdout + res.stderr).strip().splitlines()[-5:])
            _unavailable(f"Maven could not build servers/neo4j (exit {res.returncode}): {tail}")
    return f"{target / 'classes'}{os.pathsep}{cp_file.read_text(encoding='utf-8').strip()}"


#: JVM flags for the test suite: a fast start-up (small heap, serial collector, no C2 compiler), not fast loading
TEST_JVM = ("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")


def classpath() -> str:
    """The launcher's class path (built with Maven if needed); raises the fixture's skip or failure without java/mvn."""
    java, mvn = shutil.which("java"), shutil.which("mvn")
    if not java or not mvn:
        _unavailable(f"Neo4j tests need {'java' if not java else 'mvn'} on the PATH")
    return _classpath(mvn)  # type: ignore[arg-type]


def admin_env(work: Path) -> dict[str, str]:
    """Environment variables under which ``neo4j-admin`` runs: the admin tool of the launcher's class path
    (neo4j-harness ships neo4j-command-line and neo4j-import-tool) behind a ``neo4j-admin`` script on the PATH,
    and an empty Neo4j home under ``work`` for the databases it writes."""
    home, bin_dir = work / "neo4j-home", work / "bin"
    for d in (home / "conf", home / "data", bin_dir):
        d.mkdir(parents=True, exist_ok=True)
    shim = bin_dir / "neo4j-admin"
    shim.write_text(f'#!/bin/sh\nexec "{shutil.which("java")}" -cp "{classpath()}" org.neo4j.cli.AdminTool "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "NEO4J_HOME": str(home),
            "NEO4J_CONF": str(home / "conf")}


@contextlib.contextmanager
def launch(work: Path, jvm: tuple[str, ...] = TEST_JVM) -> Iterator[tuple[subprocess.Popen[bytes], Neo4jServer]]:
    """Start a Neo4j on a free port of 127.0.0.1 with its databases under ``work``; stop it afterwards.

    Yields the process (tests that stop a server on purpose kill it) and the server's address and credentials.
    ``jvm``: the JVM's flags (the benchmarks also try a larger heap and the full JIT).
    """
    cp = classpath()
    java = shutil.which("java")
    port, password = _free_port(), secrets.token_urlsafe(18)
    log = work / f"neo4j-{port}.log"
    env = {**os.environ, "NEO4J_LAUNCHER_PASSWORD": password}
    cmd = [java, *jvm, "-cp", cp, MAIN_CLASS, str(port), str(work / f"db-{port}")]
    with open(log, "wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env, cwd=work)
    ready: list[str] = []
    started = threading.Event()

    def read_stdout() -> None:  # the READY line, then drain whatever else the server prints
        ready.extend(proc.stdout.readline().decode(errors="replace").split()[:2])  # type: ignore[union-attr]
        started.set()
        for _ in proc.stdout:  # type: ignore[union-attr]
            pass

    threading.Thread(target=read_stdout, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while not started.wait(0.2) and proc.poll() is None and time.monotonic() < deadline:
        pass
    try:
        if not ready or ready[0] != "READY":
            proc.kill()
            proc.wait(10)
            tail = " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])
            pytest.fail(f"Neo4j did not start within {START_TIMEOUT:.0f} s (exit {proc.returncode}): {tail}", pytrace=False)
        yield proc, Neo4jServer(f"bolt://127.0.0.1:{port}", "neo4j", password)
    finally:
        if proc.poll() is None:
            proc.stdin.close()  # type: ignore[union-attr]
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """A Neo4j Community 5.26 server on 127.0.0.1 for this test session."""
    from kg.cypher import neo4jdb

    with launch(tmp_path_factory.mktemp("neo4j")) as (_, server):
        try:
            yield server
        finally:
            neo4jdb.close_all()
