"""The workbench's work, done in worker processes (:mod:`kg.serve.pool`) through the public API.

Each worker builds the graph and its embedded engines once (:func:`init`); then every task is one call
of :mod:`kg.api`, :mod:`kg.cypher.engine`, :mod:`kg.rdf.sparql`, :mod:`kg.select`, :mod:`kg.sinks`,
:mod:`kg.report` or :mod:`kg.viz`, and returns plain picklable data. A query that runs past the time
limit is stopped by stopping its worker, which the pool replaces; nothing here writes outside a
temporary directory.

A *source* says how to compute a result again (the workbench keeps no state between requests)::

    {"kind": "library", "name": "shared-interests", "lang": "native", "params": {"case": "oslo-1993"}}
    {"kind": "cypher", "text": "MATCH (p:Party) RETURN p", "params": {}}
    {"kind": "sparql", "text": "SELECT ?s WHERE { ?s a nkg:Party }"}
"""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import RuntimeFailure, UsageError

if TYPE_CHECKING:
    import networkx as nx

    from kg.serve.config import Config

__all__ = ["init", "run", "protocol", "export", "report", "view", "gallery", "meta", "TooLarge", "RDF_FORMATS",
           "RESULT_FORMATS"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: SPARQL results formats of /sparql: name -> (pyoxigraph QueryResultsFormat attribute, media type)
RESULT_FORMATS = {"json": ("JSON", "application/sparql-results+json"), "xml": ("XML", "application/sparql-results+xml"),
                  "csv": ("CSV", "text/csv; charset=utf-8"), "tsv": ("TSV", "text/tab-separated-values; charset=utf-8")}
#: RDF formats of CONSTRUCT and DESCRIBE answers: name -> (pyoxigraph RdfFormat attribute, media type)
RDF_FORMATS = {"turtle": ("TURTLE", "text/turtle; charset=utf-8"), "jsonld": ("JSON_LD", "application/ld+json"),
               "ntriples": ("N_TRIPLES", "application/n-triples"), "rdfxml": ("RDF_XML", "application/rdf+xml")}

_STATE: dict[str, Any] = {}


class TooLarge(UsageError):
    """A result with more rows (or triples) than the server's cap."""


def init(config: Config) -> None:
    """Build the graph and warm its embedded engines (run once in each worker process).

    SIGTERM gets its default action back (pebble's handler could only run between Python statements, not
    inside an engine's native code), so a worker past the time limit ends at once; its temporary files
    live under the server's scratch directory, which the server removes when it stops.
    """
    import signal

    from kg import api
    from kg.rdf import sparql

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if config.scratch:
        tempfile.tempdir = tempfile.mkdtemp(prefix="worker-", dir=config.scratch)

    g = api.graph(data_dir=config.data_dir)
    _STATE.update(config=config, graph=g)
    sparql.store_for(g)
    if not config.neo4j:
        from kg.cypher import embedded

        embedded.database(g)


def ping(seconds: float = 0.0) -> int:
    """Wait a little and return (the server sends one per worker at start, so each builds its graph)."""
    import os
    import time

    time.sleep(seconds)
    return os.getpid()


def _graph() -> nx.MultiDiGraph:
    return _STATE["graph"]


def _config() -> Config:
    return _STATE["config"]


def _options(lang: str) -> dict[str, Any]:
    """Engine options of a library query: Neo4j or a SPARQL endpoint when the server was started with one."""
    cfg = _config()
    if lang == "cypher" and cfg.neo4j:
        return {"neo4j": cfg.neo4j}
    if lang == "sparql" and cfg.sparql_endpoint:
        return {"endpoint": cfg.sparql_endpoint, "timeout": cfg.timeout}
    return {}


def _too_large(n: int) -> TooLarge:
    return TooLarge(f"the result has more than {n} rows, this server's cap (--max-rows): narrow the query "
                    "(a case, a filter, LIMIT) or run it with the command line")


# --- results ------------------------------------------------------------------------------------

def run(source: dict[str, Any], max_rows: int) -> dict[str, Any]:
    """The rows of a source: ``{"kind": "rows", "columns", "rows", "truncated"}`` (at most ``max_rows`` rows),
    or for SPARQL ASK ``{"kind": "boolean", "boolean"}``, for CONSTRUCT/DESCRIBE ``{"kind": "graph", "text", ...}``."""
    kind = source["kind"]
    if kind == "library":
        from kg import api

        res = api.query(source["name"], lang=source["lang"], params=source["params"], graph=_graph(),
                        **_options(source["lang"]))
        return _rows(list(res.columns), res.rows, max_rows)
    if kind == "cypher":
        from kg.cypher import engine

        cfg = _config()
        cols, rows = engine.adhoc(source["text"], source["params"], graph=None if cfg.neo4j else _graph(),
                                  neo4j=cfg.neo4j, max_rows=max_rows + 1, timeout=cfg.timeout)
        return _rows(cols, rows, max_rows)
    return _sparql_console(source["text"], max_rows)


def _rows(columns: list[str], rows: list[dict[str, Any]], max_rows: int) -> dict[str, Any]:
    return {"kind": "rows", "columns": columns, "rows": rows[:max_rows], "truncated": len(rows) > max_rows}


def _evaluate(text: str, max_rows: int, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> tuple[str, Any, list[str]]:
    """Evaluate a read-only query on the embedded store, reading at most ``max_rows + 1`` solutions or triples.

    Returns ``("boolean", bool, [])``, ``("graph", triples, [])`` or ``("solutions", solutions, variables)``.
    """
    import pyoxigraph as ox

    from kg.rdf import sparql

    kwargs: dict[str, Any] = {"prefixes": sparql.predeclared()}
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(i) for i in default_graphs]
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(i) for i in named_graphs]
    try:
        res = sparql.store_for(_graph()).query(text, **kwargs)
        if isinstance(res, ox.QueryBoolean):
            return "boolean", bool(res), []
        items = list(itertools.islice(res, max_rows + 1))  # evaluation is lazy: errors surface here too
        if isinstance(res, ox.QueryTriples):
            return "graph", items, []
        return "solutions", items, [v.value for v in res.variables]
    except SyntaxError as e:
        raise sparql.syntax_error(e, text) from None
    except (OSError, ValueError) as e:
        raise RuntimeFailure(f"SPARQL: {(str(e).strip().splitlines() or [type(e).__name__])[0]}") from None


def _term(t: Any) -> dict[str, Any]:
    """A pyoxigraph term in SPARQL 1.1 Results JSON."""
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _term(t.subject), "predicate": _term(t.predicate),
                                            "object": _term(t.object)}}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != XSD_STRING:
        out["datatype"] = t.datatype.value
    return out


def _results_json(variables: list[str], solutions: list[Any]) -> bytes:
    bindings = [{v: _term(s[v]) for v in variables if s[v] is not None} for s in solutions]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()


def _sparql_console(text: str, max_rows: int) -> dict[str, Any]:
    from kg.rdf import sparql

    form = sparql.check_read_only(text)
    cfg = _config()
    if cfg.sparql_endpoint:
        ep = sparql.Endpoint.of(cfg.sparql_endpoint, timeout=cfg.timeout)
        kind, raw = sparql.execute(text, endpoint=ep, kind="graph" if form in ("construct", "describe") else "select",
                                   prefixes=True)
        if kind == "graph":
            lines = raw.decode("utf-8").splitlines()
            return {"kind": "graph", "text": "\n".join(lines[:max_rows]) + "\n", "triples": min(len(lines), max_rows),
                    "truncated": len(lines) > max_rows}
        doc = sparql.results_json(raw, "SPARQL endpoint")
    else:
        kind, items, variables = _evaluate(text, max_rows)
        if kind == "boolean":
            return {"kind": "boolean", "boolean": items}
        if kind == "graph":
            return {"kind": "graph", "text": _serialize_triples(items[:max_rows], "turtle").decode("utf-8"),
                    "triples": min(len(items), max_rows), "truncated": len(items) > max_rows}
        doc = json.loads(_results_json(variables, items))
    if "boolean" in doc:
        return {"kind": "boolean", "boolean": doc["boolean"]}
    rows = sparql.rows_from_json(doc)
    return _rows(list(doc["head"].get("vars", [])), rows, max_rows)


def _serialize_triples(triples: list[Any], fmt: str) -> bytes:
    import pyoxigraph as ox

    from kg.rdf import sparql

    prefixes = {k: v for k, v in sparql.predeclared().items() if k not in ("sh", "dcterms")}
    return ox.serialize(triples, format=getattr(ox.RdfFormat, RDF_FORMATS[fmt][0]), prefixes=prefixes) or b""


def protocol(text: str, formats: list[str], default_graphs: list[str], named_graphs: list[str],
             max_rows: int) -> tuple[str, bytes]:
    """Answer a SPARQL 1.1 Protocol request on the embedded store: ``(media type, body)``.

    ``formats`` are the client's acceptable formats, best first (keys of :data:`RESULT_FORMATS` and
    :data:`RDF_FORMATS`); the first of the query's family wins, else JSON (SELECT, ASK) or Turtle
    (CONSTRUCT, DESCRIBE). More than ``max_rows`` solutions or triples raise :class:`TooLarge`: a
    protocol answer is never silently cut.
    """
    import pyoxigraph as ox

    from kg.rdf import sparql

    sparql.check_read_only(text)
    kind, items, variables = _evaluate(text, max_rows, default_graphs, named_graphs)
    if kind == "graph":
        if len(items) > max_rows:
            raise _too_large(max_rows)
        name = next((f for f in formats if f in RDF_FORMATS), "turtle")
        return RDF_FORMATS[name][1], _serialize_triples(items, name)
    name = next((f for f in formats if f in RESULT_FORMATS), "json")
    attr, media = RESULT_FORMATS[name]
    if kind == "boolean":
        doc = json.dumps({"head": {}, "boolean": items}).encode()
    elif len(items) > max_rows:
        raise _too_large(max_rows)
    else:
        doc = _results_json(variables, items)
    if name == "json":
        return media, doc
    parsed = ox.parse_query_results(doc, format=ox.QueryResultsFormat.JSON)
    return media, parsed.serialize(format=getattr(ox.QueryResultsFormat, attr)) or b""


# --- the subgraph of a result: exports, reports, graph views ---------------------------------------

def _ids(value: Any, out: set[str]) -> None:
    """Node ids in an ad-hoc value: a node's ``id``, a relationship's ``start``/``end``, strings anywhere."""
    if isinstance(value, dict):
        if "labels" in value and "id" in value:
            out.add(str(value["id"]))
        elif "type" in value and "start" in value:
            out.update(str(value[k]) for k in ("start", "end") if value[k] is not None)
        else:
            for v in value.values():
                _ids(v, out)
    elif isinstance(value, list):
        for v in value:
            _ids(v, out)
    elif isinstance(value, str):
        out.add(value)
        if " @ " in value:
            out.add(value.split(" @ ", 1)[0])


def _iri_keys() -> dict[str, str]:
    """Instance IRI -> node key of the graph (for SPARQL results), built once per worker."""
    if "iris" not in _STATE:
        from kg.rdf.mapping import node_iri

        _STATE["iris"] = {node_iri(d["type"], d["id"]): n for n, d in _graph().nodes(data=True)}
    return _STATE["iris"]


def _subgraph(source: dict[str, Any]) -> tuple[nx.MultiDiGraph, dict[str, Any] | None, str]:
    """The subgraph a result names, the report criteria describing it, and a title."""
    from kg import select

    g = _graph()
    if source["kind"] == "library":
        params = {k: v for k, v in source["params"].items() if v not in (None, "")}
        crit = {"query": source["name"], "lang": source["lang"], "params": params}
        return select.select(g, **crit, **_options(source["lang"])), crit, f"Query: {source['name']}"
    res = run(source, _config().max_rows)
    ids: set[str] = set()
    for row in res.get("rows", []):
        _ids(row, ids)
    nodes = select.nodes_for_ids(g, ids) | {k for i in ids if (k := _iri_keys().get(i))}
    if not nodes:
        raise UsageError("the result names no node of the graph: nothing to export or report on")
    label = "Cypher" if source["kind"] == "cypher" else "SPARQL"
    return select.induced(g, select.context(g, nodes)), None, f"Ad-hoc {label} result"


def export(source: dict[str, Any], fmt: str) -> tuple[str, bytes]:
    """The subgraph of a result in an export format (``kg.sinks``), written in a temporary directory: (file name, bytes)."""
    from kg import sinks

    s = sinks.sink(fmt)
    sub, _, _ = _subgraph(source)
    ext = "zip" if fmt == "csv" else s.EXTENSION
    with tempfile.TemporaryDirectory(prefix="negkg-serve-") as tmp:
        path = Path(tmp) / f"subgraph.{ext}"
        s.write(sub, path)
        return path.name, path.read_bytes()


def report(source: dict[str, Any], fmt: str) -> bytes:
    """The report (``kg.report``) of a result's subgraph, as md, html or pdf bytes."""
    from kg import report as report_

    sub, crit, title = _subgraph(source)
    body = report_.render(sub, fmt, criteria=crit, title=None if crit else title, timestamp="now")
    return body if isinstance(body, bytes) else body.encode("utf-8")


def view(source: dict[str, Any]) -> str:
    """The gallery page (``kg.viz``) of a result: the query page of a library result, else its subgraph."""
    from kg.viz import pages

    if source["kind"] == "library":
        from kg import api

        res = api.query(source["name"], lang=source["lang"], params=source["params"], graph=_graph(),
                        **_options(source["lang"]))
        return pages.query_page(_graph(), res, case=source["params"].get("case"), params=source["params"], nav=False)
    sub, _, title = _subgraph(source)
    return pages.graph_page(sub, title=title, nav=False)


def gallery() -> dict[str, str]:
    """Every page of the gallery (``kg.viz.pages.gallery``), written in a temporary directory: file name -> HTML."""
    from kg.viz import pages

    with tempfile.TemporaryDirectory(prefix="negkg-gallery-") as tmp:
        files = pages.gallery(_graph(), tmp)
        return {p.name: p.read_text(encoding="utf-8") for p in files}


# --- what the workbench shows beside the consoles ------------------------------------------------------

def _value_type(param: str) -> str | None:
    """The node type whose ids a library parameter takes (derived from the model), "*" for any node, or None."""
    from kg import model

    if param in ("case", "negotiation"):
        return "Negotiation"
    if param == "id":
        return "*"
    key = param.replace("_", "").lower()
    exact = [t for t in model.NODE_TYPES if t.lower() == key]
    suffix = [t for t in model.NODE_TYPES if t.lower().endswith(key)]
    return (exact or suffix or [None])[0]


def meta(g: nx.MultiDiGraph, config: Config) -> dict[str, Any]:
    """The library as forms (parameters with their allowed values from the graph), the schemas, the limits."""
    from kg import report as report_
    from kg import sinks
    from kg.cypher import engine
    from kg.queries import LIBRARY
    from kg.rdf import sparql

    library, types = [], set()
    for q in LIBRARY.values():
        params = []
        for p in q.params:
            t = _value_type(p.name)
            types.add(t)
            params.append({"name": p.name, "description": p.description, "required": p.required, "values": t})
        library.append({"name": q.name, "description": q.description, "params": params, "columns": list(q.columns),
                        "cypher": engine.query_text(q.name, "neo4j" if config.neo4j else "ladybug"),
                        "sparql": sparql.query_text(q)})
    values: dict[str, list[list[str]]] = {}
    for t in sorted(x for x in types if x):
        nodes = ((d["id"], str(d.get("name") or d["id"])) for _, d in g.nodes(data=True) if t == "*" or d["type"] == t)
        values[t] = [list(x) for x in sorted(set(nodes))]
    return {
        "engines": config.engines,
        "library": library,
        "values": values,
        "cypher_schema": _cypher_schema(),
        "sparql_schema": _sparql_schema(),
        "limits": {"timeout": config.timeout, "max_rows": config.max_rows},
        "exports": sorted(sinks.SINKS),
        "reports": list(report_.FORMATS),
    }


def _cypher_schema() -> dict[str, Any]:
    from kg.cypher import mapping

    return {
        "labels": [{"label": lb, "properties": [list(p) for p in mapping.node_properties(lb)]} for lb in mapping.LABELS],
        "relationships": [{"type": r, "endpoints": [list(e) for e in mapping.endpoints(r)],
                           "properties": [list(p) for p in mapping.rel_properties(r)]} for r in mapping.REL_TYPES],
    }


def _sparql_schema() -> dict[str, Any]:
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS

    from kg.rdf import sparql
    from kg.rdf.ontology import FILES

    prefixes = sparql.predeclared()
    ont = rdflib.Graph().parse(FILES["ontology"], format="turtle")

    def short(iri: Any) -> str:
        s = str(iri)
        for p, ns in sorted(prefixes.items(), key=lambda x: -len(x[1])):
            if s.startswith(ns) and p != "dcterms":
                return f"{p}:{s[len(ns):]}"
        return f"<{s}>"

    def label(x: Any) -> str:
        return str(ont.value(x, RDFS.comment) or ont.value(x, RDFS.label) or "")

    classes = sorted({short(c): label(c) for c in ont.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)}.items())
    props = []
    for kind, t in (("object", OWL.ObjectProperty), ("datatype", OWL.DatatypeProperty)):
        for p in ont.subjects(RDF.type, t):
            props.append({"name": short(p), "kind": kind, "domain": short(d) if (d := ont.value(p, RDFS.domain)) else "",
                          "range": short(r) if (r := ont.value(p, RDFS.range)) else "", "comment": label(p)})
    return {"prefixes": prefixes, "classes": [{"name": n, "comment": c} for n, c in classes],
            "properties": sorted(props, key=lambda x: x["name"])}
