"""The public Python API, exported at package level (``kg.query``, ``kg.cypher``, ...). Every CLI command is
a thin layer over one function here.

Functions that take ``graph=`` use, when it is not given, the canonical graph of the data directory
(``data_dir=``, default :func:`kg.paths.data_dir`), built once and reused until a file under the
directory changes (:func:`shared_graph`), so that notebook calls in a row are quick. :func:`graph`
always builds a new graph.

>>> from kg import api
>>> g = api.graph(data_dir="tests/fixtures/mini")
>>> api.query("interest-provision-links", case="river-1990", graph=g).rows[0]["provision"]
'river-1990/dam-and-canals'
>>> api.sparql("PREFIX nkg: <https://w3id.org/negotiation-kg/ontology#> "
...            "SELECT (COUNT(?p) AS ?n) WHERE { ?p a nkg:Party }", graph=g).rows
[{'n': 3}]
"""

from __future__ import annotations

import csv
import html
import importlib
import io
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError
from kg.queries import QuerySpec, normalize, spec

if TYPE_CHECKING:
    import networkx as nx
    import pandas
    import polars
    import pyvis.network
    import rdflib

    from kg.errors import Problem
    from kg.load import Corpus

__all__ = ["load", "validate", "graph", "shared_graph", "query", "cypher", "sparql", "rdf", "select", "network",
           "report", "precedents", "potential", "build", "summary", "Result", "BuildResult", "ENGINES", "check_case",
           "import_file", "canonical"]

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


def graph(corpus: Corpus | None = None, data_dir: PathLike | None = None,
          with_data: PathLike | Iterable[PathLike] = ()) -> nx.MultiDiGraph:
    """The canonical MultiDiGraph of a corpus (loaded from the data directory when not given).

    ``with_data``: other data directories (each with its own ``parties.yaml``, ``sources.yaml`` and
    ``cases/``, such as the examples under ``data/examples/``) whose cases join the data directory's in one
    graph, so that an example's potential draws on the corpus's precedents; their registries are merged
    (:func:`kg.load.load`).

    From a data directory alone, the graph comes from the on-disk cache when the files have not changed
    (see :mod:`kg.cache`; ``NEGKG_CACHE=0`` turns it off); it is a new object on every call either way.
    """
    from kg.graph import build as _build

    if corpus is None:
        extra = [with_data] if isinstance(with_data, (str, os.PathLike)) else list(with_data)
        if extra:
            from kg.paths import data_dir as default_dir

            root = Path(data_dir) if data_dir is not None else default_dir()
            corpus = load([root, *extra], data_dir=root)
        else:
            from kg import cache

            if (entry := cache.entry(data_dir)) is not None:
                return entry.graph()
            corpus = load(data_dir=data_dir)
    return _build(corpus)


_SHARED: dict[str, tuple[tuple[tuple[str, int, int], ...], nx.MultiDiGraph]] = {}


def shared_graph(data_dir: PathLike | None = None) -> nx.MultiDiGraph:
    """The canonical graph of a data directory, built on first use and rebuilt when a file under it changes.

    The API functions read it when no ``graph=`` is given; treat it as read-only (:func:`graph` gives a copy
    to change).
    """
    from kg.paths import data_dir as default_dir

    root = Path(data_dir) if data_dir is not None else default_dir()
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
    sig = tuple((str(p), st.st_mtime_ns, st.st_size) for p in files for st in (p.stat(),))
    key = str(root.resolve())
    hit = _SHARED.get(key)
    if hit is not None and hit[0] == sig:
        return hit[1]
    g = graph(data_dir=root)
    _SHARED[key] = (sig, g)
    return g


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
        return json.dumps(self.rows, ensure_ascii=False, indent=2, default=str)

    def __repr__(self) -> str:
        return f"Result({self.query!r}, lang={self.lang!r}, {len(self.rows)} rows, columns={list(self.columns)})"

    #: rows shown by the notebook table (all of them are in ``rows``, ``to_pandas()``, ``to_csv()``)
    HTML_ROWS = 200

    def _repr_html_(self) -> str:
        """The rows as an HTML table for notebooks; every value is escaped text."""
        def cell(v: Any) -> str:
            text = "; ".join(map(str, v)) if isinstance(v, list) else "" if v is None else str(v)
            return html.escape(text)

        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{cell(r.get(c))}</td>" for c in self.columns) + "</tr>"
                       for r in self.rows[: self.HTML_ROWS])
        more = len(self.rows) - self.HTML_ROWS
        note = f"<p>… {more} more rows (all in .rows, .to_pandas(), .to_csv())</p>" if more > 0 else ""
        caption = html.escape(f"{self.query} ({len(self.rows)} rows, {self.lang})")
        return (f'<table class="negkg-result"><caption style="text-align:left">{caption}</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}")

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (columns in order; list cells stay lists). Needs pandas:
        ``pip install 'negotiation-kg[notebook]'``."""
        pd = _optional("pandas")
        return pd.DataFrame(self.rows, columns=list(self.columns))

    def to_polars(self) -> polars.DataFrame:
        """The rows as a polars DataFrame (list cells become list columns). Needs polars:
        ``pip install 'negotiation-kg[notebook]'``."""
        pl = _optional("polars")
        if not self.rows:
            return pl.DataFrame(schema=list(self.columns))
        return pl.DataFrame(self.rows, orient="row", infer_schema_length=None).select(list(self.columns))

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


def _optional(module: str) -> Any:
    from kg.errors import RuntimeFailure

    try:
        return importlib.import_module(module)
    except ImportError:
        raise RuntimeFailure(f"{module} is not installed: pip install 'negotiation-kg[notebook]' (or pip install "
                             f"{module})") from None


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
    from kg.text import check_text

    q = spec(name)
    given = dict(params or {})
    if case is not None:
        given["case"] = case
    for k, v in given.items():
        if isinstance(v, str):
            check_text(v, f"the parameter {k!r}")
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
            graph = shared_graph(data_dir)
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
    out_dir: PathLike | None = "out",
    data_dir: PathLike | None = None,
    formats: tuple[str, ...] = ("graphml", "nodelink"),
    *,
    force: bool | None = None,
) -> BuildResult:
    """Validate and build the graph, write it under ``out_dir`` (each file atomically), return summary and headline.

    ``out_dir=None`` writes nothing. Files there that negkg did not write are never overwritten
    unless ``force`` (see :mod:`kg.io`); every target is checked before the graph is built.
    """
    from kg import sinks
    from kg.io import check_out_dir, check_target

    paths = [] if out_dir is None else [Path(out_dir) / f"graph.{sinks.sink(fmt).EXTENSION}" for fmt in formats]
    if out_dir is not None:
        check_out_dir(out_dir)
    for path in paths:
        check_target(path, force=force)
    g = graph(data_dir=data_dir)
    for fmt, path in zip(formats, paths, strict=True):
        with _forcing(force):
            sinks.write(g, fmt, path)
    return BuildResult(g, summary(g), query("interest-provision-links", graph=g), paths)


def _forcing(force: bool | None) -> Any:
    """``kg.io.overwrite(force)`` when ``force`` is given, else no change."""
    import contextlib

    from kg.io import overwrite

    return contextlib.nullcontext() if force is None else overwrite(force)


def import_file(
    path: PathLike, out_dir: PathLike, fmt: str | None = None, force: bool = False, write: bool = True
) -> Any:
    """Read a graph file (node-link JSON, GraphML, GEXF, Turtle, N-Triples, JSON-LD, TriG) back into validated
    case files under ``out_dir``; existing files are replaced only with ``force``. Returns the
    :class:`kg.sources.ImportResult`; ``write=False`` checks without writing."""
    from kg import sources
    from kg.io import overwrite

    result = sources.import_file(path, out_dir, fmt, force)
    if write:
        with overwrite(force):  # the import has already refused to change a file without force
            sources.write(result)
    return result


def canonical(paths: list[PathLike] | None = None, data_dir: PathLike | None = None) -> dict[str, str]:
    """The canonical form of the corpus's files (see :mod:`kg.sources.canonical`): relative path -> YAML text."""
    from kg.sources import canonical_files

    return canonical_files(load(paths, data_dir))


def precedents(categories: list[str] | str | None = None, **options: Any) -> Result:
    """Ranked precedents for a configuration of interests (one or two categories, ``interest=`` or ``issue=``);
    see :func:`kg.integrative.precedents` for the options and docs/precedents.md for the ranking."""
    from kg.integrative import precedents as _precedents

    return _precedents(categories, **options)


def potential(case: str, *, with_data: PathLike | Iterable[PathLike] = (), data_dir: PathLike | None = None,
              **options: Any) -> Result:
    """Integrative potential of a case: cited suggestions from other cases; see :func:`kg.integrative.potential`.

    ``with_data`` adds other data directories (e.g. ``"data/examples/gerd"``) to the data directory's cases, so
    that a case kept outside the corpus gets its precedents from the corpus (see :func:`graph`).
    """
    from kg.integrative import potential as _potential

    if options.get("graph") is None and (with_data or data_dir is not None):
        options["graph"] = graph(data_dir=data_dir, with_data=with_data) if with_data else shared_graph(data_dir)
    return _potential(case, **options)


# --- notebook-first helpers: ad-hoc queries, other forms of the graph, pictures, reports -------------------
# Each is exported at package level by kg/__init__.py's _API table; new ones (kg.precedents, kg.potential)
# go here and there, with a line in __all__.

def _graph_or_shared(graph: nx.MultiDiGraph | None, data_dir: PathLike | None) -> nx.MultiDiGraph:
    return graph if graph is not None else shared_graph(data_dir)


def cypher(text: str, params: dict[str, Any] | None = None, *, graph: nx.MultiDiGraph | None = None,
           data_dir: PathLike | None = None, neo4j: Any = None) -> Result:
    """Run one read-only Cypher statement (values as ``$parameters``) on the embedded engine, or on Neo4j with
    ``neo4j=`` (a :class:`kg.cypher.neo4jdb.Settings`, a mapping of its fields, or True for the NEO4J_* variables).
    A statement that writes is refused before it runs."""
    from kg.cypher.engine import adhoc

    cols, rows = adhoc(text, params, graph=None if neo4j else _graph_or_shared(graph, data_dir), neo4j=neo4j)
    return Result("cypher", tuple(cols), rows, lang="cypher")


def sparql(text: str, *, graph: nx.MultiDiGraph | None = None, data_dir: PathLike | None = None,
           endpoint: str | None = None, user: str | None = None, password: str | None = None,
           default_graph: str | None = None, allow_service: bool = False,
           service_timeout: float = 10.0) -> Result | bool | rdflib.Graph:
    """Run a read-only SPARQL query on the embedded store, or on ``endpoint`` (any SPARQL 1.1 server).

    SELECT gives a :class:`Result`, ASK a bool, CONSTRUCT and DESCRIBE an rdflib Graph. Updates are refused,
    and so is ``SERVICE`` unless ``allow_service`` (then the query has ``service_timeout`` seconds).
    The project's prefixes are predeclared (docs/rdf.md).
    """
    from kg.rdf import sparql as engine

    form = engine.check_read_only(text, allow_service=allow_service)
    ep = engine.Endpoint.of(endpoint, user, password) if endpoint else None
    g = None if ep else _graph_or_shared(graph, data_dir)
    kind, raw = engine.execute(text, graph=g, endpoint=ep, default_graph=default_graph, prefixes=True,
                               allow_service=allow_service, service_timeout=service_timeout,
                               kind="graph" if form in ("construct", "describe") else "select")
    if kind == "graph":
        import rdflib

        return rdflib.Graph().parse(data=raw.decode("utf-8"), format="nt")
    doc = engine.results_json(raw, "SPARQL endpoint" if ep else "embedded store")
    if "boolean" in doc:
        return bool(doc["boolean"])
    return Result("sparql", tuple(doc["head"].get("vars", [])), engine.rows_from_json(doc), lang="sparql")


def rdf(graph: nx.MultiDiGraph | None = None, *, data_dir: PathLike | None = None,
        dataset: bool = False) -> rdflib.Graph | rdflib.Dataset:
    """The graph in RDF (docs/rdf.md): one rdflib Graph, or with ``dataset=True`` an rdflib Dataset with one
    named graph per negotiation."""
    from kg.rdf.mapping import to_dataset, to_graph

    g = _graph_or_shared(graph, data_dir)
    return to_dataset(g) if dataset else to_graph(g)


def _criteria(case: str | None, select: Any) -> dict[str, Any]:
    """Selection criteria (keyword arguments of :func:`kg.select.select`) from ``case`` and ``select``: a mapping,
    a ``"KEY=VALUE"`` string or a list of them."""
    from kg.select import parse_select

    if select is None:
        crit: dict[str, Any] = {}
    elif isinstance(select, str):
        crit = parse_select([select])
    elif isinstance(select, Mapping):
        crit = dict(select)
    elif isinstance(select, Iterable):
        crit = parse_select(list(select))
    else:
        raise UsageError(f"select= takes a mapping or KEY=VALUE strings, not {type(select).__name__}")
    if case is not None:
        if crit.get("case", case) != case:
            raise UsageError("case= and select={'case': ...} disagree")
        crit["case"] = case
    return crit


def select(*pairs: str, graph: nx.MultiDiGraph | None = None, data_dir: PathLike | None = None,
           **criteria: Any) -> nx.MultiDiGraph:
    """The subgraph that every criterion keeps (:func:`kg.select.select`): ``select("party=usa",
    "category=security")`` or ``select(party="usa", category="security")``; also ``case``, ``node`` with
    ``hops``, ``query`` with ``lang`` and ``params``, ``mechanism``."""
    from kg.select import select as _select

    return _select(_graph_or_shared(graph, data_dir), **{**_criteria(None, list(pairs)), **criteria})


def network(case: str | None = None, select: Any = None, *, layout: str = "layered",
            graph: nx.MultiDiGraph | None = None, data_dir: PathLike | None = None,
            **options: Any) -> pyvis.network.Network:
    """A styled pyvis Network of a negotiation (``case``), a selection (``select``: criteria as for
    :func:`select`, or a query :class:`Result`) or the whole graph: the gallery pages' colours, legend,
    plain-text tooltips and layered layout (``layout="force"`` for physics). It shows inline in Jupyter and
    JupyterLab, offline, and writes with pyvis's own methods (``write_html``, ``save_graph``, ``show``).
    ``options`` go to :func:`kg.viz.notebook.network` (``context=True`` draws vocabulary and sources as nodes;
    ``height=``)."""
    from kg.viz.notebook import network as _network

    g = _graph_or_shared(graph, data_dir)
    return _network(g, case=case, select=select if isinstance(select, Result) else _criteria(None, select) or None,
                    layout=layout, **options)


def report(case: str | None = None, select: Any = None, *, fmt: str | None = None, path: PathLike | None = None,
           graph: nx.MultiDiGraph | None = None, data_dir: PathLike | None = None, title: str | None = None,
           timestamp: Any = None) -> str | bytes | list[Path]:
    """A cited report (:mod:`kg.report`) of a negotiation or a selection: the text of ``fmt`` (md, the default;
    html; pdf gives bytes), or with ``path`` the files written (format from ``fmt``, else the suffix).
    ``timestamp="now"`` dates it."""
    from kg.report import render, write
    from kg.select import select as _select

    crit = _criteria(case, select)
    if not crit:
        raise UsageError("say what to report on: case=ID or select=... (see kg.select)")
    full = _graph_or_shared(graph, data_dir)
    sub = _select(full, **crit)
    opts = {"criteria": crit, "title": title, "timestamp": timestamp, "corpus": full}
    if path is not None:
        return write(sub, path, fmt, **opts)
    return render(sub, fmt or "md", **opts)
