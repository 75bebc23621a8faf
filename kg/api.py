"""The public Python API. Every CLI command is a thin layer over one function here.

>>> from kg import api
>>> g = api.graph(data_dir="tests/fixtures/mini")
>>> api.query("interest-provision-links", case="river-1990", graph=g).rows[0]["provision"]
'river-1990/dam-and-canals'
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError
from kg.queries import QuerySpec, normalize, spec

if TYPE_CHECKING:
    import networkx as nx

    from kg.errors import Problem
    from kg.load import Corpus

__all__ = ["load", "validate", "graph", "query", "build", "summary", "Result", "BuildResult", "ENGINES", "check_case"]

PathLike = str | os.PathLike[str]

#: query language -> "module:function" answering a library question; see :func:`query`.
ENGINES: dict[str, str] = {
    "native": "kg.api:_native",
    "cypher": "kg.cypher.engine:run",
    "sparql": "kg.rdf.sparql:run",
}


#: engine -> the keyword under which it takes its cached store or database (:mod:`kg.cache`) instead of a graph
_CACHED = {"sparql": "store", "cypher": "database"}


def load(paths: list[PathLike] | None = None, data_dir: PathLike | None = None) -> Corpus:
    """Read and validate case files (default: the data directory); raise InvalidInput on any problem."""
    from kg.load import load as _load

    return _load(paths, data_dir)


def validate(paths: list[PathLike] | None = None, data_dir: PathLike | None = None) -> list[Problem]:
    """Every problem in the case files, each with file, line and path (empty when valid)."""
    from kg.load import validate as _validate

    return _validate(paths, data_dir)


def graph(corpus: Corpus | None = None, data_dir: PathLike | None = None) -> nx.MultiDiGraph:
    """The canonical MultiDiGraph of a corpus (loaded from the data directory when not given).

    From a data directory, the graph comes from the on-disk cache when the files have not changed
    (see :mod:`kg.cache`; ``NEGKG_CACHE=0`` turns it off); it is a new object on every call either way.
    """
    from kg.graph import build as _build

    if corpus is None:
        from kg import cache

        if (entry := cache.entry(data_dir)) is not None:
            return entry.graph()
    return _build(corpus if corpus is not None else load(data_dir=data_dir))


def check_case(g: nx.MultiDiGraph | list[str], case: str | None) -> None:
    """Raise UsageError when ``case`` names no negotiation of the graph (or of this list of negotiation ids)."""
    if case is None or (f"Negotiation:{case}" in g if not isinstance(g, list) else case in g):
        return
    known = sorted(g if isinstance(g, list) else (d["id"] for _, d in g.nodes(data=True) if d["type"] == "Negotiation"))
    raise UsageError(f"unknown case {case!r} (known: {', '.join(known)})")


@dataclass
class Result:
    """Rows answering a library question, in canonical form (columns in order, lists sorted, rows sorted)."""

    query: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    multi: frozenset[str] = frozenset()
    lang: str = "native"

    def to_json(self) -> str:
        """A JSON array of row objects."""
        return json.dumps(self.rows, ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        """CSV with a header; multi-valued cells joined with "; "."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.columns)
        for r in self.rows:
            w.writerow(
                [
                    "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                    for v in (r[c] for c in self.columns)
                ]
            )
        return buf.getvalue()


def _native(q: QuerySpec, params: dict[str, Any], *, graph: nx.MultiDiGraph, **_: Any) -> list[dict[str, Any]]:
    return q.native(graph, **{k: v for k, v in params.items() if v is not None or k in q.required})


def query(
    name: str,
    *,
    case: str | None = None,
    lang: str = "native",
    params: dict[str, Any] | None = None,
    graph: nx.MultiDiGraph | None = None,
    data_dir: PathLike | None = None,
    **engine_options: Any,
) -> Result:
    """Answer a library question (``kg.queries.LIBRARY``) with an engine: native, cypher or sparql.

    ``engine_options`` go to the engine (for example ``endpoint=`` for SPARQL, ``neo4j=`` for Cypher). Without
    ``graph`` (and not remote), the data directory's on-disk cache (:mod:`kg.cache`) supplies the graph, the
    store or the database, and keeps the answer: the same question on the same files is read back.
    """
    q = spec(name)
    given = dict(params or {})
    if case is not None:
        given["case"] = case
    bound = q.bind(given)
    if lang not in ENGINES:
        raise UsageError(f"unknown query language {lang!r} (known: {', '.join(ENGINES)})")
    remote = any(engine_options.get(k) for k in ("endpoint", "neo4j"))
    entry = None
    if graph is None and not remote:
        from kg import cache

        entry = cache.entry(data_dir)
        if entry is not None and (rows := entry.answer(lang, q.name, bound)) is not None:
            return Result(q.name, q.columns, rows, q.multi, lang)  # this question, on these files, answered before
        if entry is not None and lang in _CACHED:  # the engine's store or database from the cache: no graph needed
            engine_options[_CACHED[lang]] = getattr(entry, _CACHED[lang])()
            check_case(entry.cases(), bound.get("case"))
        else:
            graph = entry.graph() if entry is not None else globals()["graph"](data_dir=data_dir)
    if graph is not None:
        check_case(graph, bound.get("case"))
    module, func = ENGINES[lang].split(":")
    run = getattr(importlib.import_module(module), func)
    result = Result(q.name, q.columns, normalize(q, run(q, bound, graph=graph, **engine_options)), q.multi, lang)
    if entry is not None:
        entry.remember(lang, q.name, bound, result.rows)
    return result


def summary(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts of nodes per type and edges per relation."""
    nodes = Counter(t for _, t in g.nodes(data="type"))
    edges = Counter(k for *_, k in g.edges(keys=True))
    return {
        "nodes": dict(sorted(nodes.items())),
        "edges": dict(sorted(edges.items())),
        "total_nodes": g.number_of_nodes(),
        "total_edges": g.number_of_edges(),
    }


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    summary: dict[str, Any]
    headline: Result
    files: list[Path] = field(default_factory=list)


def build(
    out_dir: PathLike | None = "out", data_dir: PathLike | None = None, formats: tuple[str, ...] = ("graphml", "nodelink")
) -> BuildResult:
    """Validate and build the graph, write it under ``out_dir`` (each file atomically), return summary and headline.

    ``out_dir=None`` writes nothing.
    """
    from kg import sinks

    g = graph(data_dir=data_dir)
    files: list[Path] = []
    if out_dir is not None:
        for fmt in formats:
            path = Path(out_dir) / f"graph.{sinks.sink(fmt).EXTENSION}"
            sinks.write(g, fmt, path)
            files.append(path)
    return BuildResult(g, summary(g), query("interest-provision-links", graph=g), files)
