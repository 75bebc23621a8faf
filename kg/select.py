"""Subgraph selection: pick the part of the canonical graph to export or report on.

Every criterion gives a set of nodes; criteria combine with AND (the sets intersect). The
result is the subgraph induced by the kept nodes, plus every Source that a kept claim cites,
so that citations always resolve. With no criterion the whole graph is kept.

- ``case``: one negotiation's subgraph (:func:`kg.graph.subgraph_for_case`);
- ``node`` + ``hops``: a node (key ``Type:id`` or bare id) and everything within k hops,
  edges followed in either direction, inside the node's own negotiation: shared nodes (parties,
  sources, vocabulary concepts) are kept but are not bridges into other negotiations unless
  ``across_cases=True``;
- ``query``: the nodes whose ids appear in the rows of a library query, run on any engine
  (ids in list values and ``"source-id @ locator"`` strings count);
- ``party`` / ``category`` / ``mechanism``: the matching core nodes with the context needed to
  read them (see :func:`party_nodes`, :func:`category_nodes`, :func:`mechanism_nodes`).

>>> from kg import api
>>> g = api.graph(api.load(data_dir="tests/fixtures/mini"))
>>> sorted(select(g, mechanism="deferral", hops=0).nodes)[:3]
['Agreement:river-1990/river-treaty', 'Interest:river-1990/alpha-irrigation', 'InterestCategory:economic']
>>> parse_select(["case=river-1990", "party=alpha"])
{'case': 'river-1990', 'party': ['alpha']}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "select",
    "parse_select",
    "describe",
    "ids_in_rows",
    "nodes_for_ids",
    "party_nodes",
    "category_nodes",
    "mechanism_nodes",
    "neighbourhood",
    "case_of",
    "induced",
    "context",
    "query_nodes",
    "KEYS",
]

#: the keys of ``--select KEY=VALUE``; the list-valued ones may repeat (each value ANDed)
KEYS = ("case", "node", "query", "party", "category", "mechanism")
_MULTI = frozenset({"party", "category", "mechanism"})
_SCOPED = ("Issue", "Position", "Interest", "Agreement", "Provision")


def parse_select(values: Iterable[str]) -> dict[str, Any]:
    """Parse ``KEY=VALUE`` strings into keyword arguments of :func:`select`.

    >>> parse_select(["party=usa", "party=egypt", "query=shared-interests"])
    {'party': ['usa', 'egypt'], 'query': 'shared-interests'}
    >>> parse_select(["colour=red"])
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: unknown selection key 'colour' (known: case, node, query, party, category, mechanism)
    """
    out: dict[str, Any] = {}
    for v in values:
        k, sep, val = v.partition("=")
        k, val = k.strip(), val.strip()
        if not sep or not val:
            raise UsageError(f"expected --select KEY=VALUE, got {v!r}")
        if k not in KEYS:
            raise UsageError(f"unknown selection key {k!r} (known: {', '.join(KEYS)})")
        if k in _MULTI:
            out.setdefault(k, []).append(val)
        elif k in out:
            raise UsageError(f"--select {k}=... given twice")
        else:
            out[k] = val
    return out


def describe(**criteria: Any) -> str:
    """A one-line description of a selection, in ``--select`` syntax.

    >>> describe(case="river-1990", node=None, party=["alpha"], hops=1)
    'case=river-1990 party=alpha'
    >>> describe(node="Party:alpha", hops=2)
    'node=Party:alpha hops=2'
    """
    parts = []
    for k in KEYS:
        v = criteria.get(k)
        for x in [v] if isinstance(v, str) else (v or []):
            parts.append(f"{k}={x}")
    if criteria.get("node") is not None:
        parts.append(f"hops={criteria.get('hops', 1)}")
        if criteria.get("across_cases"):
            parts.append("across-cases")
    params = criteria.get("params") or {}
    if criteria.get("query"):
        parts += [f"param:{k}={v}" for k, v in sorted(params.items()) if v is not None]
        if criteria.get("lang", "native") != "native":
            parts.append(f"lang={criteria['lang']}")
    return " ".join(parts) or "whole graph"


def _as_list(v: str | Sequence[str] | None) -> list[str]:
    return [] if v is None else [v] if isinstance(v, str) else list(v)


def _out(g: nx.MultiDiGraph, n: str, rel: str) -> list[str]:
    return [v for _, v, k in g.out_edges(n, keys=True) if k == rel]


def _in(g: nx.MultiDiGraph, n: str, rel: str) -> list[str]:
    return [u for u, _, k in g.in_edges(n, keys=True) if k == rel]


def _require(g: nx.MultiDiGraph, type_: str, id_: str) -> str:
    k = f"{type_}:{id_}"
    if k not in g:
        known = sorted(d["id"] for _, d in g.nodes(data=True) if d["type"] == type_)
        raise UsageError(f"unknown {type_.lower()} {id_!r} (known: {', '.join(known)})")
    return k


def context(g: nx.MultiDiGraph, nodes: Iterable[str]) -> set[str]:
    """Nodes plus what is needed to read them: negotiation, agreement, issues, category, mechanisms, cited sources.

    >>> from kg import api
    >>> g = api.graph(api.load(data_dir="tests/fixtures/mini"))
    >>> sorted(context(g, ["Position:river-1990/beta-dam"]))   # doctest: +NORMALIZE_WHITESPACE
    ['Issue:river-1990/water', 'Negotiation:river-1990', 'Position:river-1990/beta-dam', 'Source:smith-2001']
    """
    out = set(nodes)
    for n in list(out):
        d = g.nodes[n]
        if d["type"] in _SCOPED:
            out.add(f"Negotiation:{d['negotiation']}")
        if d["type"] == "Provision":
            out.add(f"Agreement:{d['agreement']}")
        for _, v, k in g.out_edges(n, keys=True):
            if k in ("CITES", "ON_ISSUE", "ADDRESSES", "IN_CATEGORY", "USES_MECHANISM"):
                out.add(v)
    return out


def _with_holders(g: nx.MultiDiGraph, interests: Iterable[str]) -> set[str]:
    out = set(interests)
    for i in list(out):
        out.update(_in(g, i, "HAS_INTEREST"))
    return out


def party_nodes(g: nx.MultiDiGraph, party: str) -> set[str]:
    """A party, its negotiations, positions and interests (with their other holders), the provisions
    serving those interests or funded by it, and their context.

    >>> from kg import api
    >>> g = api.graph(api.load(data_dir="tests/fixtures/mini"))
    >>> sorted(n for n in party_nodes(g, "gamma") if n.startswith(("Party", "Provision")))
    ['Party:gamma', 'Provision:river-1990/dam-and-canals']
    """
    p = _require(g, "Party", party)
    interests = _out(g, p, "HAS_INTEREST")
    provisions = {q for i in interests for q in _in(g, i, "SERVES")} | set(_out(g, p, "FUNDS"))
    core = {p, *_out(g, p, "PARTICIPATED_IN"), *_out(g, p, "HOLDS"), *_with_holders(g, interests), *provisions}
    return context(g, core)


def category_nodes(g: nx.MultiDiGraph, category: str) -> set[str]:
    """An interest category, its interests with their holders, the positions reflecting them and the
    provisions serving them, and their context."""
    c = _require(g, "InterestCategory", category)
    interests = _in(g, c, "IN_CATEGORY")
    core = {
        c,
        *_with_holders(g, interests),
        *(x for i in interests for x in _in(g, i, "REFLECTS")),
        *(x for i in interests for x in _in(g, i, "SERVES")),
    }
    return context(g, core)


def mechanism_nodes(g: nx.MultiDiGraph, mechanism: str) -> set[str]:
    """A mechanism, the provisions using it, the interests they serve with their holders, and their context."""
    m = _require(g, "Mechanism", mechanism)
    provisions = _in(g, m, "USES_MECHANISM")
    core = {m, *provisions, *_with_holders(g, (i for p in provisions for i in _out(g, p, "SERVES")))}
    return context(g, core)


def nodes_for_ids(g: nx.MultiDiGraph, ids: Iterable[str]) -> set[str]:
    """The node keys whose ``id`` (or key) is one of ``ids``; unknown strings are ignored."""
    wanted = set(ids)
    return {n for n, i in g.nodes(data="id") if i in wanted or n in wanted}


def case_of(g: nx.MultiDiGraph, n: str) -> str | None:
    """The negotiation a node belongs to (its own id for a Negotiation); None for a shared node."""
    d = g.nodes[n]
    return d["id"] if d["type"] == "Negotiation" else d.get("negotiation")


def neighbourhood(g: nx.MultiDiGraph, node: str, hops: int = 1, across_cases: bool = False) -> set[str]:
    """A node (key or bare id; every node with that id) and the nodes within ``hops``, in either direction.

    The walk stays inside the negotiations of the start: those it belongs to, or, for a shared start
    (a party, a source, a concept), those of its direct neighbours. Shared nodes are reached but do not
    lead into other negotiations. ``across_cases=True`` walks the whole graph.

    >>> from kg import api
    >>> g = api.graph(api.load(data_dir="tests/fixtures/mini"))
    >>> sorted(neighbourhood(g, "Mechanism:bridging", 1))
    ['Mechanism:bridging', 'Provision:river-1990/dam-and-canals']
    """
    if hops < 0:
        raise UsageError(f"hops must be 0 or more, got {hops}")
    start = {node} if node in g else nodes_for_ids(g, [node])
    if not start:
        raise UsageError(f"no node with key or id {node!r}")

    def near(n: str) -> set[str]:
        return {*g.successors(n), *g.predecessors(n)}

    scope = {c for n in start if (c := case_of(g, n))}
    if not scope:  # a shared start: the negotiations it touches directly
        scope = {c for n in start for m in near(n) if (c := case_of(g, m))}

    def allowed(m: str) -> bool:
        return across_cases or (c := case_of(g, m)) is None or c in scope

    seen, frontier = set(start), set(start)
    for _ in range(hops):
        frontier = {m for n in frontier for m in near(n) if allowed(m)} - seen
        seen |= frontier
    return seen


def ids_in_rows(rows: Iterable[dict[str, Any]]) -> set[str]:
    """Every string in the rows' values that could be a node id: scalars, list items, and the source id
    of ``"source-id @ locator"`` strings.

    >>> sorted(ids_in_rows([{"a": "x", "b": ["y", "smith-2001 @ p. 3"], "c": 5, "d": None}]))
    ['smith-2001', 'smith-2001 @ p. 3', 'x', 'y']
    """
    out: set[str] = set()
    for r in rows:
        for v in r.values():
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, str):
                    out.add(x)
                    if " @ " in x:
                        out.add(x.split(" @ ", 1)[0])
    return out


def query_nodes(
    g: nx.MultiDiGraph,
    query: str,
    lang: str = "native",
    params: dict[str, Any] | None = None,
    case: str | None = None,
    **engine_options: Any,
) -> set[str]:
    """The nodes that the rows of a library query mention (``case`` is passed on when the query takes it)."""
    from kg import api
    from kg.queries import spec

    q = spec(query)
    given = dict(params or {})
    if case is not None and "case" in {p.name for p in q.params}:
        given.setdefault("case", case)
    res = api.query(query, lang=lang, params=given, graph=g, **engine_options)
    return nodes_for_ids(g, ids_in_rows(res.rows))


def _cited_sources(g: nx.MultiDiGraph, keep: set[str]) -> set[str]:
    out = set()
    for u, v, d in g.edges(data=True):
        if u in keep and v in keep:
            out.update(f"Source:{s}" for s in d.get("source_ids", ()))
    return {s for s in out if s in g}


def select(
    graph: nx.MultiDiGraph,
    case: str | None = None,
    node: str | None = None,
    hops: int = 1,
    across_cases: bool = False,
    query: str | None = None,
    lang: str = "native",
    params: dict[str, Any] | None = None,
    party: str | Sequence[str] | None = None,
    category: str | Sequence[str] | None = None,
    mechanism: str | Sequence[str] | None = None,
    **engine_options: Any,
) -> nx.MultiDiGraph:
    """The subgraph that every given criterion keeps (AND), with the sources its claims cite.

    Nodes keep the order of ``graph``, so a canonical graph gives a canonical subgraph.
    ``party``, ``category`` and ``mechanism`` take one id or several (each must hold). ``across_cases``
    lets ``node`` + ``hops`` cross from one negotiation to another through shared nodes.
    ``engine_options`` go to :func:`kg.api.query` with ``query`` (e.g. ``endpoint=`` for SPARQL).

    >>> from kg import api
    >>> g = api.graph(api.load(data_dir="tests/fixtures/mini"))
    >>> sub = select(g, node="Mechanism:bridging", hops=1)
    >>> sorted(sub.nodes)
    ['Mechanism:bridging', 'Provision:river-1990/dam-and-canals']
    >>> sub = select(g, query="unmet-interests")
    >>> sorted(sub.nodes)   # the row mentions negotiation, party, interest, category; the claim cites a source
    ... # doctest: +NORMALIZE_WHITESPACE
    ['Interest:river-1990/beta-prestige', 'InterestCategory:recognition', 'Negotiation:river-1990', 'Party:beta',
     'Source:smith-2001']
    >>> [n for n in select(g, party="beta", category="recognition") if n.startswith(("Party", "Interest:"))]
    ['Interest:river-1990/beta-prestige', 'Party:beta']
    """
    from kg.api import check_case
    from kg.graph import subgraph_for_case

    sets: list[set[str]] = []
    if case is not None:
        check_case(graph, case)
        sets.append(set(subgraph_for_case(graph, case).nodes))
    if node is not None:
        sets.append(neighbourhood(graph, node, hops, across_cases))
    if query is not None:
        sets.append(query_nodes(graph, query, lang, params, case, **engine_options))
    sets += [party_nodes(graph, p) for p in _as_list(party)]
    sets += [category_nodes(graph, c) for c in _as_list(category)]
    sets += [mechanism_nodes(graph, m) for m in _as_list(mechanism)]
    keep = set.intersection(*sets) if sets else set(graph.nodes)
    keep |= _cited_sources(graph, keep)
    return induced(graph, keep)


def induced(graph: nx.MultiDiGraph, keep: Iterable[str]) -> nx.MultiDiGraph:
    """The subgraph induced by ``keep``, nodes and edges in the order of ``graph`` (networkx's own
    subgraph views iterate in set order, which varies between runs)."""
    import networkx as nx

    keep = set(keep)
    sub = nx.MultiDiGraph(**graph.graph)
    sub.add_nodes_from((n, dict(d)) for n, d in graph.nodes(data=True) if n in keep)
    sub.add_edges_from((u, v, k, dict(d)) for u, v, k, d in graph.edges(keys=True, data=True) if u in keep and v in keep)
    return sub
