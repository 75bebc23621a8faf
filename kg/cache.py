"""What is built from the data, cached: per graph object in memory, and on disk for the command line.

**In memory.** :func:`version` is a token that stays the same object while a graph's structure does:
the embedded engines keep one store or database per graph object and rebuild it when the token changes.
networkx empties a graph's ``__networkx_cache__`` whenever a node or an edge is added or removed through
its API, so a token kept there costs nothing to check. Changing an attribute in place (``g.nodes[n]["name"]
= ...``) is not noticed: query a copy (``g.copy()``) instead.

**On disk.** A second ``negkg query`` on unchanged data should not validate, build and load everything
again. :func:`entry` finds the cache entry of a data directory: its key is a SHA-256 of the content of
every input file the loader reads (``parties.yaml``, ``sources.yaml``, ``dataset.yaml`` when there is one,
``cases/*.yaml``; lint waivers are in the case files) and of the code that turns them
into answers (the ``kg`` package, the query library, the versions of Python, networkx, pyoxigraph and
LadybugDB). An entry holds up to three artifacts, each built on first use:

- ``graph/``: the canonical graph, pickled (read back by an unpickler that only accepts networkx's graph
  classes and plain data, after its SHA-256 is checked);
- ``store/``: the pyoxigraph (RocksDB) store of the graph's RDF form, opened read-only;
- ``ladybug/``: the LadybugDB database of its property-graph form, opened read-only.

Each artifact is written into a temporary directory beside it, with a manifest written last (every file's
size, modification time and SHA-256, and facts such as the negotiation ids), then renamed into place in
one step: a reader sees a whole artifact or none, and two processes building the same artifact at once
both finish (the second keeps the first's). An artifact whose manifest is missing or unreadable, whose
files differ in size or modification time from it, or that fails to open is discarded and rebuilt, never
used. The eight most recently used entries are kept.

The cache lives in ``$NEGKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/negotiation-kg``, else
``~/.cache/negotiation-kg``; ``NEGKG_CACHE=0`` turns it off. See docs/performance.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import time
import weakref
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph

    from kg.cypher.embedded import Embedded

__all__ = ["version", "enabled", "directory", "key", "entry", "origin", "Entry", "SWITCH", "DIRECTORY", "KEEP"]

SWITCH = "NEGKG_CACHE"  #: "0" (or "false", "no", "off") turns the on-disk cache off
DIRECTORY = "NEGKG_CACHE_DIR"  #: where the on-disk cache lives, instead of the user's cache directory
KEEP = 8  #: entries kept (the most recently used)
ANSWERS = 256  #: answers kept per entry (the most recent)
FORMAT = 1  #: layout of an entry; part of the key
MANIFEST = "negkg-manifest.json"
MAX_BYTES = 5 * 1024 * 1024  #: an input file larger than this is not read for the key (kg.load.MAX_BYTES refuses it)
_TOKEN = "negkg:version"
T = TypeVar("T")


# ---------------------------------------------------------------- in memory


def version(g: Any) -> object:
    """A token of ``g``'s structure: the same object until a node or an edge is added or removed.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> t = version(g)
    >>> version(g) is t
    True
    >>> _ = g.add_edge("a", "b", key="R")
    >>> version(g) is t
    False
    """
    memo = getattr(g, "__networkx_cache__", None)
    if not isinstance(memo, dict):  # networkx before 3.3, or a graph view: count (linear in the graph)
        return (g.number_of_nodes(), g.number_of_edges())
    token = memo.get(_TOKEN)
    if token is None:
        token = memo[_TOKEN] = object()
    return token


# ---------------------------------------------------------------- on disk


def enabled() -> bool:
    """Whether the on-disk cache is on (``NEGKG_CACHE`` is not 0, false, no or off)."""
    return os.environ.get(SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def directory() -> Path:
    """Where the on-disk cache lives."""
    if given := os.environ.get(DIRECTORY):
        return Path(given)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "negotiation-kg"


def _module_files(name: str) -> list[Path]:
    """The files whose change means another version of an installed library (found without importing it)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.origin:
        return []
    origin = Path(spec.origin)
    return sorted(p for p in origin.parent.iterdir() if p.suffix in (".py", ".so", ".pyd")) if origin.name == "__init__.py" \
        else [origin]


@cache
def _code() -> bytes:
    """A digest of the code that turns the data into answers: the kg package, the query library, the libraries.

    By file name, size and modification time (no file is read): any edit or reinstall changes it.
    """
    from kg.paths import queries_dir

    h = hashlib.sha256(f"negkg-cache {FORMAT} {sys.version}".encode())
    package = Path(__file__).resolve().parent
    files = [p for p in package.rglob("*") if p.suffix != ".pyc" and "_data" not in p.parts]
    files += [*queries_dir().rglob("*")]
    for name in ("networkx", "pyoxigraph", "ladybug"):
        files += _module_files(name)
    for p in sorted(files):
        with contextlib.suppress(OSError):
            st = p.stat()
            h.update(f"\0{p}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.digest()


def _data_files(root: Path) -> list[Path]:
    """The files the loader reads for a data directory (kg.load): the registries, the dataset's description
    (when there is one) and the case files."""
    cases = root / "cases"
    dataset = [root / "dataset.yaml"] if os.path.lexists(root / "dataset.yaml") else []
    names = sorted(e.name for e in os.scandir(cases) if e.name.endswith((".yaml", ".yml")))  # OSError: unreadable
    return [root / "parties.yaml", root / "sources.yaml", *dataset, *(cases / n for n in names if n.endswith(".yaml")),
            *(cases / n for n in names if n.endswith(".yml"))]


def key(data_dir: str | os.PathLike[str] | None = None) -> str | None:
    """The cache key of a data directory (None when its files cannot be read: the loader then says why).

    Files are read as the loader reads them (:func:`kg.io.read_bytes`): a FIFO, a device or a file larger
    than the loader's limit is not read here either (no key, no cache).
    """
    from kg.io import ReadRefused, read_bytes
    from kg.paths import data_dir as default_data_dir

    root = Path(data_dir) if data_dir is not None else default_data_dir()
    h = hashlib.sha256(_code())
    try:
        for p in _data_files(root):
            body = read_bytes(p, MAX_BYTES)
            h.update(f"\0{p.relative_to(root)}\0{len(body)}\0".encode())
            h.update(body)
    except (OSError, ValueError, ReadRefused):
        return None
    return h.hexdigest()


def entry(data_dir: str | os.PathLike[str] | None = None) -> Entry | None:
    """The cache entry of a data directory, or None (cache off, files unreadable, cache directory not writable)."""
    from kg.paths import data_dir as default_data_dir

    if not enabled():
        return None
    k = key(data_dir)
    if k is None:
        return None
    base = directory() / f"v{FORMAT}"
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        where = base / k[:32]
        fresh = not where.exists()
        where.mkdir(exist_ok=True, mode=0o700)
        os.utime(where)  # most recently used
    except OSError:
        return None
    if fresh:
        _prune(base)
    return Entry(where, k, Path(data_dir) if data_dir is not None else default_data_dir())


def _discard(path: Path) -> None:
    """Remove a directory: first renamed out of the way, so no reader finds half of it."""
    import shutil

    try:
        trash = path.with_name(f".trash-{path.name}-{os.getpid()}-{time.monotonic_ns()}")
        path.rename(trash)
    except OSError:
        trash = path
    shutil.rmtree(trash, ignore_errors=True)


def _prune(base: Path) -> None:
    """Keep the :data:`KEEP` most recently used entries; remove temporary directories left by killed processes."""
    import shutil

    # only what the cache made: entries named by their key, and the temporary names it gives (a directory
    # the user keeps beside them, with NEGKG_CACHE_DIR pointed at a folder of theirs, is never touched)
    ours = re.compile(r"[0-9a-f]{32}")
    with contextlib.suppress(OSError):
        entries = sorted((p for p in base.iterdir() if p.is_dir() and ours.fullmatch(p.name)),
                         key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            _discard(old)
        for p in base.glob("*/.*"):
            if (ours.fullmatch(p.parent.name) and p.name.startswith((".tmp-", ".trash-"))
                    and time.time() - p.stat().st_mtime > 3600):
                shutil.rmtree(p, ignore_errors=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _write_manifest(where: Path, key: str, kind: str, meta: dict[str, Any]) -> None:
    files = {}
    for p in sorted(where.rglob("*")):
        if p.is_file() and p.name != MANIFEST:
            st = p.stat()
            files[str(p.relative_to(where))] = [st.st_size, st.st_mtime_ns, _sha256(p)]
    doc = {"format": FORMAT, "key": key, "kind": kind, "files": files, "meta": meta}
    with open(where / MANIFEST, "w", encoding="utf-8") as f:
        json.dump(doc, f)
        f.flush()
        os.fsync(f.fileno())


def _manifest(where: Path, key: str, kind: str) -> dict[str, Any] | None:
    """The manifest of a published artifact if it and every file it lists are intact (size and time), else None."""
    try:
        doc = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
        if doc["format"] != FORMAT or doc["key"] != key or doc["kind"] != kind or not doc["files"]:
            return None
        for name, (size, mtime, _) in doc["files"].items():
            st = (where / name).stat()
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                return None
        return doc
    except (OSError, ValueError, KeyError, TypeError):
        return None


_PICKLED = {("networkx.classes.multidigraph", "MultiDiGraph"), *(("builtins", t) for t in ("dict", "list", "tuple", "set",
            "frozenset", "object"))}


def _unpickle(body: bytes) -> Any:
    """Read back a pickled graph: networkx's graph class and plain data only, nothing else is even looked up."""
    import io
    import pickle

    class Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) in _PICKLED:
                return super().find_class(module, name)
            raise pickle.UnpicklingError(f"refusing {module}.{name} in a cached graph")

    return Unpickler(io.BytesIO(body)).load()


#: artifact directory -> (its manifest's files, the store or database opened from it) in this process;
#: the :data:`OPEN` most recently opened are kept (the others are closed when nothing else holds them)
_OPENED: dict[str, tuple[Any, Any]] = {}
OPEN = 4


def _hold(where: Path, files: Any, value: Any) -> None:
    _OPENED.pop(str(where), None)
    _OPENED[str(where)] = (files, value)
    while len(_OPENED) > OPEN:
        _OPENED.pop(next(iter(_OPENED)))


class Entry:
    """The cached artifacts of one data directory (see the module doc)."""

    def __init__(self, where: Path, key: str, data_dir: Path):
        self.dir, self.key, self.data_dir = where, key, data_dir
        self.meta: dict[str, dict[str, Any]] = {}  # kind -> facts recorded with the artifacts opened so far

    def _artifact(self, kind: str, build: Callable[[Path], tuple[dict[str, Any], T | None]],
                  open_: Callable[[Path], T], keep: bool = False) -> T:
        """Open a published artifact, or build it (in a temporary directory, then renamed into place).

        ``keep``: the opened artifact (a read-only store or database) is kept open in this process and given
        again while its manifest still matches its files, so calls in a row do not reopen it.
        """
        import shutil
        import tempfile

        final = self.dir / kind
        doc = _manifest(final, self.key, kind)
        if doc is not None:
            held = _OPENED.get(str(final)) if keep else None
            if held is not None and held[0] == doc["files"]:
                self.meta[kind] = doc["meta"]
                return held[1]
            try:
                value = open_(final)
                self.meta[kind] = doc["meta"]
                if keep:
                    _hold(final, doc["files"], value)
                return value
            except Exception:  # a damaged artifact is rebuilt, whatever the library raised
                pass
        _OPENED.pop(str(final), None)
        if final.exists():
            _discard(final)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{kind}-", dir=self.dir))
        try:
            meta, value = build(tmp)
            _write_manifest(tmp, self.key, kind, meta)
            try:
                tmp.rename(final)
            except OSError:  # another process published it meanwhile: keep theirs
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.meta[kind] = meta
        if value is not None:
            return value
        value = open_(final)
        if keep and (doc := _manifest(final, self.key, kind)) is not None:
            _hold(final, doc["files"], value)
        return value

    # --- answers

    def _answer_path(self, lang: str, name: str, params: dict[str, Any]) -> Path:
        ask = json.dumps([lang, name, sorted(params.items())], ensure_ascii=False, default=str)
        return self.dir / "answers" / f"{hashlib.sha256(ask.encode()).hexdigest()[:40]}.json"

    def answer(self, lang: str, name: str, params: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The rows an embedded engine gave for this question and these parameters before, if it did."""
        path = self._answer_path(lang, name, params)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            body = json.dumps(doc["rows"], ensure_ascii=False, sort_keys=True)
            if doc["key"] != self.key or doc["sha256"] != hashlib.sha256(body.encode()).hexdigest():
                return None
            return doc["rows"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def remember(self, lang: str, name: str, params: dict[str, Any], rows: list[dict[str, Any]]) -> None:
        """Keep an answer for :meth:`answer` (written atomically; the most recent :data:`ANSWERS` are kept)."""
        path = self._answer_path(lang, name, params)
        body = json.dumps(rows, ensure_ascii=False, sort_keys=True)
        doc = {"key": self.key, "sha256": hashlib.sha256(body.encode()).hexdigest(), "rows": rows}
        try:
            _replace(path, json.dumps(doc, ensure_ascii=False))
            answers = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in answers[ANSWERS:]:
                old.unlink(missing_ok=True)
        except (OSError, TypeError, ValueError):  # a cache that cannot be written only costs time
            pass

    def cases(self) -> list[str]:
        """The ids of the negotiations in the data (from an artifact already opened, else from the graph's)."""
        for meta in self.meta.values():
            return list(meta["cases"])
        self.graph()
        return list(self.meta["graph"]["cases"])

    def graph(self) -> nx.MultiDiGraph:
        """The canonical graph of the data directory (a new object on every call)."""

        def build(tmp: Path) -> tuple[dict[str, Any], nx.MultiDiGraph]:
            import pickle

            from kg.graph import build as build_graph
            from kg.load import load

            g = build_graph(load(data_dir=self.data_dir))
            _forget_views(g)
            body = pickle.dumps(g, protocol=pickle.HIGHEST_PROTOCOL)
            (tmp / "graph.pickle").write_bytes(body)
            return _facts(g) | {"sha256": hashlib.sha256(body).hexdigest()}, g

        def read(where: Path) -> nx.MultiDiGraph:
            doc = _manifest(where, self.key, "graph")
            body = (where / "graph.pickle").read_bytes()
            if doc is None or hashlib.sha256(body).hexdigest() != doc["meta"]["sha256"]:
                raise ValueError("checksum mismatch")
            return _unpickle(body)

        g = self._artifact("graph", build, read)
        _ORIGIN[g] = (version(g), self)
        return g

    def store(self) -> pyoxigraph.Store:
        """The pyoxigraph store of the graph's RDF form (read-only)."""

        def build(tmp: Path) -> tuple[dict[str, Any], None]:
            import pyoxigraph

            from kg.rdf.mapping import text

            g = self.graph()
            store = pyoxigraph.Store(str(tmp / "db"))
            for chunk in _chunks(text(g, "ntriples")):
                store.bulk_load(chunk, pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
            store.flush()
            del store  # closes it
            return {"cases": self.meta["graph"]["cases"]}, None

        def read(where: Path) -> pyoxigraph.Store:
            import pyoxigraph

            return pyoxigraph.Store.read_only(str(where / "db"))

        return self._artifact("store", build, read, keep=True)

    def database(self) -> Embedded:
        """The LadybugDB database of the graph's property-graph form (read-only)."""

        def build(tmp: Path) -> tuple[dict[str, Any], None]:
            from kg.cypher import embedded

            embedded.build(self.graph(), tmp).close()
            return {"cases": self.meta["graph"]["cases"]}, None

        def read(where: Path) -> Embedded:
            from kg.cypher.embedded import Embedded

            return Embedded(where / "graph.lbug")

        return self._artifact("ladybug", build, read, keep=True)


def _replace(path: Path, text: str) -> None:
    """Write a file of the cache atomically (a temporary file beside it, renamed over it). The cache is
    negkg's own directory: no manifest of user files is kept there (:mod:`kg.io` guards the user's files)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _facts(g: nx.MultiDiGraph) -> dict[str, Any]:
    cases = sorted(d["id"] for _, d in g.nodes(data=True) if d.get("type") == "Negotiation")
    return {"cases": cases, "nodes": g.number_of_nodes(), "edges": g.number_of_edges()}


def _forget_views(g: Any) -> None:
    """Drop networkx's cached views and cache from a graph before it is pickled (they are rebuilt on use)."""
    for name in ("nodes", "edges", "adj", "succ", "pred", "degree", "in_edges", "out_edges", "in_degree", "out_degree"):
        g.__dict__.pop(name, None)
    if isinstance(getattr(g, "__networkx_cache__", None), dict):
        g.__networkx_cache__.clear()


def _chunks(pieces: Any, size: int = 1 << 24) -> Any:
    """Text pieces joined into UTF-8 chunks of about ``size`` characters."""
    parts: list[str] = []
    n = 0
    for piece in pieces:
        parts.append(piece)
        n += len(piece)
        if n >= size:
            yield "".join(parts).encode()
            parts, n = [], 0
    if parts:
        yield "".join(parts).encode()


#: graphs read from the cache -> (their version then, the entry): their store and database are the entry's
_ORIGIN: weakref.WeakKeyDictionary[Any, tuple[object, Entry]] = weakref.WeakKeyDictionary()


def origin(g: Any) -> Entry | None:
    """The cache entry a graph came from, if it came from one and its structure has not changed since."""
    hit = _ORIGIN.get(g)
    return hit[1] if hit is not None and hit[0] is version(g) else None
