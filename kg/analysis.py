"""networkx-native analysis: the query library answered directly on the canonical graph.

Each function takes the graph (from :func:`kg.graph.build`) and returns rows (dicts) with the
columns its :data:`kg.queries.LIBRARY` entry declares; multi-valued columns are sorted lists.
These are the reference answers: the Cypher and SPARQL libraries must return the same rows.

Definitions (docs/model.md, where each is tied to the literature):

- *substantive* SERVES: strength ``partial`` or ``full`` (``nominal`` is on paper only);
- *package*: the provisions connected through TRADED_FOR (either direction), named by the smallest
  provision id in it; a provision outside any trade is a unit of its own;
- *value-creating* provision: its unit (package or itself) uses an integrative mechanism and serves,
  substantively, interests held by two or more distinct *principal* parties of the negotiation;
- *distributive* provision: every mechanism it uses is compromise or concession, and its unit is not
  value-creating;
- *deferred*: the provision uses the deferral mechanism;
- *unmet interest*: an interest of a principal or affected party that no provision of its negotiation serves
  substantively; ``best_strength`` is ``none`` or ``nominal``.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("Party:a", type="Party", id="a"); g.add_node("Party:b", type="Party", id="b")
>>> g.add_node("Interest:n/i", type="Interest", id="n/i", negotiation="n", name="I", category="security")
>>> _ = g.add_edge("Party:a", "Interest:n/i", key="HAS_INTEREST", rel="HAS_INTEREST")
>>> _ = g.add_edge("Party:b", "Interest:n/i", key="HAS_INTEREST", rel="HAS_INTEREST")
>>> [r["parties"] for r in shared_interests(g)]
[['a', 'b']]
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg import model

if TYPE_CHECKING:
    import networkx as nx

Row = dict[str, Any]

__all__ = [
    "shared_interests",
    "value_creating_provisions",
    "interest_provision_links",
    "unmet_interests",
    "distributive_provisions",
    "deferred_issues",
    "contributions",
    "interest_lineage",
    "precedents",
    "positions_and_interests",
    "mechanism_mix",
    "party_profile",
    "trades",
    "evidence",
    "holders",
    "roles",
    "package_of",
    "is_value_creating",
    "classify",
    "invalidate",
    "CLASSES",
]

#: the classes of :func:`classify`, in order of precedence
CLASSES = ("value-creating", "deferred", "distributive", "other")


# --- indexes (built once per graph, so a one-case question costs what the case costs) -----------------------

class _Index:
    """Node keys by (type, negotiation), packages and precedent links, for one graph (see :func:`invalidate`)."""

    def __init__(self, g: nx.MultiDiGraph):
        self.size = g.number_of_nodes()
        self.by: dict[tuple[str, str | None], list[str]] = {}
        for n, d in g.nodes(data=True):
            case = d.get("negotiation", d["id"] if d["type"] == "Negotiation" else None)
            self.by.setdefault((d["type"], case), []).append(n)
            self.by.setdefault((d["type"], "*"), []).append(n)
        for v in self.by.values():
            v.sort()
        self.packages: dict[str, str | None] = {}
        self.units: dict[str, tuple[str, ...]] = {}
        self.precedents: dict[str, Any] | None = None


_INDEXES: weakref.WeakKeyDictionary[Any, _Index] = weakref.WeakKeyDictionary()


def _index(g: nx.MultiDiGraph) -> _Index:
    """The graph's index, rebuilt when its node count changes. Counting edges would cost as much as a question
    (networkx counts them one by one), so a graph whose edges are changed in place must be passed to
    :func:`invalidate`; the canonical graph is never changed after it is built."""
    ix = _INDEXES.get(g)
    if ix is None or ix.size != g.number_of_nodes():
        ix = _INDEXES[g] = _Index(g)
    return ix


def invalidate(g: nx.MultiDiGraph) -> None:
    """Forget what the analysis computed about a graph (after changing its edges in place)."""
    _INDEXES.pop(g, None)


def _of(g: nx.MultiDiGraph, type_: str, case: str | None = None) -> list[str]:
    return _index(g).by.get((type_, "*" if case is None else case), [])


def _out(g: nx.MultiDiGraph, n: str, rel: str) -> list[str]:
    return sorted(v for _, v, k in g.out_edges(n, keys=True) if k == rel)


def _in(g: nx.MultiDiGraph, n: str, rel: str) -> list[str]:
    return sorted(u for u, _, k in g.in_edges(n, keys=True) if k == rel)


def _ids(g: nx.MultiDiGraph, keys: Iterable[str]) -> list[str]:
    return sorted({g.nodes[k]["id"] for k in keys})


def _sorted(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: [str(v) for v in r.values()])


def _cited(attrs: dict[str, Any]) -> list[str]:
    return sorted(f"{s} @ {loc}" for s, loc in zip(attrs.get("source_ids", []), attrs.get("locators", []), strict=True))


# --- building blocks ----------------------------------------------------------------------------------------

def holders(g: nx.MultiDiGraph, interest: str) -> list[str]:
    """Ids of the parties that hold an interest (given by node key), sorted."""
    return _ids(g, _in(g, interest, "HAS_INTEREST"))


def roles(g: nx.MultiDiGraph, negotiation: str) -> dict[str, str]:
    """Party id -> role in a negotiation (given by id)."""
    neg = f"Negotiation:{negotiation}"
    if neg not in g:
        return {}
    return {g.nodes[u]["id"]: e["role"] for u, _, k, e in g.in_edges(neg, keys=True, data=True) if k == "PARTICIPATED_IN"}


def _substantive(g: nx.MultiDiGraph, provision: str) -> list[str]:
    """Interest keys a provision serves at strength partial or full."""
    return sorted(
        v for _, v, k, e in g.out_edges(provision, keys=True, data=True)
        if k == "SERVES" and e.get("strength") in model.MEETING_STRENGTHS
    )


def _principals_served(g: nx.MultiDiGraph, interests: Iterable[str], negotiation: str) -> list[str]:
    """Principal parties (ids) holding any of the interests."""
    role = roles(g, negotiation)
    return sorted({p for i in interests for p in holders(g, i) if role.get(p) in model.VALUE_ROLES})


def _unit(g: nx.MultiDiGraph, provision: str) -> tuple[str, ...]:
    """The provisions of a provision's package (TRADED_FOR, either direction), itself included, sorted."""
    ix = _index(g)
    if provision not in ix.units:
        seen, todo = {provision}, [provision]
        while todo:
            n = todo.pop()
            for m in (*_out(g, n, "TRADED_FOR"), *_in(g, n, "TRADED_FOR")):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        unit = tuple(sorted(seen))
        pkg = min(g.nodes[n]["id"] for n in unit) if len(unit) > 1 else None
        for n in unit:
            ix.units[n], ix.packages[n] = unit, pkg
    return ix.units[provision]


def package_of(g: nx.MultiDiGraph, provision: str) -> str | None:
    """The package id of a provision (the smallest provision id linked to it by trades), or None if it is not traded."""
    _unit(g, provision)
    return _index(g).packages[provision]


def _mechanisms(g: nx.MultiDiGraph, provisions: Iterable[str]) -> set[str]:
    return {g.nodes[m]["id"] for p in provisions for m in _out(g, p, "USES_MECHANISM")}


def is_value_creating(g: nx.MultiDiGraph, provision: str) -> bool:
    """True when the provision's unit (its package, or itself) uses an integrative mechanism and serves,
    at strength partial or full, interests of two or more distinct principal parties."""
    unit = _unit(g, provision)
    if not _mechanisms(g, unit) & model.INTEGRATIVE_MECHANISMS:
        return False
    served = {i for p in unit for i in _substantive(g, p)}
    return len(_principals_served(g, served, g.nodes[provision]["negotiation"])) >= 2


def classify(g: nx.MultiDiGraph, provision: str) -> str:
    """One class per provision, first that applies: value-creating, deferred, distributive, other.

    ``other`` is a provision whose mechanism is integrative but whose substantive effect reaches fewer than two
    principals (one-sided, or only nominal).
    """
    if is_value_creating(g, provision):
        return "value-creating"
    mech = _mechanisms(g, [provision])
    if "deferral" in mech:
        return "deferred"
    if mech and mech <= model.DISTRIBUTIVE_MECHANISMS:
        return "distributive"
    return "other"


def _provision_row(g: nx.MultiDiGraph, p: str) -> Row:
    d = g.nodes[p]
    served = _substantive(g, p)
    return {
        "negotiation": d["negotiation"],
        "agreement": d["agreement"],
        "provision": d["id"],
        "provision_name": d["name"],
        "locator": d["locator"],
        "mechanisms": _ids(g, _out(g, p, "USES_MECHANISM")),
        "package": package_of(g, p),
        "interests": _ids(g, served),
        "parties": _principals_served(g, served, d["negotiation"]),
    }


# --- the library questions ----------------------------------------------------------------------------------

def shared_interests(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """Interests held by two or more parties of the same negotiation."""
    rows = []
    for i in _of(g, "Interest", case):
        d, hs = g.nodes[i], holders(g, i)
        if len(hs) >= 2:
            rows.append(
                {
                    "negotiation": d["negotiation"],
                    "interest": d["id"],
                    "interest_name": d["name"],
                    "category": d["category"],
                    "parties": hs,
                }
            )
    return _sorted(rows)


def value_creating_provisions(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """Provisions that create value: an integrative mechanism serving two or more principals, alone or as a package.

    ``interests`` and ``parties`` are what the provision itself serves at strength partial or full (the
    principals among the holders); ``package`` names its package when it is one half of a trade;
    ``package_parties`` are the principals the whole unit serves; ``strength`` is the weakest strength
    among its substantive links (null when only its package serves anyone).
    """
    rows = []
    for p in _of(g, "Provision", case):
        if not is_value_creating(g, p):
            continue
        row = _provision_row(g, p)
        unit = _unit(g, p)
        strengths = [g.edges[p, i, "SERVES"]["strength"] for i in _substantive(g, p)]
        row["package_parties"] = _principals_served(g, {i for u in unit for i in _substantive(g, u)}, row["negotiation"])
        row["strength"] = min(strengths, key=model.STRENGTH_RANK.__getitem__) if strengths else None
        rows.append(row)
    return _sorted(rows)


def interest_provision_links(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """The headline: each interest that a value-creating provision serves in substance, with who holds it and why we know.

    ``shared`` says whether the interest is itself shared (two or more holders); ``strength`` is partial or
    full; ``sources`` are the citations of the SERVES claim as ``"source-id @ locator"``.
    """
    rows = []
    for p in _of(g, "Provision", case):
        if not is_value_creating(g, p):
            continue
        d = g.nodes[p]
        mech = _ids(g, _out(g, p, "USES_MECHANISM"))
        for i in _substantive(g, p):
            di, hs, e = g.nodes[i], holders(g, i), g.edges[p, i, "SERVES"]
            rows.append(
                {
                    "negotiation": d["negotiation"],
                    "interest": di["id"],
                    "interest_name": di["name"],
                    "category": di["category"],
                    "parties": hs,
                    "shared": len(hs) >= 2,
                    "provision": d["id"],
                    "provision_name": d["name"],
                    "locator": d["locator"],
                    "mechanisms": mech,
                    "package": package_of(g, p),
                    "strength": e["strength"],
                    "sources": _cited(e),
                }
            )
    return _sorted(rows)


def unmet_interests(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """Interests of principals and affected parties that no provision serves at strength partial or full.

    ``best_strength`` is the most any provision of the negotiation gave the interest: ``none`` or ``nominal``.
    """
    rows = []
    for i in _of(g, "Interest", case):
        d, best = g.nodes[i], _best(g, i)
        if best in model.MEETING_STRENGTHS:
            continue
        role = roles(g, d["negotiation"])
        for u in _in(g, i, "HAS_INTEREST"):
            party = g.nodes[u]["id"]
            if role.get(party) not in model.UNMET_ROLES:
                continue
            rows.append(
                {
                    "negotiation": d["negotiation"],
                    "party": party,
                    "role": role[party],
                    "interest": d["id"],
                    "interest_name": d["name"],
                    "category": d["category"],
                    "salience": g.edges[u, i, "HAS_INTEREST"].get("salience"),
                    "best_strength": best,
                }
            )
    return _sorted(rows)


def distributive_provisions(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """Provisions that claim value: every mechanism is compromise or concession, and no value-creating package holds them.

    ``interests`` and ``parties`` say who gained (interests served at strength partial or full; their principal holders).
    """
    return _sorted([_provision_row(g, p) for p in _of(g, "Provision", case) if classify(g, p) == "distributive"])


def deferred_issues(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """Issues a provision deferred (deferral mechanism), with where they were sent and the negotiations that followed.

    One row per (deferring provision, issue it addresses); ``issue`` is null for a deferral that names no issue.
    ``followed_by`` are the negotiations of the corpus recorded as following this one (FOLLOWS).
    """
    rows = []
    for p in _of(g, "Provision", case):
        if "deferral" not in _mechanisms(g, [p]):
            continue
        d = g.nodes[p]
        later = _ids(g, _in(g, f"Negotiation:{d['negotiation']}", "FOLLOWS"))
        for iss in _out(g, p, "ADDRESSES") or [None]:
            rows.append(
                {
                    "negotiation": d["negotiation"],
                    "issue": g.nodes[iss]["id"] if iss else None,
                    "issue_name": g.nodes[iss]["name"] if iss else None,
                    "provision": d["id"],
                    "provision_name": d["name"],
                    "locator": d["locator"],
                    "deferred_to": d.get("deferred_to"),
                    "followed_by": later,
                }
            )
    return _sorted(rows)


def contributions(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """Who paid for or underwrote which provision (FUNDS): amount, currency and year where sourced, and what it served.

    ``interests`` are the interests the funded provision serves at strength partial or full; ``parties`` their holders.
    """
    rows = []
    for p in _of(g, "Provision", case):
        d = g.nodes[p]
        funders = [(u, e) for u, _, k, e in g.in_edges(p, keys=True, data=True) if k == "FUNDS"]
        if not funders:
            continue
        served = _substantive(g, p)
        role = roles(g, d["negotiation"])
        for u, e in funders:
            funder = g.nodes[u]["id"]
            rows.append(
                {
                    "negotiation": d["negotiation"],
                    "funder": funder,
                    "funder_role": role.get(funder),
                    "provision": d["id"],
                    "provision_name": d["name"],
                    "locator": d["locator"],
                    "amount": e.get("amount"),
                    "currency": e.get("currency"),
                    "year": e.get("year"),
                    "interests": _ids(g, served),
                    "parties": sorted({h for i in served for h in holders(g, i)}),
                    "sources": _cited(e),
                }
            )
    return _sorted(rows)


def precedents(
    g: nx.MultiDiGraph,
    category: str,
    other: str | None = None,
    domain: str | None = None,
    mechanism: str | None = None,
    since: str | None = None,
    until: str | None = None,
    exclude: str | None = None,
) -> list[Row]:
    """Precedents: provisions whose package served in substance a principal's interest of a category (and another's).

    The package must serve an interest of ``category`` held by one principal and, with ``other``, one of
    ``other`` held by a different principal (at strength partial or full). Filters: the negotiation's
    ``domain``; a ``mechanism`` the provision uses; its start year ``since`` / ``until`` (inclusive, ``YYYY``);
    ``exclude`` a negotiation (to look elsewhere). ``interests`` / ``parties`` are the matched interests and
    their principal holders; ``strength`` the weakest matched link; ``sources`` the citations of the matched
    SERVES links. :func:`kg.integrative.rank` orders and explains the rows.
    """
    wanted = {category, other or category}
    rows = []
    for p, (neg, own, links) in _precedent_index(g).items():
        year = neg["start_date"][:4]
        if (exclude and neg["id"] == exclude) or (domain and neg["domain"] != domain):
            continue
        if (since and year < since) or (until and year > until) or (mechanism and mechanism not in own):
            continue
        matched = [x for x in links if x[2] in wanted]
        a = {h for _, h, cat, _ in matched if cat == category}
        b = {h for _, h, cat, _ in matched if cat == (other or category)}
        if not a or (other is not None and not any(x != y for x in a for y in b)):
            continue
        d = g.nodes[p]
        strengths = {e["strength"] for *_, e in matched}
        rows.append(
            {
                "negotiation": neg["id"],
                "start_date": neg["start_date"],
                "domain": neg["domain"],
                "provision": d["id"],
                "provision_name": d["name"],
                "locator": d["locator"],
                "mechanisms": own,
                "package": package_of(g, p),
                "value_creating": is_value_creating(g, p),
                "interests": _ids(g, [i for i, *_ in matched]),
                "parties": sorted(a | b),
                "strength": "partial" if "partial" in strengths else "full",
                "sources": sorted({c for *_, e in matched for c in _cited(e)}),
            }
        )
    return _sorted(rows)


def _precedent_index(g: nx.MultiDiGraph) -> dict[str, tuple[dict[str, Any], list[str], list[tuple[str, str, str, Any]]]]:
    """Per provision, once per graph: its negotiation, own mechanisms, and the links its unit serves in substance to
    interests held by principals, as (interest key, holder, category, SERVES attributes)."""
    ix = _index(g)
    if ix.precedents is None:
        ix.precedents = {}
        for p in _of(g, "Provision"):
            case = g.nodes[p]["negotiation"]
            role = roles(g, case)
            links = []
            for u in _unit(g, p):
                for i in _substantive(g, u):
                    e = g.edges[u, i, "SERVES"]
                    links += [(i, h, g.nodes[i]["category"], e) for h in holders(g, i) if role.get(h) in model.VALUE_ROLES]
            ix.precedents[p] = (g.nodes[f"Negotiation:{case}"], _ids(g, _out(g, p, "USES_MECHANISM")), links)
    return ix.precedents


def _best(g: nx.MultiDiGraph, interest: str) -> str:
    """The strongest SERVES an interest received in its negotiation: full, partial, nominal or none."""
    got = [e.get("strength") for _, _, k, e in g.in_edges(interest, keys=True, data=True) if k == "SERVES"]
    return max((s for s in got if s in model.STRENGTH_RANK), key=model.STRENGTH_RANK.__getitem__, default="none")


def _descendants(g: nx.MultiDiGraph, root: str) -> list[str]:
    """The interests that continue a root interest, directly or through others (CONTINUES*), itself included."""
    seen, todo = {root}, [root]
    while todo:
        for m in _in(g, todo.pop(), "CONTINUES"):
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return sorted(seen)


def interest_lineage(g: nx.MultiDiGraph, of: str | None = None, party: str | None = None) -> list[Row]:
    """Interests carried from one negotiation to the next (CONTINUES): each step, and where the concern was first met.

    A lineage starts at a root, an interest that later interests continue and that continues none itself, and
    holds every interest that continues it, directly or not (an interest continuing two roots is in both
    lineages). ``best_strength`` is what the interest got in its own negotiation; ``first_served_in`` /
    ``first_served_strength`` the earliest member (by its negotiation's start date, then id) served at strength
    partial or full (null if none was). Filter with ``of`` (an interest id: the lineages holding it) or
    ``party`` (lineages in which the party holds an interest).
    """
    def when(i: str) -> str:
        d = g.nodes[i]
        return f"{g.nodes['Negotiation:' + d['negotiation']]['start_date']}|{d['id']}"

    rows = []
    for root in _of(g, "Interest"):
        if _out(g, root, "CONTINUES") or not _in(g, root, "CONTINUES"):
            continue
        chain = _descendants(g, root)
        if of is not None and f"Interest:{of}" not in chain:
            continue
        if party is not None and not any(party in holders(g, j) for j in chain):
            continue
        served = sorted((when(j), j) for j in chain if _best(g, j) in model.MEETING_STRENGTHS)
        first = served[0][1] if served else None
        for j in chain:
            d = g.nodes[j]
            rows.append(
                {
                    "lineage": g.nodes[root]["id"],
                    "start_date": g.nodes[f"Negotiation:{d['negotiation']}"]["start_date"],
                    "negotiation": d["negotiation"],
                    "interest": d["id"],
                    "interest_name": d["name"],
                    "category": d["category"],
                    "parties": holders(g, j),
                    "best_strength": _best(g, j),
                    "first_served_in": g.nodes[first]["negotiation"] if first else None,
                    "first_served_strength": _best(g, first) if first else None,
                }
            )
    return _sorted(rows)


def positions_and_interests(g: nx.MultiDiGraph, case: str | None = None, party: str | None = None) -> list[Row]:
    """Each party's positions, set against the interests they reflect."""
    rows = []
    for p in _of(g, "Position", case):
        d = g.nodes[p]
        if party is not None and d["party"] != party:
            continue
        rows.append(
            {
                "negotiation": d["negotiation"],
                "party": d["party"],
                "position": d["id"],
                "statement": d["name"],
                "issue": d["issue"],
                "interests": _ids(g, _out(g, p, "REFLECTS")),
            }
        )
    return _sorted(rows)


def mechanism_mix(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """Per negotiation and mechanism: how many provisions use it, and how many of those create value."""
    counts: dict[tuple[str, str], list[int]] = {}
    for p in _of(g, "Provision", case):
        vc = is_value_creating(g, p)
        for m in _out(g, p, "USES_MECHANISM"):
            c = counts.setdefault((g.nodes[p]["negotiation"], m), [0, 0])
            c[0] += 1
            c[1] += vc
    return _sorted(
        [
            {
                "negotiation": n,
                "mechanism": g.nodes[m]["id"],
                "family": g.nodes[m]["family"],
                "integrative": bool(g.nodes[m]["integrative"]),
                "provisions": c[0],
                "value_creating": c[1],
            }
            for (n, m), c in counts.items()
        ]
    )


def party_profile(g: nx.MultiDiGraph, party: str, case: str | None = None) -> list[Row]:
    """One party across negotiations: its role and each interest it held (interest null if none recorded)."""
    pk = f"Party:{party}"
    if pk not in g:
        return []
    rows = []
    for _, n, k, d in g.out_edges(pk, keys=True, data=True):
        if k != "PARTICIPATED_IN":
            continue
        neg = g.nodes[n]
        if case is not None and neg["id"] != case:
            continue
        base = {"negotiation": neg["id"], "domain": neg["domain"], "role": d["role"]}
        held = [i for i in _out(g, pk, "HAS_INTEREST") if g.nodes[i]["negotiation"] == neg["id"]]
        if not held:
            rows.append({**base, "interest": None, "interest_name": None, "category": None, "salience": None})
        for i in held:
            di = g.nodes[i]
            rows.append(
                {
                    **base,
                    "interest": di["id"],
                    "interest_name": di["name"],
                    "category": di["category"],
                    "salience": g.edges[pk, i, "HAS_INTEREST"].get("salience"),
                }
            )
    return _sorted(rows)


def trades(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """Provisions conceded in exchange for one another (TRADED_FOR), with their package and the evidence."""
    rows = []
    for p in _of(g, "Provision", case):
        for q in _out(g, p, "TRADED_FOR"):
            d, dq = g.nodes[p], g.nodes[q]
            rows.append(
                {
                    "negotiation": d["negotiation"],
                    "provision": d["id"],
                    "provision_name": d["name"],
                    "traded_for": dq["id"],
                    "traded_for_name": dq["name"],
                    "package": package_of(g, p),
                    "sources": _cited(g.edges[p, q, "TRADED_FOR"]),
                }
            )
    return _sorted(rows)


def evidence(g: nx.MultiDiGraph, id: str) -> list[Row]:  # noqa: A002 - the parameter's public name
    """The sources behind every claim about one node: the node itself, and claims linking it to others.

    One row per (claim, source, locator). ``object`` is null for a claim that is the node itself.
    """
    rows = []
    for n, d in g.nodes(data=True):
        if d["id"] != id or d["type"] in ("Source", "InterestCategory", "Mechanism"):
            continue
        for _, s, k, e in g.out_edges(n, keys=True, data=True):
            if k == "CITES":
                for loc in e["locators"]:
                    rows.append(
                        {
                            "claim": d["type"],
                            "subject": id,
                            "object": None,
                            "source": g.nodes[s]["id"],
                            "source_title": g.nodes[s]["name"],
                            "locator": loc,
                        }
                    )
        edges = [*g.out_edges(n, keys=True, data=True), *g.in_edges(n, keys=True, data=True)]
        for u, v, k, e in edges:
            if k == "CITES":
                continue
            for s, loc in zip(e.get("source_ids", []), e.get("locators", []), strict=True):
                rows.append(
                    {
                        "claim": k,
                        "subject": g.nodes[u]["id"],
                        "object": g.nodes[v]["id"],
                        "source": s,
                        "source_title": g.nodes[f"Source:{s}"]["name"],
                        "locator": loc,
                    }
                )
    return _sorted(rows)
