"""``negkg neo4j|fuseki start|stop|status``: the launcher the fixtures use, run as the user's local servers.

Each test gives the commands a fresh data directory (XDG_DATA_HOME), starts the server with the corpus
loaded, queries it with the ordinary commands (which find the running local server by themselves), and
checks that ``stop`` leaves no process behind. Without ``java``/``mvn`` they skip (fail under CI=true).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kg import servers
from tests.serve_helpers import ROOT


@pytest.fixture
def home(tmp_path):
    try:
        servers.tools()
    except servers.Unavailable as e:
        if os.environ.get("CI") == "true":
            pytest.fail(str(e))
        pytest.skip(str(e))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "NEGKG_"))}
    env["XDG_DATA_HOME"] = str(tmp_path)
    yield env, tmp_path / "negotiation-kg"
    for name in servers.SERVERS:  # never leave a server behind, even when a test fails
        subprocess.run([sys.executable, "-m", "kg", name, "stop"], env=env, cwd=ROOT, capture_output=True, timeout=120)


def _negkg(env, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)


def _pid(data: Path, name: str) -> int:
    import json

    return int(json.loads((data / name / "server.json").read_text())["pid"])


def _running(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists() and b"java" in Path(f"/proc/{pid}/cmdline").read_bytes()


def test_neo4j_start_load_query_stop(home):
    env, data = home
    out = _negkg(env, "neo4j", "start", "--load")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("export NEO4J_URI=bolt://127.0.0.1:") and lines[2].startswith('export NEO4J_PASSWORD="$(cat ')
    password = data / "neo4j" / "password"
    assert stat.S_IMODE(password.stat().st_mode) == 0o600 and password.read_text().strip() not in out.stdout + out.stderr
    q = _negkg(env, "query", "shared-interests", "--lang", "cypher", "--neo4j", "--case", "paris-2015", "--format", "csv")
    native = _negkg(env, "query", "shared-interests", "--case", "paris-2015", "--format", "csv")
    assert q.returncode == 0 and q.stdout == native.stdout and q.stdout.count("\n") > 2, q.stderr
    shell = f'eval "$({sys.executable} -m kg neo4j status)" && {sys.executable} -m kg cypher "RETURN 1 AS one" --neo4j'
    ev = subprocess.run(["bash", "-c", shell], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert ev.returncode == 0 and "1" in ev.stdout, ev.stderr
    pid = _pid(data, "neo4j")
    assert _negkg(env, "neo4j", "stop").returncode == 0
    assert not _running(pid)
    st = _negkg(env, "neo4j", "status")
    assert st.returncode == 3 and "not running" in st.stderr


def test_fuseki_start_push_query_stop(home):
    env, data = home
    out = _negkg(env, "fuseki", "start", "--push")
    assert out.returncode == 0, out.stderr
    assert "pushed" in out.stderr and "NEGKG_SPARQL_PASSWORD" in out.stdout
    port = int(__import__("json").loads((data / "fuseki" / "server.json").read_text())["port"])
    conn = servers.Connection("fuseki", f"http://127.0.0.1:{port}/ds", "negkg", "", port)
    q = _negkg(env, "query", "shared-interests", "--lang", "sparql", "--endpoint", conn.query_url, "--case", "oslo-1993",
               "--format", "csv")
    native = _negkg(env, "query", "shared-interests", "--case", "oslo-1993", "--format", "csv")
    assert q.returncode == 0 and q.stdout == native.stdout, q.stderr
    pid = _pid(data, "fuseki")
    assert _negkg(env, "fuseki", "stop").returncode == 0
    assert not _running(pid)
