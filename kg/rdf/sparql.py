"""SPARQL: the query library on an embedded pyoxigraph store or a SPARQL 1.1 endpoint, ad-hoc
read-only queries, and upload to a server (Graph Store Protocol or SPARQL Update).

Every result goes through SPARQL 1.1 Results JSON, whichever engine produced it, so the embedded
store and a remote endpoint answer through one code path. Values come back typed: xsd:integer as
int, xsd:decimal, double and float as float, xsd:boolean as bool, unbound as None, other literals and
IRIs as str; multi-valued columns (``[]`` in the header) are GROUP_CONCATs split on :data:`SEP`.

Parameters are never pasted into query text: a ``VALUES`` block built from RDF terms (serialized
by rdflib, which escapes them) joins the outer ``WHERE`` group.

>>> values_block({"case": 'x" } DROP ALL #', "party": None})
'VALUES (?case) { ("x\\\\" } DROP ALL #") }'
>>> redact("http://alice:s3cret@db.example.org:7200/repositories/kg")
'http://***@db.example.org:7200/repositories/kg'
"""

from __future__ import annotations

import base64
import dataclasses
import http.client
import json
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import RuntimeFailure, UsageError
from kg.queries import QuerySpec, query_file
from kg.redact import excerpt, redact, split_userinfo
from kg.text import check_text

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph

__all__ = ["SEP", "run", "query_text", "values_block", "bind", "select", "execute", "check_read_only", "push",
           "store_for", "redact", "Endpoint", "uses_service", "SERVICE_TIMEOUT", "to_python", "rows_from_json",
           "results_json", "sparql_json", "predeclared", "with_prefixes", "UpdateRefused", "ServiceRefused"]

SEP = "\u001f"  #: separator of GROUP_CONCAT in the library's multi-valued columns
SERVICE_TIMEOUT = 10.0  #: seconds an allowed SERVICE query may take (``--service-timeout``)
USER_ENV, PASSWORD_ENV = "NEGKG_SPARQL_USER", "NEGKG_SPARQL_PASSWORD"
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                               "unsignedShort", "unsignedByte")}
_DECIMALS = {XSD + t for t in ("decimal", "double", "float")}
_STORES: weakref.WeakKeyDictionary[Any, tuple[object, Any]] = weakref.WeakKeyDictionary()
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_OX_ERROR = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


class UpdateRefused(UsageError):
    """A SPARQL Update where only queries run."""


class ServiceRefused(UsageError):
    """A federated query (SERVICE) where the server must not call other servers."""


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
        """Check the URL and collect the credentials; the URL kept has none in it.

        The user information is taken out before the URL is parsed, so a password holding ``/``, ``?``,
        ``#`` or ``@`` is never mistaken for the path, query, fragment or host (see :mod:`kg.redact`).
        """
        try:
            url, url_user, url_password = split_userinfo(url)
        except ValueError as e:
            raise UsageError(f"not a usable endpoint URL: {e}") from None
        try:
            check_text(url, "the endpoint URL")
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise UsageError(f"not an http(s) URL: {redact(url)!r}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
            raise UsageError(f"not an http(s) URL: {redact(url)!r}")
        if url_user is not None or url_password is not None:
            user = user or url_user
            password = password or url_password or ""
        user = user or os.environ.get(USER_ENV) or None
        password = password if password is not None else os.environ.get(PASSWORD_ENV)
        if user is None and password is None:  # the local Fuseki of `negkg fuseki start`, when that is the URL
            from kg.servers import local_connection

            local = local_connection("fuseki")
            if local is not None and (url == local.url or url.startswith(local.url + "/")):
                user, password = local.user, local.password
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
            where = redact(self.url)
            if e.code in (401, 403):
                raise RuntimeFailure(f"SPARQL endpoint {where} refused the credentials (HTTP {e.code}); "
                                     f"check --user/--password or ${USER_ENV}/${PASSWORD_ENV}") from None
            try:
                raw = e.read(4096)
            except OSError:
                raw = b""
            body = excerpt(raw, 200, secrets=self._secrets())
            raise RuntimeFailure(f"SPARQL endpoint {where} answered HTTP {e.code} {excerpt(str(e.reason), 80)}"
                                 + (f": {body}" if body else "")) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            reason = getattr(e, "reason", None) or e
            raise RuntimeFailure(f"cannot reach SPARQL endpoint {redact(self.url)}: "
                                 f"{excerpt(str(reason) or type(e).__name__, 200, secrets=self._secrets())}") from None

    def _secrets(self) -> list[str | None]:
        """What an error body must not show: the password and the Authorization token made from it."""
        if self.user is None:
            return []
        return [self.password, base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()]


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
    for k, v in bound.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
            raise UsageError(f"bad parameter name {k!r}")
        if isinstance(v, str):
            check_text(v, f"the parameter {k!r}")
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


def predeclared() -> dict[str, str]:
    """The prefixes every ad-hoc query may use undeclared: the project's (:data:`kg.rdf.mapping.PREFIXES`),
    with ``dcterms:`` as well as ``dct:``.

    >>> predeclared()["dcterms"] == predeclared()["dct"] == "http://purl.org/dc/terms/"
    True
    """
    from kg.rdf.mapping import PREFIXES

    return {**PREFIXES, "dcterms": PREFIXES["dct"]}


def with_prefixes(text: str) -> str:
    """``text`` with a declaration of each predeclared prefix it does not declare itself, all on its
    first line, so line numbers in messages stay those of ``text``.

    >>> with_prefixes("PREFIX nkg: <urn:x#>\\nSELECT * { ?s nkg:p ?o }").count("PREFIX nkg:")
    1
    >>> with_prefixes("SELECT * { ?s ?p ?o }").splitlines()[1:]
    []
    """
    own = {(m.group(1) or "") for m in _DECLARED.finditer(text)}
    decl = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in predeclared().items() if p not in own)
    return f"{decl} {text}" if decl else text


def syntax_error(e: BaseException, text: str) -> UsageError:
    """pyoxigraph's multi-line parser message as one line with line and column.

    >>> str(syntax_error(SyntaxError("error at 2:12: expected one of Prefix not found, ['%'],\\n['.']"),
    ...                  "SELECT * WHERE {\\n ?s foo:bar ?o }"))
    "not a valid SPARQL query: prefix 'foo:' is not declared (line 2, column 12)"
    """
    msg = " ".join(str(e).split())
    m = _OX_ERROR.match(msg)
    if m is None:
        return UsageError(f"not a valid SPARQL query: {msg[:200]}")
    line, col, what = int(m.group(1)), int(m.group(2)), m.group(3)
    if "Prefix not found" in what:
        lines = text.splitlines() or [""]
        before = lines[line - 1][: col - 1] if line <= len(lines) else ""
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*$", before)
        what = f"prefix '{name.group(1) or '' if name else ''}:' is not declared"
    elif len(what) > 120:
        what = what[:117] + "..."
    return UsageError(f"not a valid SPARQL query: {what} (line {line}, column {col})")


def _embedded(text: str, store: pyoxigraph.Store, prefixes: dict[str, str] | None = None) -> tuple[str, bytes]:
    import pyoxigraph

    try:
        res = store.query(text, prefixes=prefixes)
    except SyntaxError as e:
        raise syntax_error(e, text) from None
    try:  # evaluation is lazy: a SERVICE call that fails or answers nonsense surfaces while serializing
        if isinstance(res, pyoxigraph.QueryTriples):
            return "graph", res.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        return "results", res.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""
    except (OSError, RuntimeError, ValueError, SyntaxError) as e:
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise RuntimeFailure(f"SPARQL (embedded store): {excerpt(first, 300)}") from None


def _with_deadline(seconds: float, work: Callable[[], tuple[str, bytes]]) -> tuple[str, bytes]:
    """``work()``, or a one-line RuntimeFailure after ``seconds`` (pyoxigraph has no timeout for SERVICE calls).

    The query runs on a daemon thread (pyoxigraph releases the GIL); one still waiting is abandoned.
    """
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = work()
        except (UsageError, RuntimeFailure) as e:  # a fresh copy: the original's traceback holds pyoxigraph objects
            out["error"] = type(e)(str(e))       # that must not be freed on another thread
        except BaseException as e:
            out["error"] = RuntimeFailure(f"SPARQL (embedded store): {type(e).__name__}")

    t = threading.Thread(target=run, name="negkg-sparql-service", daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        raise RuntimeFailure(f"SPARQL (embedded store): no answer within {seconds:g} s (a SERVICE call may be "
                             "waiting on a silent server; --service-timeout sets the limit)")
    if "error" in out:
        raise out["error"]
    return out["value"]


_SKIP = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
                   r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_SERVICE = re.compile(r"(?i)(?<![\w?$:])SERVICE(?![\w:-])")


def uses_service(text: str) -> bool:
    """Whether ``SERVICE`` occurs as a keyword, outside strings, IRIs and comments (a cheap, conservative test:
    :func:`check_read_only` also looks for it in rdflib's parse tree).

    >>> uses_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service WHERE { ?service <http://x/SERVICE> "SERVICE" } # SERVICE')
    False
    """
    return bool(_SERVICE.search(_SKIP.sub(" ", text)))


def _has_service_pattern(tree: Any) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(tree, CompValue):
        return tree.name == "ServiceGraphPattern" or any(_has_service_pattern(v) for v in tree.values())
    if isinstance(tree, list | tuple) or type(tree).__name__ == "ParseResults":
        return any(_has_service_pattern(v) for v in tree)
    return False


_NO_SERVICE = ("SERVICE is refused: it makes the query engine fetch data from other hosts "
               "(give --allow-service to permit it)")


def _remote(text: str, endpoint: Endpoint, kind: str, default_graph: str | None = None) -> tuple[str, bytes]:
    form = [("query", text)] + ([("default-graph-uri", default_graph)] if default_graph else [])
    accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
    body = endpoint.request("POST", urllib.parse.urlencode(form).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    return ("graph" if kind == "graph" else "results"), body


def execute(text: str, *, graph: nx.MultiDiGraph | None = None, endpoint: Endpoint | None = None,
            kind: str = "select", default_graph: str | None = None, prefixes: bool = False,
            allow_service: bool = False, service_timeout: float = SERVICE_TIMEOUT,
            store: pyoxigraph.Store | None = None) -> tuple[str, bytes]:
    """Run a query on the endpoint if given, else on ``store`` (such as the on-disk cache's), else on the
    graph's embedded store.

    ``prefixes``: the :func:`predeclared` prefixes may be used undeclared (ad-hoc queries).
    A query with ``SERVICE`` (which makes the engine fetch from any host) is refused unless
    ``allow_service``; then it has ``service_timeout`` seconds to answer. Returns
    ``("results", SPARQL Results JSON bytes)`` or ``("graph", N-Triples bytes)``.
    """
    check_text(text, "the SPARQL query")
    service = uses_service(text)
    if service and not allow_service:
        raise ServiceRefused(_NO_SERVICE)
    if endpoint is not None:
        if service:
            endpoint = dataclasses.replace(endpoint, timeout=min(endpoint.timeout, service_timeout))
        return _remote(with_prefixes(text) if prefixes else text, endpoint, kind, default_graph)
    if store is None and graph is None:
        raise UsageError("no graph and no endpoint to query")
    db = store if store is not None else store_for(graph)  # type: ignore[arg-type]
    declared = predeclared() if prefixes else None
    if service:
        return _with_deadline(service_timeout, lambda: _embedded(text, db, declared))
    return _embedded(text, db, declared)


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
    if dt in _DECIMALS:
        return float(term["value"])
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

def check_read_only(text: str, *, allow_service: bool = False) -> str:
    """The query form (``select``, ``ask``, ``construct``, ``describe``); UsageError for an update or bad syntax,
    and :class:`ServiceRefused` for a ``SERVICE`` clause unless ``allow_service``.

    Uses rdflib's SPARQL parser, so the decision is made on the parsed request, before anything runs.
    An update raises :class:`UpdateRefused` (a server must not be made to change its data or call other servers).

    >>> check_read_only("SELECT * WHERE { ?s ?p ?o }")
    'select'
    >>> check_read_only("DELETE WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    kg.rdf.sparql.UpdateRefused: SPARQL Update is not allowed here (read-only): refusing DeleteWhere
    >>> check_read_only("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.rdf.sparql.ServiceRefused: SERVICE is refused: it makes the query engine fetch data from other hosts ...
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    check_text(text, "the SPARQL query")
    try:
        parsed = parser.parseQuery(text)
        if not allow_service and (uses_service(text) or _has_service_pattern(parsed)):
            raise ServiceRefused(_NO_SERVICE)
        form = parsed[1].name  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    except ParseException as query_error:
        try:
            update = parser.parseUpdate(text)
        except ParseException:
            raise UsageError(f"not a valid SPARQL query: {query_error.msg} (line {query_error.lineno}, "
                             f"column {query_error.col})") from None
        ops = [u.name for u in update.request] or ["an empty update"]
        raise UpdateRefused(f"SPARQL Update is not allowed here (read-only): refusing {', '.join(ops)}") from None
    return form.removesuffix("Query").lower()



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
