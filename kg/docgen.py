"""Documentation generated from the model and the graph, so it cannot drift: docs/vocabulary.md and docs/cases.md.

``negkg docs`` writes both; a test regenerates them and compares with the committed files.

>>> "| `bridging` |" in vocabulary_markdown()
True
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from kg import analysis, model

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["vocabulary_markdown", "cases_markdown", "md_escape"]

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]<>()#+!|"})


def md_escape(text: str) -> str:
    """Escape Markdown and HTML-significant characters so data renders as literal text.

    >>> md_escape("<b>[x](y)</b>")
    '\\\\<b\\\\>\\\\[x\\\\]\\\\(y\\\\)\\\\</b\\\\>'
    """
    return str(text).translate(_MD_SPECIAL).replace("\n", " ")


def vocabulary_markdown() -> str:
    """The node types, relations and vocabularies of :mod:`kg.model` as Markdown."""
    out = [
        "# Model reference (generated)",
        "",
        "Generated from `kg/model.py` by `negkg docs`; do not edit by hand. The reasoning behind the model is in "
        "[model.md](model.md).",
        "",
        "## Node types",
        "",
        "| Type | Definition | Properties |",
        "|---|---|---|",
    ]
    for t in model.NODE_TYPES.values():
        out.append(f"| `{t.name}` | {t.definition} | {', '.join(f'`{p}`' for p in t.properties)} |")
    out += [
        "",
        "## Relations",
        "",
        "| Relation | From | To | Properties | Cites sources | Definition |",
        "|---|---|---|---|---|---|",
    ]
    for r in model.RELATIONS.values():
        ext = " (extension)" if r.extension else ""
        out.append(
            f"| `{r.name}`{ext} | {r.source} | {r.target} | {', '.join(f'`{p}`' for p in r.properties)} | "
            f"{'yes' if r.evidence else ''} | {r.definition} |"
        )
    for name, vocab in model.VOCABULARIES.items():
        out += ["", f"## {name}", "", "| Id | Label | Definition |", "|---|---|---|"]
        for c in vocab.values():
            extra = f" *({c.family})*" if c.family else ""
            out.append(f"| `{c.id}` | {c.label}{extra} | {c.definition} |")
    return "\n".join(out) + "\n"


def _names(g: nx.MultiDiGraph, ids: list[str]) -> str:
    names = [g.nodes[f"Party:{p}"]["name"] for p in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def cases_markdown(g: nx.MultiDiGraph) -> str:
    """One section per negotiation: what it was, who took part, and its headline, written from the graph."""
    from kg.stats import case_stats

    stats = {r["case"]: r for r in case_stats(g)}
    links = defaultdict(list)
    for r in analysis.interest_provision_links(g):
        links[r["negotiation"]].append(r)
    out = [
        "# The cases (generated)",
        "",
        "Generated from the graph by `negkg docs`; do not edit by hand. Each section gives the negotiation, its "
        "parties, and its headline: the value-creating provisions and the interests of each party they served.",
        "",
    ]
    negs = sorted((d for _, d in g.nodes(data=True) if d["type"] == "Negotiation"), key=lambda d: (d["start_date"], d["id"]))
    for d in negs:
        cid, s = d["id"], stats[d["id"]]
        roles = defaultdict(list)
        for u, _, k, e in g.in_edges(f"Negotiation:{cid}", keys=True, data=True):
            if k == "PARTICIPATED_IN":
                roles[e["role"]].append(g.nodes[u]["id"])
        who = "; ".join(f"{role}: {_names(g, sorted(ps))}" for role, ps in sorted(roles.items()))
        status = "" if d.get("status", "concluded") == "concluded" else f" · **{d['status']}**"
        out += [
            f"## {md_escape(d['name'])}",
            "",
            f"`{cid}` · {d['start_date']} to {d.get('end_date') or 'today'}{status} · {d['domain']} · {md_escape(who)}",
            "",
            md_escape(d["description"]),
            "",
        ]
        by_prov = defaultdict(list)
        for r in links[cid]:
            by_prov[(r["provision_name"], r["locator"], tuple(r["mechanisms"]))].append(r)
        if by_prov:
            out.append(
                "**Headline.** "
                + " ".join(
                    f"*{md_escape(name)}* ({md_escape(loc)}; {', '.join(mech)}) served "
                    + "; ".join(
                        f"{md_escape(_names(g, r['parties']))}: {md_escape(r['interest_name'].rstrip('.'))}"
                        f"{' (shared)' if r['shared'] else ''}"
                        for r in rows
                    )
                    + "."
                    for (name, loc, mech), rows in sorted(by_prov.items())
                )
            )
        else:
            out.append("**Headline.** No provision of this negotiation created value: none used an integrative "
                       "mechanism to serve, in substance, the interests of two or more principals.")
        out += [
            "",
            f"Coverage: {s['interests']} interests ({s['shared_interests']} shared), {s['provisions']} provisions: "
            f"{s['value_creating_provisions']} value-creating, {s['distributive_provisions']} distributive, "
            f"{s['deferred_provisions']} deferred, {s['other_provisions']} other; {s['unmet_interests']} unmet "
            f"interests, {s['sources']} sources, {s['uncertain_facts']} facts flagged uncertain.",
            "",
        ]
    out += _shares_table(negs, stats) + _category_pairs(g)
    return "\n".join(out)


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _shares_table(negs: list[dict[str, Any]], stats: dict[str, dict[str, Any]]) -> list[str]:
    """The integrative, distributive and deferred shares of every case (docs/model.md, "Definitions")."""
    out = [
        "## Integrative, distributive and deferred shares",
        "",
        "Each provision falls in one class, the first that applies: value-creating (its package uses an integrative "
        "mechanism and serves two or more principals at strength partial or full), deferred, distributive (compromise "
        "or concession only), other. `negkg stats` gives the same figures.",
        "",
        "| Case | Status | Provisions | Value-creating | Distributive | Deferred | Other | Unmet interests |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d in negs:
        s = stats[d["id"]]
        out.append(
            f"| `{d['id']}` | {d.get('status', 'concluded')} | {s['provisions']} | {s['value_creating_provisions']} "
            f"({_pct(s['integrative_share'])}) | {s['distributive_provisions']} ({_pct(s['distributive_share'])}) | "
            f"{s['deferred_provisions']} ({_pct(s['deferred_share'])}) | {s['other_provisions']} | {s['unmet_interests']} |"
        )
    return [*out, ""]


def category_pairs(g: nx.MultiDiGraph) -> dict[tuple[str, str], list[str]]:
    """Pairs of interest categories held by different principals and served together by a value-creating provision.

    ``(category, category) -> provision ids`` (each pair sorted; a category may pair with itself).
    """
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in analysis.value_creating_provisions(g):
        key = f"Provision:{r['provision']}"
        neg = r["negotiation"]
        role = analysis.roles(g, neg)
        held = []
        for u in analysis._unit(g, key):
            for i in analysis._substantive(g, u):
                cat = g.nodes[i]["category"]
                held += [(cat, p) for p in analysis.holders(g, i) if role.get(p) in model.VALUE_ROLES]
        for a, pa in held:
            for b, pb in held:
                if pa < pb:
                    pairs[tuple(sorted((a, b)))].add(r["provision"])  # type: ignore[arg-type]
    return {k: sorted(v) for k, v in sorted(pairs.items())}


def _category_pairs(g: nx.MultiDiGraph) -> list[str]:
    pairs = category_pairs(g)
    cats = list(model.INTEREST_CATEGORIES)
    out = [
        "## Pairs of interest categories the corpus covers",
        "",
        "A cell counts the value-creating provisions (or packages' members) that served, in substance, an interest of "
        "the row's category held by one principal and one of the column's category held by another: the "
        "configurations for which the corpus holds precedents. "
        f"{len(pairs)} of {len(cats) * (len(cats) + 1) // 2} pairs are covered.",
        "",
        "| | " + " | ".join(cats) + " |",
        "|---|" + "---|" * len(cats),
    ]
    for a in cats:
        cells = [str(len(pairs.get(tuple(sorted((a, b))), []))) or "" for b in cats]  # type: ignore[arg-type]
        out.append(f"| {a} | " + " | ".join(c if c != "0" else "·" for c in cells) + " |")
    return [*out, ""]
