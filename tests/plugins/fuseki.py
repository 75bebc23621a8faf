"""The ``fuseki_server`` fixture: a real Apache Jena Fuseki (jena-fuseki-main 5.6.0) on 127.0.0.1.

The jars come from Maven Central through servers/fuseki/pom.xml (cached in ~/.m2); the server runs
in memory with HTTP Basic authentication (a random password), one dataset ``/ds`` with update
enabled, and stops at the end of the session. Without ``java``/``mvn`` the tests skip, except
under CI=true, where they fail.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POM = ROOT / "servers" / "fuseki" / "pom.xml"
MAIN = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"
HOW = ("how to run: apt-get install openjdk-17-jre-headless maven (Java 17 and Maven); "
       "the tests fetch Fuseki from Maven Central; see docs/testing.md")


@dataclass(frozen=True)
class Fuseki:
    dataset_url: str
    query_url: str
    update_url: str
    gsp_url: str
    user: str
    password: str
    log: Path


def _unavailable(msg: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{msg} ({HOW})")
    pytest.skip(f"{msg}; {HOW}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def classpath() -> str:
    """The Fuseki classpath, resolved by Maven (jars cached in ~/.m2)."""
    cached = POM.parent / "target" / "classpath.txt"
    if cached.exists():
        cp = cached.read_text().strip()
        if cp and all(Path(j).exists() for j in cp.split(os.pathsep)):
            return cp
    out = cached  # servers/*/target/ is git-ignored; later sessions reuse it
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["mvn", "-q", "-B", "-f", str(POM), "dependency:build-classpath", f"-Dmdep.outputFile={out}"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        _unavailable("fetching Fuseki from Maven Central timed out")
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        _unavailable("could not fetch Fuseki with Maven: " + " | ".join(tail))
    return out.read_text().strip()


def _ready(url: str, auth: str) -> bool:
    req = urllib.request.Request(url + "?query=ASK%7B%7D", headers={"Authorization": auth})
    try:
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def fuseki_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuseki]:
    """A running Fuseki: ``.dataset_url``, ``.query_url``, ``.update_url``, ``.gsp_url``, ``.user``, ``.password``."""
    if not (shutil.which("java") and shutil.which("mvn")):
        _unavailable("java and mvn are needed for the Fuseki tests")
    work = tmp_path_factory.mktemp("fuseki")
    cp = classpath()
    user, password = "negkg", secrets.token_urlsafe(12)
    (work / "passwd").write_text(f"{user}: {password}\n")
    port = _free_port()
    log = work / "fuseki.log"
    base = f"http://127.0.0.1:{port}/ds"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["java", "-Xmx1g", "-cp", cp, MAIN, "--localhost", f"--port={port}", f"--passwd={work / 'passwd'}",
             "--auth=basic", "--mem", "--update", "/ds"],
            stdout=out, stderr=subprocess.STDOUT, cwd=work)
    auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    try:
        deadline = time.monotonic() + 90
        while not _ready(base + "/query", auth):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-1500:]
                pytest.fail(f"Fuseki did not start on port {port} (exit {proc.poll()}); log tail:\n{tail}")
            time.sleep(0.3)
        yield Fuseki(base, base + "/query", base + "/update", base + "/data", user, password, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
