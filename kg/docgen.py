"""Documentation generated from the model and the graph, so it cannot drift: docs/vocabulary.md and docs/cases.md.

``negkg docs`` writes both; a test regenerates them and compares with the committed files.

>>> "| `bridging` |" in vocabulary_markdown()
True
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

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
            extra = {True: " *(integrative)*", False: " *(non-integrative)*"}.get(c.integrative, "")  # type: ignore[arg-type]
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
        out += [
            f"## {md_escape(d['name'])}",
            "",
            f"`{cid}` · {d['start_date']} to {d['end_date']} · {d['domain']} · {md_escape(who)}",
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
            out.append("**Headline.** No provision of this negotiation served the interests of two or more parties.")
        out += [
            "",
            f"Coverage: {s['interests']} interests ({s['shared_interests']} shared), {s['provisions']} "
            f"provisions ({s['value_creating_provisions']} value-creating), {s['unmet_interests']} unmet interests, "
            f"{s['sources']} sources, {s['uncertain_facts']} facts flagged uncertain.",
            "",
        ]
    return "\n".join(out)
