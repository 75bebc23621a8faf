"""Neo4j and Apache Jena Fuseki from Maven Central: one launcher for the test suite and the user's local servers.

The Maven projects under ``servers/`` (shipped in the wheel as ``kg/_servers``) fetch Neo4j Community 5.26
(``org.neo4j.test:neo4j-harness``, with a tiny launcher, ``Neo4jLauncher.java``) and Fuseki 5.6.0
(``org.apache.jena:jena-fuseki-main``). Both need Java 17 and Maven; where either is missing,
:func:`tools` raises :class:`Unavailable` with one line saying how to get them.

- **Throw-away servers** (:func:`neo4j_process`, :func:`fuseki_process`): the test fixtures and the
  benchmarks start one on a free port of 127.0.0.1 with a random password and data under a directory the
  caller owns; they stop when the context exits.
- **Local servers** (:func:`start`, :func:`stop`, :func:`status`; ``negkg neo4j|fuseki start|stop|status``):
  a detached server whose data, log, state and generated password (owner-only permissions) live under
  :func:`data_home` (``$XDG_DATA_HOME/negotiation-kg`` or ``~/.local/share/negotiation-kg``). Neo4j keeps
  its databases there, Fuseki a TDB2 dataset ``/ds``. Both listen on 127.0.0.1 only, with authentication.
  :func:`local_connection` gives the other commands the connection of a running one.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import RuntimeFailure, UsageError

__all__ = ["Unavailable", "Connection", "tools", "classpath", "free_port", "neo4j_process", "fuseki_process",
           "data_home", "start", "stop", "status", "local_connection", "shell_lines", "SERVERS", "HOW"]

SERVERS = ("neo4j", "fuseki")
HOW = ("install Java 17 and Maven (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven; "
       "macOS: brew install openjdk@17 maven); Maven fetches the servers from Maven Central once")
NEO4J_MAIN = "org.negotiationkg.servers.Neo4jLauncher"
FUSEKI_MAIN = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"
START_TIMEOUT = 180.0
#: Neo4j's JVM flags: a fast start-up (small heap, serial collector, no C2 compiler), not fast loading
NEO4J_JVM = ("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
_PKG = Path(__file__).resolve().parent


class Unavailable(RuntimeFailure):
    """Java 17 or Maven is missing, or Maven could not fetch or build a server."""


@dataclass(frozen=True)
class Connection:
    """Where a running server listens and how to log in (the password is never shown in its repr)."""

    kind: str  # neo4j | fuseki
    url: str  # bolt://127.0.0.1:PORT, or the Fuseki dataset URL http://127.0.0.1:PORT/ds
    user: str
    password: str = field(repr=False)
    port: int = 0

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        return self.url + "/update"

    @property
    def gsp_url(self) -> str:
        return self.url + "/data"


# --- tools and builds ---------------------------------------------------------------------------

def tools() -> tuple[str, str]:
    """The paths of ``java`` (version 17 or later) and ``mvn``; :class:`Unavailable` when either is missing."""
    java, mvn = shutil.which("java"), shutil.which("mvn")
    if not java or not mvn:
        missing = " and ".join(n for n, p in (("java", java), ("mvn", mvn)) if not p)
        raise Unavailable(f"{missing} not found on the PATH: {HOW}")
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Unavailable(f"cannot run {java} -version ({e}): {HOW}") from None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    major = int(m.group(1)) if m else 0
    if major == 1 and m and m.group(2):  # "1.8.0" is Java 8
        major = int(m.group(2))
    if major < 17:
        raise Unavailable(f"{java} is Java {major or 'of an unknown version'}; the servers need Java 17 or later: {HOW}")
    return java, mvn


def _source(name: str) -> Path:
    """The Maven project of a server: the checkout's servers/NAME, else the copy shipped in the wheel."""
    for d in (_PKG.parent / "servers" / name, _PKG / "_servers" / name):
        if (d / "pom.xml").exists():
            return d
    raise Unavailable(f"the Maven project of {name} (servers/{name}/pom.xml) is missing from this installation")


def _project(name: str) -> Path:
    """Where to build a server: its source directory when writable (a checkout), else a copy in the user's cache."""
    src = _source(name)
    if os.access(src, os.W_OK):
        return src
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "negotiation-kg" / "servers" / name
    for f in [src / "pom.xml", *sorted(src.joinpath("src").rglob("*.java"))]:
        dst = cache / f.relative_to(src)
        if not dst.exists() or dst.read_bytes() != f.read_bytes():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dst)
    return cache


def classpath(name: str) -> str:
    """The Java class path of ``neo4j`` (the launcher, built when out of date) or ``fuseki``, resolved by Maven."""
    _, mvn = tools()
    project = _project(name)
    target = project / "target"
    cp_file = target / "classpath.txt"
    goals = ["dependency:build-classpath"]
    extra = ""
    fresh = cp_file.exists() and all(Path(j).exists() for j in cp_file.read_text(encoding="utf-8").strip().split(os.pathsep))
    if name == "neo4j":
        goals.insert(0, "package")
        classes = target / "classes"
        extra = f"{classes}{os.pathsep}"
        marker = classes / Path(*NEO4J_MAIN.split(".")).with_suffix(".class")
        sources = [project / "pom.xml", *project.joinpath("src").rglob("*.java")]
        fresh = fresh and marker.exists() and all(p.stat().st_mtime <= marker.stat().st_mtime for p in sources)
    if not fresh:
        cmd = [mvn, "-q", "-B", "-f", str(project / "pom.xml"), *goals, f"-Dmdep.outputFile={cp_file}"]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise Unavailable(f"Maven took more than 15 minutes to fetch {name}; try again, or check the network") from None
        if res.returncode != 0 or not cp_file.exists():
            tail = " | ".join((res.stdout + res.stderr).strip().splitlines()[-5:])
            raise Unavailable(f"Maven could not fetch or build {name} (exit {res.returncode}): {tail}")
    return extra + cp_file.read_text(encoding="utf-8").strip()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port in TIME_WAIT after our own stop is free
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _neo4j_cmd(java: str, cp: str, port: int, directory: Path, persistent: bool,
               jvm: Sequence[str] = NEO4J_JVM) -> list[str]:
    return [java, *jvm, "-cp", cp, NEO4J_MAIN, *(["--persistent"] if persistent else []), str(port), str(directory)]


def _fuseki_cmd(java: str, cp: str, port: int, passwd: Path, tdb2: Path | None) -> list[str]:
    store = ["--tdb2", f"--loc={tdb2}"] if tdb2 else ["--mem"]
    return [java, "-Xmx1g", "-cp", cp, FUSEKI_MAIN, "--localhost", f"--port={port}", f"--passwd={passwd}",
            "--auth=basic", *store, "--update", "/ds"]


def _fuseki_ready(c: Connection) -> bool:
    token = base64.b64encode(f"{c.user}:{c.password}".encode()).decode()
    req = urllib.request.Request(c.query_url + "?query=ASK%7B%7D", headers={"Authorization": f"Basic {token}"})
    try:
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(log: Path) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])
    except OSError:
        return ""


def _end(proc: subprocess.Popen[bytes], grace: float = 30.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# --- throw-away servers (tests, benchmarks) ------------------------------------------------------

@contextlib.contextmanager
def neo4j_process(work: Path, jvm: Sequence[str] = NEO4J_JVM) -> Iterator[tuple[subprocess.Popen[bytes], Connection]]:
    """A Neo4j on a free port of 127.0.0.1 with its databases under ``work``, stopped when the context exits.

    ``jvm``: the JVM's flags (the benchmarks also try a larger heap and the full JIT).

    Yields the process (tests that stop a server on purpose kill it) and its connection. The server stops
    at once when its standard input closes, so it never outlives the process that started it.
    """
    java, _ = tools()
    cp = classpath("neo4j")
    port, password = free_port(), secrets.token_urlsafe(18)
    log = work / f"neo4j-{port}.log"
    env = {**os.environ, "NEO4J_LAUNCHER_PASSWORD": password}
    with open(log, "wb") as err:
        proc = subprocess.Popen(_neo4j_cmd(java, cp, port, work / f"db-{port}", False, jvm), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=err, env=env, cwd=work)
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
            raise RuntimeFailure(f"Neo4j did not start within {START_TIMEOUT:.0f} s (exit {proc.returncode}): {_tail(log)}")
        yield proc, Connection("neo4j", f"bolt://127.0.0.1:{port}", "neo4j", password, port)
    finally:
        if proc.poll() is None:
            proc.stdin.close()  # type: ignore[union-attr]
            _end(proc)


@contextlib.contextmanager
def fuseki_process(work: Path) -> Iterator[tuple[subprocess.Popen[bytes], Connection]]:
    """A Fuseki on a free port of 127.0.0.1: one in-memory dataset ``/ds`` with update enabled, HTTP Basic
    authentication with a random password, files under ``work``; stopped when the context exits."""
    java, _ = tools()
    cp = classpath("fuseki")
    user, password, port = "negkg", secrets.token_urlsafe(12), free_port()
    passwd = work / "passwd"
    passwd.write_text(f"{user}: {password}\n")
    log = work / "fuseki.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(_fuseki_cmd(java, cp, port, passwd, None), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=work)
    conn = Connection("fuseki", f"http://127.0.0.1:{port}/ds", user, password, port)
    try:
        deadline = time.monotonic() + 90
        while not _fuseki_ready(conn):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeFailure(f"Fuseki did not start on port {port} (exit {proc.poll()}): {_tail(log)}")
            time.sleep(0.3)
        yield proc, conn
    finally:
        _end(proc, 20)


# --- local servers (negkg neo4j|fuseki start|stop|status) ----------------------------------------

def data_home() -> Path:
    """The user's data directory of negotiation-kg: ``$XDG_DATA_HOME/negotiation-kg`` or ``~/.local/share/...``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "negotiation-kg"


def _dir(name: str) -> Path:
    if name not in SERVERS:
        raise UsageError(f"unknown server {name!r} (known: {', '.join(SERVERS)})")
    return data_home() / name


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (created with mode 0600, never world-readable for an instant)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _password(d: Path) -> str:
    """The server's generated password (made on first start, kept in ``password`` with mode 0600)."""
    f = d / "password"
    if f.exists():
        os.chmod(f, 0o600)
        return f.read_text(encoding="utf-8").strip()
    pw = secrets.token_urlsafe(18)
    _write_private(f, pw + "\n")
    return pw


def _state(name: str) -> dict[str, Any] | None:
    try:
        return json.loads((_dir(name) / "server.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _alive(pid: int, marker: str) -> bool:
    """Whether ``pid`` runs and is our server (its command line names the launcher), not a reused pid."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        try:
            os.kill(pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True  # no /proc (macOS): trust the pid
    return marker in cmdline


def _marker(name: str) -> str:
    return NEO4J_MAIN if name == "neo4j" else FUSEKI_MAIN


def status(name: str) -> Connection | None:
    """The connection of the running local server ``name``, or None when it is not running."""
    st = _state(name)
    if not st or not _alive(int(st["pid"]), _marker(name)):
        return None
    try:
        password = (_dir(name) / "password").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Connection(name, st["url"], st["user"], password, int(st["port"]))


def local_connection(name: str) -> Connection | None:
    """The running local server ``name`` (for commands given no connection of their own), else None."""
    try:
        return status(name)
    except (OSError, ValueError, KeyError):
        return None


def start(name: str, port: int | None = None) -> tuple[Connection, bool]:
    """Start the local server ``name`` detached (or find it running); return its connection and whether it started now."""
    running = status(name)
    if running is not None:
        if port and port != running.port:
            raise UsageError(f"{name} already runs on port {running.port}; stop it first to change the port")
        return running, False
    java, _ = tools()
    cp = classpath(name)
    d = _private_dir(_dir(name))
    password = _password(d)
    old = _state(name) or {}
    if port is None:
        port = old.get("port") if old.get("port") and _port_free(int(old["port"])) else free_port()
    elif not _port_free(port):
        raise UsageError(f"port {port} of 127.0.0.1 is in use")
    log = d / "server.log"
    env = dict(os.environ)
    if name == "neo4j":
        env["NEO4J_LAUNCHER_PASSWORD"] = password
        cmd = _neo4j_cmd(java, cp, port, _private_dir(d / "home"), True)
        conn = Connection(name, f"bolt://127.0.0.1:{port}", "neo4j", password, port)
    else:
        passwd = d / "passwd"
        _write_private(passwd, f"negkg: {password}\n")
        cmd = _fuseki_cmd(java, cp, port, passwd, _private_dir(d / "tdb2"))
        conn = Connection(name, f"http://127.0.0.1:{port}/ds", "negkg", password, port)
    with os.fdopen(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=d,
                                start_new_session=True)
    _write_private(d / "server.json", json.dumps({"pid": proc.pid, "port": port, "url": conn.url, "user": conn.user,
                                                  "started": time.time()}, indent=1) + "\n")
    deadline = time.monotonic() + START_TIMEOUT
    while not (_neo4j_ready(log) if name == "neo4j" else _fuseki_ready(conn)):
        if proc.poll() is not None or time.monotonic() > deadline:
            _end(proc, 10)
            raise RuntimeFailure(f"{name} did not start (exit {proc.poll()}); log {log}: {_tail(log)}")
        time.sleep(0.3)
    return conn, True


def _neo4j_ready(log: Path) -> bool:
    try:
        return any(line.startswith("READY ") for line in log.read_text(errors="replace").splitlines())
    except OSError:
        return False


def stop(name: str, timeout: float = 60.0) -> bool:
    """Stop the local server ``name`` (SIGTERM: an orderly shutdown; SIGKILL after ``timeout``). False if none ran."""
    st = _state(name)
    if not st or not _alive(int(st["pid"]), _marker(name)):
        return False
    pid = int(st["pid"])
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)  # started in its own session: its group is the whole server
    deadline = time.monotonic() + timeout
    while _alive(pid, _marker(name)) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.2)
    if _alive(pid, _marker(name)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        time.sleep(0.5)
    _reap(pid)
    return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)  # our own child when started in this process (tests)


def shell_lines(c: Connection) -> list[str]:
    """The connection as shell lines the other commands read (``eval "$(negkg neo4j status)"``); the password
    is read from its file by the shell, never printed."""
    pw = f'"$(cat {shlex.quote(str(_dir(c.kind) / "password"))})"'
    if c.kind == "neo4j":
        return [f"export NEO4J_URI={shlex.quote(c.url)}", f"export NEO4J_USERNAME={shlex.quote(c.user)}",
                f"export NEO4J_PASSWORD={pw}"]
    return [f"export NEGKG_SPARQL_USER={shlex.quote(c.user)}", f"export NEGKG_SPARQL_PASSWORD={pw}",
            f"# query: negkg sparql --endpoint {c.query_url} ...; negkg query NAME --lang sparql --endpoint {c.query_url}",
            f"# upload: negkg push --sparql-endpoint {c.gsp_url}"]


def describe(c: Connection) -> dict[str, Any]:
    """The connection without its password (for JSON status output)."""
    d = asdict(c)
    d.pop("password")
    return d
