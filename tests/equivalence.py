"""The library calls every engine must answer exactly as the native reference: one generator for all engines.

Values come from the graph, per parameter name of :data:`kg.queries.LIBRARY` (so a new question is covered
as soon as it is registered): every case (and none), parties (each, or a spread), interests that belong to a
lineage (and one that does not), node ids of every kind for ``evidence``, and an unknown value for each.
"""

from __future__ import annotations

from typing import Any

from kg.queries import LIBRARY

Call = tuple[str, dict[str, str]]


def spread(items: list[str], k: int) -> list[str]:
    """Up to ``k`` items spread evenly over a sorted list (deterministic)."""
    if len(items) <= k or k < 2:
        return items[: max(k, 0)] if k < 2 else items
    return [items[i * (len(items) - 1) // (k - 1)] for i in range(k)]


def _values(g: Any, k: int) -> dict[str, list[str]]:
    nodes = [d for _, d in g.nodes(data=True)]
    of = lambda t: sorted(d["id"] for d in nodes if d["type"] == t)  # noqa: E731
    lineage = sorted({g.nodes[n]["id"] for u, v, key in g.edges(keys=True) if key == "CONTINUES" for n in (u, v)})
    claims = ("Negotiation", "Party", "Issue", "Position", "Interest", "Agreement", "Provision")
    categories = sorted({d["category"] for d in nodes if d["type"] == "Interest"})
    return {
        "category": spread(categories, max(k // 3, 3)),
        "other": spread(categories, 3),
        "domain": spread(sorted({d["domain"] for d in nodes if d["type"] == "Negotiation"}), 4),
        "mechanism": spread(of("Mechanism"), 4),
        "since": ["1950", "1990"],
        "until": ["1979", "2001"],
        "exclude": spread(of("Negotiation"), 3),
        "case": of("Negotiation"),
        "party": spread(of("Party"), k),
        "of": spread(lineage, k) + spread([i for i in of("Interest") if i not in lineage], 1),
        "id": [i for t in claims for i in spread(of(t), k)],
    }


def library_calls(g: Any, k: int = 12) -> list[Call]:
    """Every library question with parameter values spread over the graph (at most about ``k`` per kind)."""
    values = _values(g, k)
    calls: list[Call] = []
    for name, q in LIBRARY.items():
        names = [p.name for p in q.params]
        required = [p for p in names if p in q.required]
        optional = [p for p in names if p not in q.required]
        base: list[dict[str, str]] = [{}]
        for p in required:
            base = [{**b, p: v} for b in base for v in values[p]] + [{**b, p: f"no-such-{p}"} for b in base[:1]]
        out = list(base)
        for p in optional:
            out += [{**b, p: v} for b in base[:1] for v in values[p]]
        if "category" in required and "other" in optional:  # configurations: every category with a spread of others
            out += [{**b, "other": v} for b in base[1:] for v in values["other"]]
        if len(optional) == 2:  # both at once, a few combinations
            a, b = optional
            out += [{**base[0], a: x, b: y} for x in values[a][:2] for y in values[b][:3]]
        calls += [(name, params) for params in out]
    return calls
