"""networkx-native analysis: the query library answered directly on the canonical graph.

Each function takes the graph (from :func:`kg.graph.build`) and returns rows (dicts) with the
columns its :data:`kg.queries.LIBRARY` entry declares; multi-valued columns are sorted lists.
These are the reference answers: the Cypher and SPARQL libraries must return the same rows.

Definitions (docs/model.md):

- *shared interest*: an Interest held by two or more distinct parties of the same negotiation;
- *value-creating provision*: a provision serving interests held, together, by two or more
  distinct parties of its negotiation;
- *unmet interest*: an interest of a participating party that no provision of that negotiation serves.

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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

Row = dict[str, Any]

__all__ = [
    "shared_interests",
    "value_creating_provisions",
    "interest_provision_links",
    "unmet_interests",
    "positions_and_interests",
    "mechanism_mix",
    "party_profile",
    "trades",
    "evidence",
    "holders",
    "is_value_creating",
]


def _of(g: nx.MultiDiGraph, type_: str, case: str | None = None) -> list[str]:
    return sorted(
        n for n, d in g.nodes(data=True) if d["type"] == type_ and (case is None or d.get("negotiation", d["id"]) == case)
    )


def _out(g: nx.MultiDiGraph, n: str, rel: str) -> list[str]:
    return sorted(v for _, v, k in g.out_edges(n, keys=True) if k == rel)


def _in(g: nx.MultiDiGraph, n: str, rel: str) -> list[str]:
    return sorted(u for u, _, k in g.in_edges(n, keys=True) if k == rel)


def _ids(g: nx.MultiDiGraph, keys: list[str]) -> list[str]:
    return sorted({g.nodes[k]["id"] for k in keys})


def _sorted(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: [str(v) for v in r.values()])


def _cited(attrs: dict[str, Any]) -> list[str]:
    return sorted(f"{s} @ {loc}" for s, loc in zip(attrs.get("source_ids", []), attrs.get("locators", []), strict=True))


def holders(g: nx.MultiDiGraph, interest: str) -> list[str]:
    """Ids of the parties that hold an interest (given by node key), sorted."""
    return _ids(g, _in(g, interest, "HAS_INTEREST"))


def is_value_creating(g: nx.MultiDiGraph, provision: str) -> bool:
    """True when the interests a provision serves are held by two or more distinct parties."""
    return len({p for i in _out(g, provision, "SERVES") for p in holders(g, i)}) >= 2


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
    """Provisions serving interests of two or more parties, with their mechanisms."""
    rows = []
    for p in _of(g, "Provision", case):
        served = _out(g, p, "SERVES")
        parties = sorted({h for i in served for h in holders(g, i)})
        if len(parties) >= 2:
            d = g.nodes[p]
            rows.append(
                {
                    "negotiation": d["negotiation"],
                    "agreement": d["agreement"],
                    "provision": d["id"],
                    "provision_name": d["name"],
                    "locator": d["locator"],
                    "mechanisms": _ids(g, _out(g, p, "USES_MECHANISM")),
                    "interests": _ids(g, served),
                    "parties": parties,
                }
            )
    return _sorted(rows)


def interest_provision_links(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """The headline: each interest that a value-creating provision serves, with who holds it and why we know.

    ``shared`` says whether the interest is itself shared (two or more holders); ``sources``
    are the citations of the SERVES claim as ``"source-id @ locator"``.
    """
    rows = []
    for p in _of(g, "Provision", case):
        if not is_value_creating(g, p):
            continue
        d = g.nodes[p]
        mech = _ids(g, _out(g, p, "USES_MECHANISM"))
        for i in _out(g, p, "SERVES"):
            di, hs = g.nodes[i], holders(g, i)
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
                    "sources": _cited(g.edges[p, i, "SERVES"]),
                }
            )
    return _sorted(rows)


def unmet_interests(g: nx.MultiDiGraph, case: str | None = None) -> list[Row]:
    """Each (party, interest) of a negotiation that no provision of it serves."""
    rows = []
    for i in _of(g, "Interest", case):
        if _in(g, i, "SERVES"):
            continue
        d = g.nodes[i]
        for u in _in(g, i, "HAS_INTEREST"):
            rows.append(
                {
                    "negotiation": d["negotiation"],
                    "party": g.nodes[u]["id"],
                    "interest": d["id"],
                    "interest_name": d["name"],
                    "category": d["category"],
                    "salience": g.edges[u, i, "HAS_INTEREST"].get("salience"),
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
    """Provisions conceded in exchange for one another (TRADED_FOR), with the evidence."""
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
