"""Precedents and integrative potential: from what happened elsewhere to what could be done here.

The library question ``precedents`` (every engine, identical rows) finds the provisions whose package served, in
substance, interests of given categories held by different principals. This module ranks those rows with a
documented score and explains each in one line, and builds on them:

- :func:`precedents`: by categories, by an interest (its category), or by an issue (the categories behind the
  parties' positions on it), with filters;
- :func:`potential`: for one case (concluded, failed or ongoing), suggestions drawn from *other* cases: precedents
  for each unmet interest, bridging candidates for conflicting positions whose interests differ in category,
  and logrolling candidates for issues the parties value differently. Nothing is invented: every suggestion is
  a real provision of another case, with its sources and how it matched.

The score (:func:`score`), highest first; ties by newer negotiation, then provision id:

- +4 the precedent is value-creating (an integrative mechanism serving two or more principals in substance);
- +2 the provision's own mechanisms include an integrative one (not only its package's);
- +2 every matched link is at strength full (+1 when the weakest is partial);
- +1 per principal served beyond the first (at most +3);
- +3 it uses the mechanism the suggestion looks for (bridging for a bridging candidate, logrolling for a trade);
- +2 its negotiation is of the same domain as the case the suggestion is for.

:func:`potential` also spreads its suggestions (:func:`order`): for one target, precedents from different
negotiations; the best precedent of every target first (targets in order of their best score), then the second
of every target, and so on; each precedent provision once, for its first target. A reader sees one answer to
each of the case's problems before a second answer to any.

>>> rank([{"provision": "a/x", "negotiation": "a", "start_date": "1990", "mechanisms": ["bridging"],
...        "value_creating": True, "strength": "full", "parties": ["p", "q"]}])[0]["score"]
9
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg import model
from kg.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["score", "rank", "why", "precedents", "potential", "order", "suggestions", "Suggestion", "without_provisions",
           "PRECEDENT_COLUMNS",
           "POTENTIAL_COLUMNS"]

Row = dict[str, Any]

PRECEDENT_COLUMNS = (
    "rank", "score", "why", "negotiation", "start_date", "domain", "provision", "provision_name", "locator",
    "mechanisms", "package", "value_creating", "interests", "parties", "strength", "sources",
)
POTENTIAL_COLUMNS = (
    "rank", "kind", "target", "target_parties", "categories", "score", "why", "negotiation", "provision",
    "provision_name", "locator", "mechanisms", "strength", "sources",
)


def score(row: Row, prefer: str | None = None, domain: str | None = None) -> int:
    """The ranking score of a precedent row (see the module docstring)."""
    s = 4 * bool(row.get("value_creating"))
    s += 2 * bool(domain and row.get("domain") == domain)
    s += 2 * bool(set(row.get("mechanisms") or []) & model.INTEGRATIVE_MECHANISMS)
    s += {"full": 2, "partial": 1}.get(row.get("strength") or "", 0)
    s += min(max(len(row.get("parties") or []) - 1, 0), 3)
    s += 3 * bool(prefer and prefer in (row.get("mechanisms") or []))
    return s


def why(row: Row, categories: Iterable[str], prefer: str | None = None, domain: str | None = None) -> str:
    """One line saying how a precedent matched and why it ranks where it does."""
    cats = " + ".join(dict.fromkeys(categories))
    parts = [f"{cats} held by {len(row.get('parties') or [])} principal(s)"]
    mech = ", ".join(row.get("mechanisms") or []) or "no mechanism"
    parts.append(mech + (f" (the {prefer} sought)" if prefer and prefer in (row.get("mechanisms") or []) else ""))
    parts.append("value-creating" if row.get("value_creating") else "not value-creating")
    parts.append(f"{row.get('strength')} strength")
    if row.get("package"):
        parts.append(f"part of package {row['package']}")
    if domain and row.get("domain") == domain:
        parts.append(f"same domain ({domain})")
    return " · ".join(parts)


def rank(rows: list[Row], categories: Iterable[str] = (), prefer: str | None = None,
         domain: str | None = None) -> list[Row]:
    """The rows with ``rank``, ``score`` and ``why``, best first (``domain``: the domain of the case asking)."""
    cats = list(categories)
    scored = [{**r, "score": score(r, prefer, domain), "why": why(r, cats or ["?"], prefer, domain)} for r in rows]
    scored.sort(key=lambda r: (-r["score"], _neg_date(r.get("start_date")), r["provision"]))
    return [{"rank": i + 1, **r} for i, r in enumerate(scored)]


def _neg_date(date: str | None) -> str:
    """A key that sorts newer dates first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in (date or ""))


def _ask(name: str, params: dict[str, Any], graph: nx.MultiDiGraph | None, lang: str, **engine: Any) -> list[Row]:
    from kg import api

    return api.query(name, params={k: v for k, v in params.items() if v is not None}, graph=graph, lang=lang,
                     **engine).rows


def _check_category(c: str) -> str:
    if c not in model.INTEREST_CATEGORIES:
        raise UsageError(f"unknown interest category {c!r} (known: {', '.join(model.INTEREST_CATEGORIES)})")
    return c


def _node(g: nx.MultiDiGraph, type_: str, id_: str) -> dict[str, Any]:
    key = f"{type_}:{id_}"
    if key not in g:
        raise UsageError(f"unknown {type_.lower()} {id_!r} (ids read 'case/slug')")
    return g.nodes[key]


def _issue_configurations(g: nx.MultiDiGraph, issue: str) -> list[tuple[str, str]]:
    """Category pairs behind different parties' positions on one issue (the bridging configurations)."""
    from kg import analysis

    d = _node(g, "Issue", issue)
    by_party: dict[str, set[str]] = {}
    for r in analysis.positions_and_interests(g, d["negotiation"]):
        if r["issue"] == issue:
            by_party.setdefault(r["party"], set()).update(g.nodes[f"Interest:{i}"]["category"] for i in r["interests"])
    parties = sorted(by_party)
    pairs = {tuple(sorted((a, b))) for i, p in enumerate(parties) for q in parties[i + 1:]
             for a in by_party[p] for b in by_party[q]}
    return sorted(pairs)  # type: ignore[arg-type]


def precedents(
    categories: list[str] | tuple[str, ...] | str | None = None,
    *,
    interest: str | None = None,
    issue: str | None = None,
    domain: str | None = None,
    mechanism: str | None = None,
    since: str | None = None,
    until: str | None = None,
    exclude: str | None = None,
    prefer: str | None = None,
    near: str | None = None,
    limit: int | None = None,
    graph: nx.MultiDiGraph | None = None,
    lang: str = "native",
    **engine: Any,
) -> Any:
    """Ranked precedents (a :class:`kg.api.Result`): by one or two interest categories, by an interest id (its
    category, excluding its own negotiation) or by an issue id (each pair of categories behind different parties'
    positions on it, excluding its negotiation). ``near``: a domain whose precedents rank higher (that of the case
    asking, by default for an interest or an issue). ``lang`` picks the engine that answers the library question."""
    from kg import api

    if graph is None and not any(engine.get(k) for k in ("endpoint", "neo4j")):
        graph = api.shared_graph()
    cats = [categories] if isinstance(categories, str) else list(categories or [])
    configs: list[tuple[str, str | None]]
    if interest:
        if graph is None:
            raise UsageError("--interest needs the embedded graph")
        d = _node(graph, "Interest", interest)
        configs, exclude = [(d["category"], None)], exclude or d["negotiation"]
        near = near or graph.nodes[f"Negotiation:{d['negotiation']}"]["domain"]
    elif issue:
        if graph is None:
            raise UsageError("--issue needs the embedded graph")
        configs = [(a, b) for a, b in _issue_configurations(graph, issue)]
        exclude = exclude or _node(graph, "Issue", issue)["negotiation"]
        near = near or graph.nodes[f"Negotiation:{exclude}"]["domain"]
        if not configs:
            raise UsageError(f"no two parties' positions on issue {issue!r} reflect recorded interests")
    elif cats:
        if len(cats) > 2:
            configs = [(a, b) for i, a in enumerate(cats) for b in cats[i + 1:]]
        else:
            configs = [(cats[0], cats[1] if len(cats) > 1 else None)]
    else:
        raise UsageError("give one or two interest categories, an interest id or an issue id")
    for a, b in configs:
        _check_category(a)
        if b:
            _check_category(b)
    best: dict[str, Row] = {}
    for a, b in configs:
        rows = _ask("precedents", {"category": a, "other": b, "domain": domain, "mechanism": mechanism, "since": since,
                                   "until": until, "exclude": exclude}, graph, lang, **engine)
        for r in rank(rows, [a] + ([b] if b else []), prefer, near):
            if r["provision"] not in best or r["score"] > best[r["provision"]]["score"]:
                best[r["provision"]] = r
    out = sorted(best.values(), key=lambda r: (-r["score"], _neg_date(r["start_date"]), r["provision"]))[:limit]
    rows = [{c: ({**r, "rank": i + 1}).get(c) for c in PRECEDENT_COLUMNS} for i, r in enumerate(out)]
    return api.Result("precedents", PRECEDENT_COLUMNS, rows,
                      frozenset({"mechanisms", "interests", "parties", "sources"}), lang)


@dataclass
class Suggestion:
    """One suggestion of :func:`potential`: a target in the case and a precedent from elsewhere."""

    kind: str  # unmet, bridging, logrolling
    target: str
    target_parties: list[str]
    categories: list[str]
    precedent: Row
    prefer: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def row(self) -> Row:
        p = self.precedent
        return {
            "kind": self.kind, "target": self.target, "target_parties": self.target_parties,
            "categories": self.categories, "score": p["score"], "why": p["why"], "negotiation": p["negotiation"],
            "provision": p["provision"], "provision_name": p["provision_name"], "locator": p["locator"],
            "mechanisms": p["mechanisms"], "strength": p["strength"], "sources": p["sources"],
        }


def _salience(g: nx.MultiDiGraph, case: str) -> dict[tuple[str, str], int]:
    """(party, issue) -> how much the party cared about the issue: the highest salience of the interests its
    positions on the issue reflect (where the data gives one)."""
    from kg import analysis

    out: dict[tuple[str, str], int] = {}
    for r in analysis.positions_and_interests(g, case):
        for i in r["interests"]:
            e = g.edges.get((f"Party:{r['party']}", f"Interest:{i}", "HAS_INTEREST"), {})
            if e.get("salience") is not None:
                key = (r["party"], r["issue"])
                out[key] = max(out.get(key, 0), e["salience"])
    return out


def _interest_of(g: nx.MultiDiGraph, case: str, party: str, issue: str) -> list[str]:
    from kg import analysis

    return sorted({i for r in analysis.positions_and_interests(g, case, party) if r["issue"] == issue for i in r["interests"]})


def suggestions(g: nx.MultiDiGraph, case: str, per_target: int = 3, lang: str = "native", **engine: Any) -> list[Suggestion]:
    """Every suggestion for a case, best first within each target (see :func:`potential`)."""
    from kg import analysis, api

    api.check_case(g, case)
    out: list[Suggestion] = []
    role = analysis.roles(g, case)
    near = g.nodes[f"Negotiation:{case}"]["domain"]

    def best(categories: list[str], **options: Any) -> list[Row]:
        """The top precedents for a target, from different negotiations (the best of each)."""
        rows = precedents(categories, exclude=case, near=near, graph=g, lang=lang, **options, **engine).rows
        seen: set[str] = set()
        kept = []
        for r in rows:
            if r["negotiation"] not in seen:
                seen.add(r["negotiation"])
                kept.append(r)
        return kept[:per_target]

    # 1. each unmet interest, with precedents that served an interest of its category elsewhere
    for r in analysis.unmet_interests(g, case):
        out += [Suggestion("unmet", r["interest"], [r["party"]], [r["category"]], p) for p in best([r["category"]])]
    # 2. bridging: positions of different principals on one issue whose interests differ in category
    positions = [p for p in analysis.positions_and_interests(g, case) if role.get(p["party"]) in model.VALUE_ROLES]
    seen: set[tuple[str, str, str]] = set()
    for i, p in enumerate(positions):
        for q in positions[i + 1:]:
            if p["issue"] != q["issue"] or p["party"] == q["party"]:
                continue
            for a in p["interests"]:
                for b in q["interests"]:
                    ca, cb = g.nodes[f"Interest:{a}"]["category"], g.nodes[f"Interest:{b}"]["category"]
                    key = (p["issue"], *sorted((ca, cb)))
                    if ca == cb or key in seen:
                        continue
                    seen.add(key)  # type: ignore[arg-type]
                    out += [Suggestion("bridging", p["issue"], sorted({p["party"], q["party"]}), [ca, cb], x, "bridging")
                            for x in best([ca, cb], prefer="bridging")]
    # 3. logrolling: issues the parties value differently (salience), with precedent trades
    sal = _salience(g, case)
    parties = sorted({p for p, _ in sal})
    issues = sorted({i for _, i in sal})
    for pi, p in enumerate(parties):
        for q in parties[pi + 1:]:
            for x in issues:
                for y in issues:
                    if x == y or not all(k in sal for k in ((p, x), (p, y), (q, x), (q, y))):
                        continue
                    if not (sal[(p, x)] > sal[(p, y)] and sal[(q, y)] > sal[(q, x)]):
                        continue
                    for a in _interest_of(g, case, p, x)[:1]:
                        for b in _interest_of(g, case, q, y)[:1]:
                            ca, cb = g.nodes[f"Interest:{a}"]["category"], g.nodes[f"Interest:{b}"]["category"]
                            rows = best([ca, cb], mechanism="logrolling", prefer="logrolling")
                            target = f"{x} for {y}"
                            out += [Suggestion("logrolling", target, [p, q], [ca, cb], r, "logrolling") for r in rows]
    return out


def _shows(s: Suggestion) -> tuple[tuple[str, ...], frozenset[str]]:
    """What a suggestion shows: the categories it meets and the integrative mechanisms that met them."""
    return tuple(sorted(s.categories)), frozenset(s.precedent["mechanisms"]) & model.INTEGRATIVE_MECHANISMS


def order(found: list[Suggestion]) -> list[Suggestion]:
    """Suggestions in reading order: round by round, one more precedent for every target (targets in order of their
    best score), each precedent provision once. Within a target, the best-scoring precedent that shows something
    not shown yet (other categories or other mechanisms) comes first."""
    by_target: dict[tuple[str, str], list[Suggestion]] = {}
    for s in sorted(found, key=lambda s: (-s.precedent["score"], s.kind, s.target, s.precedent["provision"])):
        by_target.setdefault((s.kind, s.target), []).append(s)
    out: list[Suggestion] = []
    used: set[str] = set()
    shown: set[tuple[tuple[str, ...], frozenset[str]]] = set()
    queues = list(by_target.values())
    while True:
        took = False
        for q in queues:
            q[:] = [x for x in q if x.precedent["provision"] not in used]
            if not q:
                continue
            s = next((x for x in q if _shows(x) not in shown), q[0])
            q.remove(s)
            used.add(s.precedent["provision"])
            shown.add(_shows(s))
            out.append(s)
            took = True
        if not took:
            return out


def potential(case: str, *, graph: nx.MultiDiGraph | None = None, per_target: int = 3, limit: int | None = None,
              lang: str = "native", **engine: Any) -> Any:
    """Integrative potential of a case (a :class:`kg.api.Result`): cited suggestions from other cases.

    For each unmet interest, precedents that served its category elsewhere; for conflicting positions of
    different principals on one issue whose interests differ in category, precedents that bridged that pair;
    for issues two parties value differently (salience), precedent logrolls serving that pair of categories.
    Rows are in the reading order of :func:`order` (best precedent of every target first); ``limit`` keeps the top.
    """
    from kg import api

    g = graph if graph is not None else api.shared_graph()
    rows = [s.row() for s in order(suggestions(g, case, per_target, lang=lang, **engine))]
    rows = [{"rank": i + 1, **r} for i, r in enumerate(rows[:limit])]
    return api.Result("potential", POTENTIAL_COLUMNS, [{c: r[c] for c in POTENTIAL_COLUMNS} for r in rows],
                      frozenset({"target_parties", "categories", "mechanisms", "sources"}), lang)


def without_provisions(g: nx.MultiDiGraph, case: str) -> nx.MultiDiGraph:
    """A copy of the graph with one negotiation's agreements and provisions taken out: the case as it stood before
    it was settled (the leave-one-out evaluation of bench/precedents.py hides each case this way)."""
    hidden = {n for n, d in g.nodes(data=True) if d.get("negotiation") == case and d["type"] in ("Agreement", "Provision")}
    return g.subgraph(set(g) - hidden).copy()
