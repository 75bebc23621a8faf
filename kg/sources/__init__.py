"""Sources: the other half of the source/sink design. Each input format is one module with
``read(path, name) -> Parsed`` (the graph, and where each node and edge sits in the file),
registered in :data:`SOURCES`; :func:`import_file` turns what it reads back into case files.

The way back is the way there, reversed: file -> graph (a source module) -> case files
(:mod:`kg.sources.cases`, derived from :mod:`kg.schema`) -> validated by :mod:`kg.load`, exactly
as ``negkg validate`` does -> rebuilt by :mod:`kg.graph` and compared with what was read, so that
nothing is silently lost -> written in the canonical form (:mod:`kg.sources.canonical`).
Every problem names the input file, the line and the node or edge, and the case-file path it
would have become.

>>> sorted(SOURCES)
['gexf', 'graphml', 'jsonld', 'nodelink', 'ntriples', 'trig', 'turtle', 'yed']
>>> fmt_for("out/graph.json"), fmt_for("x.ttl")
('nodelink', 'turtle')
"""

from __future__ import annotations

import importlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InvalidInput, Problem, UsageError

if TYPE_CHECKING:
    import networkx as nx

    from kg.load import Corpus
    from kg.sources.cases import Documents, Origin

__all__ = ["SOURCES", "EXTENSIONS", "Parsed", "ImportResult", "fmt_for", "read", "import_file", "import_graph",
           "canonical_files", "write", "MAX_BYTES", "text_of"]

#: format name -> module reading it
SOURCES: dict[str, str] = {
    "nodelink": "kg.sources.nodelink",
    "graphml": "kg.sources.graphml",
    "yed": "kg.sources.graphml",
    "gexf": "kg.sources.gexf",
    "turtle": "kg.sources.rdf",
    "ntriples": "kg.sources.rdf",
    "jsonld": "kg.sources.rdf",
    "trig": "kg.sources.rdf",
}
#: file name ending -> format
EXTENSIONS: dict[str, str] = {
    ".json": "nodelink",
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".trig": "trig",
}
MAX_BYTES = 200 * 1024 * 1024  #: an input larger than this is refused (the whole corpus is ~3 MB)
#: attributes that drawing tools add and the import ignores
VISUAL = frozenset({"label", "x", "y", "shape_type", "viz"})


@dataclass
class Parsed:
    """A graph read from a file, and where its parts are: ``locate(("node", key))`` or
    ``locate(("edge", u, v, key))`` gives (line, description) — line 0 when unknown."""

    graph: nx.MultiDiGraph
    locate: Callable[[tuple[str, ...]], tuple[int, str]]
    fmt: str = ""


def fmt_for(path: str | os.PathLike[str]) -> str:
    """The format of an input file, from its name."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(f"{k} ({v})" for k, v in EXTENSIONS.items())
        raise UsageError(f"cannot tell the format of {Path(path).name!r}: use --format (file endings known: {known})")
    return EXTENSIONS[suffix]


def text_of(path: Path, name: str) -> bytes:
    """The bytes of an input file, refusing what is too large or unreadable (one located problem)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidInput([Problem(name, 0, "", f"file is too large ({size} bytes; the limit is {MAX_BYTES})")])
        return path.read_bytes()
    except OSError as e:
        raise InvalidInput([Problem(name, 0, "", f"cannot read file: {e.strerror or e}")]) from None


def read(path: str | os.PathLike[str], fmt: str | None = None, name: str | None = None) -> Parsed:
    """Read a graph file written by ``negkg export`` (or edited since) in ``fmt`` (default: from the name)."""
    fmt = fmt or fmt_for(path)
    if fmt not in SOURCES:
        raise UsageError(f"cannot import format {fmt!r} (known: {', '.join(sorted(SOURCES))})")
    name = name or _display(Path(path))
    parsed: Parsed = importlib.import_module(SOURCES[fmt]).read(Path(path), name, fmt)
    for _, d in parsed.graph.nodes(data=True):
        for k in VISUAL & set(d):
            del d[k]
    parsed.fmt = fmt
    return parsed


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _parts(path: str) -> list[str]:
    return [p for p in re.split(r"\.|(?=\[)", path) if p]


def _origin(origins: dict[str, Origin], path: str) -> Origin | None:
    """The origin of a case-file path, or of its closest parent that has one."""
    parts = _parts(path)
    while parts:
        key = "".join(p if p.startswith("[") else "." + p for p in parts).lstrip(".")
        if key in origins:
            return origins[key]
        parts.pop()
    return None


def _problem(parsed: Parsed, name: str, origin: Origin | None, message: str, where: str = "") -> Problem:
    if origin is None:
        return Problem(name, 0, where, message)
    line, desc = parsed.locate(origin.element)
    attr = f".{origin.attr}" if origin.attr else ""
    return Problem(name, line, f"{desc}{attr}", f"{message} ({where})" if where else message)


@dataclass
class ImportResult:
    """What an import gives: the files to write (path -> canonical text), those left as they are, and the corpus."""

    files: dict[Path, str]
    unchanged: list[Path] = field(default_factory=list)
    corpus: Corpus | None = None


def import_graph(parsed: Parsed, name: str, out_dir: str | os.PathLike[str], force: bool = False) -> ImportResult:
    """Case files (and registries) for the graph of ``parsed``, validated, to be written under ``out_dir``.

    ``out_dir`` is a data directory (``parties.yaml``, ``sources.yaml``, ``cases/``). Existing files
    are never replaced unless ``force``: a case file that exists and differs, or a registry that
    the input would change, is a problem. Raises :class:`InvalidInput` with every problem found.
    """
    from kg.sources import canonical, cases

    out = Path(out_dir)
    docs = cases.documents(parsed.graph)
    problems = [_problem(parsed, name, o, m) for o, m in docs.problems]
    if problems:
        raise InvalidInput(problems)
    if not docs.cases:
        raise InvalidInput([Problem(name, 0, "", "no negotiation in the file: nothing to import")])
    existing = {f: _existing(out / f) for f in cases.REGISTRIES}
    merged = {f: _merge(existing[f], getattr(docs, f.removesuffix(".yaml")), cases.REGISTRIES[f][1]) for f in cases.REGISTRIES}
    with tempfile.TemporaryDirectory(prefix="negkg-import-") as tmp:
        root = Path(tmp)
        corpus = _validate(parsed, name, out, root, docs, merged)
        _compare(parsed, name, corpus, problems)
        if problems:
            raise InvalidInput(problems)
        result = ImportResult({}, corpus=corpus)
        for f, (cls, list_field, _) in cases.REGISTRIES.items():
            items = getattr(corpus, list_field)
            wanted = [items[i] for i in (x.get("id") for x in merged[f][list_field]) if i in items]
            text = canonical.dump(cls.model_validate({list_field: [canonical.plain(x) for x in wanted]}))
            _plan(result, out / f, text, force, problems, existing[f] is not None and _same(existing[f], merged[f]))
        for c in corpus.cases:
            target = out / "cases" / f"{c.id}.yaml"
            text = canonical.dump(c)
            _plan(result, target, text, force, problems, target.exists() and _canonical_of(target, root) == text)
    if problems:
        raise InvalidInput(problems)
    return result


def _canonical_of(case_file: Path, root: Path) -> str | None:
    """The canonical text of an existing case file, read with the registries in ``root`` (None if invalid)."""
    from kg.load import load

    try:
        corpus = load([case_file], data_dir=root)
    except InvalidInput:
        return None
    return canonical_files(corpus).get(f"cases/{case_file.stem}.yaml")


def _existing(path: Path) -> dict[str, Any] | None:
    """The data of an existing registry file (None when there is none)."""
    from kg.load import read_yaml

    if not path.exists():
        return None
    data, _ = read_yaml(path)
    return data if isinstance(data, dict) else {}


def _merge(existing: dict[str, Any] | None, imported: dict[str, Any], list_field: str) -> dict[str, Any]:
    """A registry: the existing entries, those of the input replacing them by id, new ones after them."""
    if existing is None:
        return imported
    new = {x["id"]: x for x in imported[list_field]}
    old = [x for x in existing.get(list_field) or [] if isinstance(x, dict)]
    kept = [new.pop(x.get("id"), x) for x in old]
    return {list_field: kept + list(new.values())}


def _same(existing: dict[str, Any], merged: dict[str, Any]) -> bool:
    """Whether a merged registry says what the existing one says (compared as validated models)."""
    from kg.sources import canonical, cases

    for cls, list_field, _ in cases.REGISTRIES.values():
        if list_field in merged:
            try:
                a, b = cls.model_validate(existing), cls.model_validate(merged)
            except ValueError:
                return False
            return canonical.plain(a) == canonical.plain(b)
    return False


def _plan(result: ImportResult, path: Path, text: str, force: bool, problems: list[Problem], same: bool = False) -> None:
    """Add a file to write, unless it exists (the same: left alone; different: a problem without ``force``)."""
    if path.exists():
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if same or current == text:
            result.unchanged.append(path)
            return
        if not force:
            problems.append(Problem(_display(path), 0, "", "exists and the import would change it: use --force to replace it"))
            return
    result.files[path] = text


def _validate(parsed: Parsed, name: str, out: Path, root: Path, docs: Documents, merged: dict[str, dict[str, Any]]) -> Corpus:
    """Validate the documents exactly as ``negkg validate`` does (in the data directory ``root``);
    problems point into the input file."""
    from kg.load import load
    from kg.sources import canonical

    files = {f: canonical.dump(data) for f, data in merged.items()}
    files |= {f"cases/{cid}.yaml": canonical.dump(c) for cid, c in docs.cases.items()}
    for f, text in files.items():
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        (root / f).write_text(text, encoding="utf-8")
    try:
        return load(data_dir=root)
    except InvalidInput as e:
        problems = []
        for p in e.problems:
            rel = Path(os.path.abspath(p.file)).relative_to(root.resolve()).as_posix() if p.file else ""
            origins = docs.origins.get(rel, {})
            origin = _origin(origins, p.path) if p.path else None
            if origin is None and rel in merged and not _from_input(docs, rel, p.path):
                problems.append(Problem(_display(out / rel), 0, p.path, p.message))  # an existing registry's own problem
            else:
                where = f"{rel}: {p.path}" if p.path else rel
                problems.append(_problem(parsed, name, origin, p.message, where))
        raise InvalidInput(problems) from None


def _from_input(docs: Documents, rel: str, path: str) -> bool:
    return bool(path) and _origin(docs.origins.get(rel, {}), path) is not None


def _compare(parsed: Parsed, name: str, corpus: Corpus, problems: list[Problem]) -> None:
    """Everything read must come back when the case files are built: report what would be lost or changed."""
    from kg.graph import build
    from kg.sources.cases import Origin

    g, h = parsed.graph, build(corpus)
    for n, d in g.nodes(data=True):
        if n not in h:
            problems.append(_problem(parsed, name, Origin(("node", n)), "is not kept in the case files"))
            continue
        for k, v in d.items():
            if not _alike(v, h.nodes[n].get(k)):
                problems.append(_problem(parsed, name, Origin(("node", n), k),
                                         f"value {v!r} would become {h.nodes[n].get(k)!r} in the case files"))
    for u, v, k, d in g.edges(keys=True, data=True):
        if not h.has_edge(u, v, k):
            problems.append(_problem(parsed, name, Origin(("edge", u, v, k)),
                                     "is not kept in the case files (it disagrees with the attributes of its nodes, "
                                     "or its nodes are not in the same negotiation)"))
            continue
        e = h.edges[u, v, k]
        for a, x in _claims(d).items():
            if not _alike(x, _claims(e).get(a)):
                problems.append(_problem(parsed, name, Origin(("edge", u, v, k), a),
                                         f"value {x!r} would become {_claims(e).get(a)!r} in the case files"))


def _claims(d: dict[str, Any]) -> dict[str, Any]:
    """Edge attributes with the citations as a set of (source, locator) pairs (their order is not data)."""
    out = {k: v for k, v in d.items() if k not in ("source_ids", "locators")}
    if "source_ids" in d:
        out["citations"] = sorted(zip(d.get("source_ids") or [], d.get("locators") or [], strict=False))
    elif "locators" in d:
        out["locators"] = sorted(d["locators"])
    return out


def _alike(a: Any, b: Any) -> bool:
    """Equal up to surrounding white space and the type of numbers and dates (what validation converts)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_alike(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return _alike(list(a), list(b))
    if a is None or b is None:
        return a is None and b is None
    return str(a).strip() == str(b).strip()


def import_file(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    fmt: str | None = None,
    force: bool = False,
) -> ImportResult:
    """Read ``path`` and return the validated case files it holds, to be written under ``out_dir``
    (see :func:`import_graph`); nothing is written here."""
    name = _display(Path(path))
    return import_graph(read(path, fmt, name), name, out_dir, force)


def write(result: ImportResult) -> list[Path]:
    """Write the files of an import, each atomically; return their paths."""
    from kg.io import atomic_write

    for path, text in result.files.items():
        atomic_write(path, text)
    return list(result.files)


def canonical_files(corpus: Corpus) -> dict[str, str]:
    """The canonical text of every file of a corpus: ``cases/ID.yaml``, ``parties.yaml``, ``sources.yaml``.

    >>> from kg.load import load
    >>> files = canonical_files(load(data_dir="tests/fixtures/mini"))
    >>> sorted(files), files["cases/river-1990.yaml"].splitlines()[0]
    (['cases/river-1990.yaml', 'parties.yaml', 'sources.yaml'], 'id: river-1990')
    """
    from kg import schema
    from kg.graph import build
    from kg.sources import canonical, cases

    docs = cases.documents(build(corpus))
    assert not docs.problems, docs.problems  # a valid corpus always has a canonical form
    out = {f: canonical.dump(cls.model_validate(getattr(docs, f.removesuffix(".yaml"))))
           for f, (cls, _, _) in cases.REGISTRIES.items()}
    out |= {f"cases/{cid}.yaml": canonical.dump(schema.CaseDoc.model_validate(d)) for cid, d in docs.cases.items()}
    return out
