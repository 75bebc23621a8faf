"""SPARQL: the query library on an embedded pyoxigraph store or a SPARQL 1.1 endpoint, ad-hoc
read-only queries, and upload to a server (Graph Store Protocol or SPARQL Update).

Every result goes through SPARQL 1.1 Results JSON, whichever engine produced it, so the embedded
store and a remote endpoint answer through one code path. Values come back typed: xsd:integer as
int, xsd:boolean as bool, unbound as None, other literals and IRIs as str; multi-valued columns
(``[]`` in the header) are GROUP_CONCATs split on :data:`SEP`.

Parameters are never pasted into query text: a ``VALUES`` block built from RDF terms (serialized
by rdflib, which escapes them) joins the outer ``WHERE`` group.

>>> values_block({"case": 'x" } DROP ALL #', "party": None})
'VALUES (?case) { ("x\\\\" } DROP ALL #") }'
>>> redact("http://alice:s3cret@db.example.org:7200/repositories/kg")
'http://***@db.example.org:7200/repositories/kg'
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import RuntimeFailure, UsageError
from kg.queries import QuerySpec, query_file
from kg.redact import redact, without_userinfo

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph

__all__ = ["SEP", "run", "query_text", "values_block", "bind", "select", "execute", "check_read_only", "push",
           "store_for", "redact", "Endpoint", "to_python", "rows_from_json", "results_json", "sparql_json"]

SEP = "\u001f"  #: separator of GROUP_CONCAT in the library's multi-valued columns
USER_ENV, PASSWORD_ENV = "NEGKG_SPARQL_USER", "NEGKG_SPARQL_PASSWORD"
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                               "unsignedShort", "unsignedByte")}
_STORES: weakref.WeakKeyDictionary[Any, tuple[object, Any]] = weakref.WeakKeyDictionary()
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


# --- endpoints and credentials ------------------------------------------------------------------

@dataclass(frozen=True)
class Endpoint:
    """An HTTP(S) URL with optional Basic credentials (from arguments, the URL, or the environment)."""

    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 60.0

    @classmethod
    def of(cls, url: str, user: str | None = None, password: str | None = None, timeout: float = 60.0) -> Endpoint:
        """Check the URL and collect the credentials; the URL kept has none in it."""
        try:
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise UsageError(f"not an http(s) URL: {redact(url)!r}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not an http(s) URL: {redact(url)!r}")
        if parts.username is not None:
            user = user or urllib.parse.unquote(parts.username)
            password = password or urllib.parse.unquote(parts.password or "")
            url = without_userinfo(url)
        user = user or os.environ.get(USER_ENV) or None
        password = password if password is not None else os.environ.get(PASSWORD_ENV)
        return cls(url, user, password, timeout)

    def request(self, method: str, data: bytes | None, headers: dict[str, str], query: str = "") -> bytes:
        """Send one request; map failures to one-line :class:`RuntimeFailure` messages."""
        url = self.url + (("&" if "?" in self.url else "?") + query if query else "")
        req = urllib.request.Request(url, data=data, method=method, headers=dict(headers))
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            if e.code in (401, 403):
                raise RuntimeFailure(f"SPARQL endpoint {self.url} refused the credentials (HTTP {e.code}); "
                                     f"check --user/--password or ${USER_ENV}/${PASSWORD_ENV}") from None
            body = " ".join(e.read(300).decode("utf-8", "replace").split())
            raise RuntimeFailure(f"SPARQL endpoint {self.url} answered HTTP {e.code} {e.reason}"
                                 + (f": {body[:200]}" if body else "")) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            raise RuntimeFailure(f"cannot reach SPARQL endpoint {self.url}: {reason}") from None


# --- query text and parameters ------------------------------------------------------------------

def query_text(q: QuerySpec) -> str:
    """The SPARQL text of a library question (queries/sparql/NAME.rq)."""
    path = query_file(q.name, "sparql")
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise RuntimeFailure(f"missing SPARQL query file {path}") from None


def values_block(params: Mapping[str, Any]) -> str:
    """A VALUES block binding the given (non-None) parameters as typed RDF terms ('' if none), written by pyoxigraph."""
    from pyoxigraph import Literal, Variable

    bound = {k: v for k, v in params.items() if v is not None}
    if not bound:
        return ""
    for k in bound:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
            raise UsageError(f"bad parameter name {k!r}")
    names = " ".join(str(Variable(k)) for k in bound)
    terms = " ".join(str(Literal(v)) for v in bound.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def bind(text: str, params: Mapping[str, Any]) -> str:
    """The query with a VALUES block of ``params`` at the start of its outer WHERE group."""
    block = values_block(params)
    if not block:
        return text
    offset = 0
    for line in text.splitlines(keepends=True):
        if not line.lstrip().startswith("#") and (m := _WHERE.search(line)):
            at = offset + m.end()
            return f"{text[:at]}\n  {block}\n{text[at:]}"
        offset += len(line)
    raise UsageError("the query has no WHERE group to bind parameters in")


# --- engines ------------------------------------------------------------------------------------

def store_for(graph: nx.MultiDiGraph) -> pyoxigraph.Store:
    """The pyoxigraph store of a graph, built once per graph object and rebuilt when a node or an edge is added
    or removed (:func:`kg.cache.version`); a graph read from the on-disk cache uses the cached store."""
    from kg import cache
    from kg.rdf.mapping import to_store

    token = cache.version(graph)
    hit = _STORES.get(graph)
    if hit is not None and hit[0] == token:
        return hit[1]
    entry = cache.origin(graph)
    store = entry.store() if entry is not None else to_store(graph)
    _STORES[graph] = (token, store)
    return store


def _embedded(text: str, store: pyoxigraph.Store) -> tuple[str, bytes]:
    import pyoxigraph

    try:
        res = store.query(text)
        if isinstance(res, pyoxigraph.QueryTriples):
            return "graph", res.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        return "results", res.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""
    except SyntaxError as e:
        raise UsageError(f"SPARQL syntax error: {e}") from None
    except OSError as e:  # evaluation is lazy: a failing SERVICE call surfaces while serializing
        raise RuntimeFailure(f"SPARQL (embedded store): {(str(e).strip().splitlines() or [type(e).__name__])[0]}") from None


def _remote(text: str, endpoint: Endpoint, kind: str, default_graph: str | None = None) -> tuple[str, bytes]:
    form = [("query", text)] + ([("default-graph-uri", default_graph)] if default_graph else [])
    accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
    body = endpoint.request("POST", urllib.parse.urlencode(form).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    return ("graph" if kind == "graph" else "results"), body


def execute(text: str, *, graph: nx.MultiDiGraph | None = None, endpoint: Endpoint | None = None,
            kind: str = "select", default_graph: str | None = None, store: pyoxigraph.Store | None = None) -> tuple[str, bytes]:
    """Run a query on the endpoint if given, else on ``store``, else on the graph's embedded store.

    Returns ``("results", SPARQL Results JSON bytes)`` or ``("graph", N-Triples bytes)``.
    """
    if endpoint is not None:
        return _remote(text, endpoint, kind, default_graph)
    if store is None and graph is None:
        raise UsageError("no graph and no endpoint to query")
    return _embedded(text, store if store is not None else store_for(graph))  # type: ignore[arg-type]


def results_json(raw: bytes, source: str = "endpoint") -> dict[str, Any]:
    """Parse SPARQL 1.1 Results JSON (RuntimeFailure if it is not)."""
    try:
        doc = json.loads(raw)
        if not isinstance(doc, dict) or "head" not in doc:
            raise ValueError("no 'head'")
        return doc
    except ValueError as e:
        raise RuntimeFailure(f"the {source} did not return SPARQL Results JSON ({e})") from None


def to_python(term: dict[str, str] | None) -> Any:
    """A SPARQL JSON term as a Python value: int, bool, str, or None when unbound.

    >>> to_python({"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"})
    3
    >>> to_python(None) is None
    True
    """
    if term is None:
        return None
    if term["type"] == "bnode":
        return "_:" + term["value"]
    dt = term.get("datatype")
    if dt in _INTEGERS:
        return int(term["value"])
    if dt == XSD + "boolean":
        return term["value"] in ("true", "1")
    return term["value"]


def rows_from_json(doc: dict[str, Any], multi: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Rows of a SELECT result as dicts of Python values; ``multi`` columns split on :data:`SEP`."""
    cols = doc["head"].get("vars", [])
    out = []
    for b in doc.get("results", {}).get("bindings", []):
        row = {}
        for c in cols:
            v = to_python(b.get(c))
            if c in multi:
                v = [x for x in v.split(SEP) if x] if isinstance(v, str) else []
            row[c] = v
        out.append(row)
    return out


def select(text: str, *, graph: nx.MultiDiGraph | None = None, endpoint: Endpoint | None = None,
           multi: frozenset[str] = frozenset(), default_graph: str | None = None,
           store: pyoxigraph.Store | None = None) -> list[dict[str, Any]]:
    """Rows of a SELECT query (embedded or remote)."""
    _, raw = execute(text, graph=graph, endpoint=endpoint, default_graph=default_graph, store=store)
    return rows_from_json(results_json(raw, "SPARQL endpoint" if endpoint else "embedded store"), multi)


def run(q: QuerySpec, params: dict[str, Any], *, graph: nx.MultiDiGraph | None, endpoint: str | None = None,
        user: str | None = None, password: str | None = None, default_graph: str | None = None,
        timeout: float = 60.0, store: pyoxigraph.Store | None = None, **_: Any) -> list[dict[str, Any]]:
    """Answer a library question in SPARQL: on ``endpoint`` if given, else on ``store`` (the on-disk cache's),
    else on the graph's embedded store.

    This is ``kg.api.ENGINES["sparql"]``; rows come back with the library's columns and Python types.
    """
    if params.get("case") is not None:  # ?negotiation is the case id in every case-scoped library query: binding it
        params = {**params, "negotiation": params["case"]}  # too lets the engine start from that case (up to 600x faster)
    text = bind(query_text(q), params)
    ep = Endpoint.of(endpoint, user, password, timeout) if endpoint else None
    rows = select(text, graph=None if ep else graph, endpoint=ep, multi=q.multi, default_graph=default_graph,
                  store=None if ep else store)
    return [{c: r.get(c) for c in q.columns} for r in rows]


# --- ad-hoc queries -----------------------------------------------------------------------------

def check_read_only(text: str) -> str:
    """The query form (``select``, ``ask``, ``construct``, ``describe``); UsageError for an update or bad syntax.

    Uses rdflib's SPARQL parser, so the decision is made on the parsed request, before anything runs.

    >>> check_read_only("SELECT * WHERE { ?s ?p ?o }")
    'select'
    >>> check_read_only("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: SPARQL Update is not allowed here (read-only): refusing DeleteWhere
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    try:
        parsed = parser.parseQuery(text)
        form = parsed[1].name  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
        return form.removesuffix("Query").lower()
    except ParseException as query_error:
        try:
            update = parser.parseUpdate(text)
        except ParseException:
            raise UsageError(f"not a valid SPARQL query: {query_error.msg} (line {query_error.lineno}, "
                             f"column {query_error.col})") from None
        ops = [u.name for u in update.request] or ["an empty update"]
        raise UsageError(f"SPARQL Update is not allowed here (read-only): refusing {', '.join(ops)}") from None


# --- upload -------------------------------------------------------------------------------------

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def push(graph: nx.MultiDiGraph, url: str, *, graph_iri: str | None = None, protocol: str = "gsp",
         user: str | None = None, password: str | None = None, timeout: float = 300.0,
         batch: int = 20000) -> dict[str, Any]:
    """Replace the content of a graph on a SPARQL 1.1 server with the RDF form of ``graph``.

    ``protocol="gsp"``: one HTTP PUT of the data (N-Triples, sent as text/turtle) to the Graph Store
    endpoint ``url`` with ``?default`` or ``?graph=IRI``. ``protocol="update"``: SPARQL Update to the
    update endpoint ``url``: ``CLEAR`` (or ``DROP``), then ``INSERT DATA`` in batches of ``batch`` triples.
    """
    from kg.rdf.mapping import ntriples

    if graph_iri is not None and not _IRI.match(graph_iri):
        raise UsageError(f"not an absolute IRI: {graph_iri!r}")
    if protocol not in ("gsp", "update"):
        raise UsageError(f"unknown protocol {protocol!r} (gsp or update)")
    ep = Endpoint.of(url, user, password, timeout)
    # split on "\n" only: splitlines() also breaks at U+2028, which a literal may hold
    lines = [f"{line}\n" for line in ntriples(graph).split("\n")[:-1]]
    if protocol == "gsp":
        target = urllib.parse.urlencode({"graph": graph_iri}) if graph_iri else "default"
        ep.request("PUT", "".join(lines).encode(), {"Content-Type": "text/turtle; charset=utf-8"}, target)
    else:
        def update(text: str) -> None:
            ep.request("POST", urllib.parse.urlencode({"update": text}).encode(),
                       {"Content-Type": "application/x-www-form-urlencoded"})

        update(f"DROP SILENT GRAPH <{graph_iri}>" if graph_iri else "CLEAR SILENT DEFAULT")
        for i in range(0, len(lines), batch):
            chunk = "".join(lines[i:i + batch])
            update(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{chunk}}} }}" if graph_iri else f"INSERT DATA {{\n{chunk}}}")
    return {"endpoint": ep.url, "graph": graph_iri or "default", "triples": len(lines), "protocol": protocol}


def _json_term(v: Any) -> dict[str, str]:
    if isinstance(v, bool):
        return {"type": "literal", "value": "true" if v else "false", "datatype": XSD + "boolean"}
    if isinstance(v, int):
        return {"type": "literal", "value": str(v), "datatype": XSD + "integer"}
    if isinstance(v, list):
        return {"type": "literal", "value": "; ".join(map(str, v))}
    return {"type": "literal", "value": str(v)}


def sparql_json(columns: tuple[str, ...] | list[str], rows: list[dict[str, Any]]) -> str:
    """Rows as SPARQL 1.1 Query Results JSON (ints and bools typed, None unbound, lists joined by "; ").

    >>> import json
    >>> json.loads(sparql_json(["a", "b"], [{"a": 1, "b": None}]))["results"]["bindings"]
    [{'a': {'type': 'literal', 'value': '1', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}}]
    """
    bindings = [{c: _json_term(r[c]) for c in columns if r.get(c) is not None} for r in rows]
    return json.dumps({"head": {"vars": list(columns)}, "results": {"bindings": bindings}}, ensure_ascii=False,
                      indent=1)
