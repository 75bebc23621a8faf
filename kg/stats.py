"""Coverage per case: what the graph holds and how well it is sourced.

>>> from kg import api
>>> rows = case_stats(api.graph(api.load(data_dir="tests/fixtures/mini")))
>>> rows[0]["case"], rows[0]["provisions"], rows[0]["value_creating_provisions"], rows[0]["sourced_share"]
('river-1990', 3, 2, 0.842)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg import analysis, model

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["case_stats", "COLUMNS"]

COLUMNS = (
    "case",
    "parties",
    "principals",
    "issues",
    "positions",
    "interests",
    "shared_interests",
    "agreements",
    "provisions",
    "value_creating_provisions",
    "distributive_provisions",
    "deferred_provisions",
    "other_provisions",
    "integrative_share",
    "distributive_share",
    "deferred_share",
    "sources",
    "claims",
    "sourced_share",
    "provisions_without_serves",
    "unmet_interests",
    "principals_without_positions",
    "uncertain_facts",
)


def _shares(g: nx.MultiDiGraph, provisions: list[str]) -> dict[str, Any]:
    """Counts and shares of the provision classes of :func:`kg.analysis.classify` (they partition the provisions)."""
    counts = dict.fromkeys(analysis.CLASSES, 0)
    for p in provisions:
        counts[analysis.classify(g, p)] += 1
    share = lambda k: round(counts[k] / len(provisions), 3) if provisions else 0.0  # noqa: E731
    return {
        "value_creating_provisions": counts["value-creating"],
        "distributive_provisions": counts["distributive"],
        "deferred_provisions": counts["deferred"],
        "other_provisions": counts["other"],
        "integrative_share": share("value-creating"),
        "distributive_share": share("distributive"),
        "deferred_share": share("deferred"),
    }


def case_stats(g: nx.MultiDiGraph, case: str | None = None) -> list[dict[str, Any]]:
    """One row per negotiation (or only ``case``) with counts, sourcing and gaps; see :data:`COLUMNS`."""
    from kg.graph import by_negotiation

    index = by_negotiation(g)
    rows = []
    for neg, d in sorted(g.nodes(data=True)):
        if d["type"] != "Negotiation" or (case is not None and d["id"] != case):
            continue
        rows.append(_one(g, neg, d["id"], [n for n in index.get(d["id"], []) if n != neg]))
    return rows


def _one(g: nx.MultiDiGraph, neg: str, cid: str, own: list[str]) -> dict[str, Any]:
    by_type: dict[str, list[str]] = {t: [] for t in model.NODE_TYPES}
    for n in own:
        by_type[g.nodes[n]["type"]].append(n)
    parts = {u: e["role"] for u, _, k, e in g.in_edges(neg, keys=True, data=True) if k == "PARTICIPATED_IN"}
    principals = {u for u, r in parts.items() if r == "principal"}
    claims = sourced = uncertain = 0
    cited: set[str] = set()
    relation_claims: dict[tuple[str, str, str], dict[str, Any]] = {}
    for n in [neg, *own]:
        uncertain += bool(g.nodes[n].get("uncertain"))
        if g.nodes[n]["type"] in model.CLAIM_NODE_TYPES:  # node claims cite through CITES edges
            claims += 1
            sourced += any(k == "CITES" for *_, k in g.out_edges(n, keys=True))
        for u, v, k, e in [*g.out_edges(n, keys=True, data=True), *g.in_edges(n, keys=True, data=True)]:
            if k == "CITES":
                cited.add(v)
                uncertain += bool(e.get("uncertain"))
            elif k in model.CITED_RELATIONS:
                relation_claims[(u, v, k)] = e
    for e in relation_claims.values():
        claims += 1
        sourced += bool(e.get("source_ids"))
        uncertain += bool(e.get("uncertain"))
        cited.update(f"Source:{s}" for s in e.get("source_ids", []))
    with_positions = {f"Party:{g.nodes[p]['party']}" for p in by_type["Position"]}
    return {
        "case": cid,
        "parties": len(parts),
        "principals": len(principals),
        "issues": len(by_type["Issue"]),
        "positions": len(by_type["Position"]),
        "interests": len(by_type["Interest"]),
        "shared_interests": sum(len(analysis.holders(g, i)) >= 2 for i in by_type["Interest"]),
        "agreements": len(by_type["Agreement"]),
        "provisions": len(by_type["Provision"]),
        **_shares(g, by_type["Provision"]),
        "sources": len(cited),
        "claims": claims,
        "sourced_share": round(sourced / claims, 3) if claims else 0.0,
        "provisions_without_serves": sum(
            not any(k == "SERVES" for *_, k in g.out_edges(p, keys=True)) for p in by_type["Provision"]
        ),
        "unmet_interests": len(analysis.unmet_interests(g, cid)),
        "principals_without_positions": sorted(g.nodes[p]["id"] for p in principals - with_positions),
        "uncertain_facts": uncertain,
    }
