"""What a report says, computed from a (sub)graph: plain data, no markup.

Every string here is plain text taken from the graph or written around it; the templates
escape it for HTML or Markdown. Lists are sorted, so the same graph gives the same report.

>>> natural_key("p. 10") > natural_key("p. 9")
True
>>> join_names(["Egypt", "Israel", "the United States"])
'Egypt, Israel and the United States'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg import analysis, model
from kg.queries import LIBRARY, query_file

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Report", "Table", "Section", "QueryText", "BibEntry", "build", "natural_key", "join_names"]

#: the query whose text a report shows when the selection is not itself a query
HEADLINE = "interest-provision-links"


@dataclass
class Table:
    """A table: a caption, the library question behind it, column headings and rows of plain text."""

    title: str
    query: str
    columns: list[str]
    rows: list[list[str | list[str]]]  # a list cell prints as one line per item (HTML) or "; "-joined (Markdown)
    note: str = ""


@dataclass
class Section:
    """A summary section: a heading, a lead sentence and bullet points (all plain text)."""

    title: str
    lead: str
    bullets: list[str] = field(default_factory=list)
    group: str = ""  # a heading printed before this section (the negotiation, in multi-negotiation reports)
    level: int = 3  # heading level of the title


@dataclass
class QueryText:
    lang: str
    label: str
    path: str
    text: str | None  # None when the file is missing


@dataclass
class BibEntry:
    key: str
    reference: str
    url: str | None
    locators: list[tuple[str, list[str]]]  # (locator, claims it supports)


@dataclass
class Report:
    title: str
    subtitle: str
    selection: str
    counts: str
    sections: list[Section]
    tables: list[Table]
    query_name: str
    query_description: str
    query_params: str
    queries: list[QueryText]
    table_queries: list[str]
    bibliography: list[BibEntry]
    figure_caption: str
    generator: str


def natural_key(s: str) -> list[Any]:
    """Sort key that orders digits by value: 'Art. 2' < 'Art. 10'."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", s) if t]


def join_names(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _of(g: nx.MultiDiGraph, type_: str, case: str | None = None) -> list[str]:
    """Keys of the nodes of a type (in one negotiation when ``case`` is given), sorted."""
    return sorted(
        n for n, d in g.nodes(data=True) if d["type"] == type_ and (case is None or d.get("negotiation", d["id"]) == case)
    )


def _name(g: nx.MultiDiGraph, key: str) -> str:
    d = g.nodes[key] if key in g else {}
    return str(d.get("name") or d.get("id") or key.split(":", 1)[-1])


def _by_id(g: nx.MultiDiGraph, type_: str, id_: str) -> str:
    return _name(g, f"{type_}:{id_}")


def _label(vocab: dict[str, model.Concept], id_: str) -> str:
    return vocab[id_].label if id_ in vocab else id_


def _roles(g: nx.MultiDiGraph, neg: str) -> list[tuple[str, str]]:
    """(party key, role) of a negotiation, principals first, then by name."""
    order = list(model.ROLES)
    rows = [(u, d.get("role", "")) for u, _, k, d in g.in_edges(neg, keys=True, data=True) if k == "PARTICIPATED_IN"]
    return sorted(rows, key=lambda r: (order.index(r[1]) if r[1] in order else 99, _name(g, r[0]).lower()))


def _overview(g: nx.MultiDiGraph, neg: str) -> Section:
    d = g.nodes[neg]
    when = "–".join(str(x) for x in (d.get("start_date"), d.get("end_date")) if x)
    facts = ", ".join(x for x in (when, d.get("venue")) if x)
    lead = f"{d.get('name', d['id'])}" + (f" ({facts})" if facts else "") + "."
    if d.get("description"):
        lead += " " + str(d["description"])
    roles = _roles(g, neg)
    bullets = []
    if roles:
        bullets.append(
            f"{len(roles)} parties took part: "
            + join_names([f"{_name(g, p)} ({_label(model.ROLES, r).lower()})" for p, r in roles])
            + "."
        )
    agreements = sorted(v for _, v, k in g.out_edges(neg, keys=True) if k == "PRODUCED")
    for a in agreements:
        da = g.nodes[a]
        signed = f", signed {da['date_signed']}" if da.get("date_signed") else ""
        n = sum(1 for _, _, k in g.out_edges(a, keys=True) if k == "CONTAINS")
        bullets.append(f"Agreement: {_name(g, a)}{signed}; {n} provision{'s' if n != 1 else ''} recorded.")
    if d.get("uncertain"):
        bullets.append(f"Uncertain: {d['uncertain']}")
    return Section(f"{d.get('name', d['id'])}: overview", lead, bullets)


def _positions(g: nx.MultiDiGraph, case: str) -> Section:
    rows = analysis.positions_and_interests(g, case)
    bullets = []
    for r in rows:
        interests = [f"“{_by_id(g, 'Interest', i)}”" for i in r["interests"]]
        behind = f" Behind it: {join_names(interests)}." if interests else " No interest behind it is recorded."
        bullets.append(
            f"{_by_id(g, 'Party', r['party'])}, on {_by_id(g, 'Issue', r['issue'])}: “{r['statement'].rstrip('.')}”.{behind}"
        )
    lead = (
        f"{len(rows)} recorded position{'s' if len(rows) != 1 else ''}, each set against the interests it expresses."
        if rows
        else "No positions are recorded in this selection."
    )
    return Section("Positions set against interests", lead, bullets)


def _shared(g: nx.MultiDiGraph, case: str) -> Section:
    rows = analysis.shared_interests(g, case)
    total = len(_of(g, "Interest", case))
    bullets = [
        f"{r['interest_name']} ({_label(model.INTEREST_CATEGORIES, r['category'])}): held by "
        f"{join_names([_by_id(g, 'Party', p) for p in r['parties']])}."
        for r in rows
    ]
    lead = (
        f"{len(rows)} of {total} interests were held by two or more parties."
        if rows
        else f"None of the {total} interests recorded was held by two or more parties."
        if total
        else "No interests are recorded in this selection."
    )
    return Section("Shared interests", lead, bullets)


def _value(g: nx.MultiDiGraph, case: str) -> Section:
    rows = analysis.value_creating_provisions(g, case)
    total = len(_of(g, "Provision", case))
    bullets = []
    for r in rows:
        mech = join_names([_label(model.MECHANISMS, m).lower() for m in r["mechanisms"]])
        served = []
        for i in r["interests"]:
            holders = analysis.holders(g, f"Interest:{i}")
            served.append(f"“{_by_id(g, 'Interest', i)}” ({join_names([_by_id(g, 'Party', p) for p in holders])})")
        bullets.append(f"{r['provision_name']} ({r['locator']}; {mech}) serves {join_names(served)}.")
    integrative = sum(1 for r in rows if set(r["mechanisms"]) & model.INTEGRATIVE_MECHANISMS)
    lead = (
        f"{len(rows)} of {total} provisions created value: each serves interests held, together, by two or more "
        f"parties; {integrative} of them use an integrative mechanism."
        if rows
        else f"None of the {total} provisions recorded serves interests of two or more parties."
        if total
        else "No provisions are recorded in this selection."
    )
    return Section("Value-creating provisions", lead, bullets)


def _unmet(g: nx.MultiDiGraph, case: str) -> Section:
    rows = analysis.unmet_interests(g, case)
    bullets = []
    for r in rows:
        sal = f", salience {r['salience']}/5" if r.get("salience") is not None else ""
        bullets.append(
            f"{_by_id(g, 'Party', r['party'])}: {r['interest_name']} ({_label(model.INTEREST_CATEGORIES, r['category'])}{sal})."
        )
    lead = (
        f"{len(rows)} interest{'s' if len(rows) != 1 else ''} of participating parties "
        f"{'were' if len(rows) != 1 else 'was'} served by no provision."
        if rows
        else "Every recorded interest is served by at least one provision."
        if _of(g, "Interest", case)
        else "No interests are recorded in this selection."
    )
    return Section("Unmet interests", lead, bullets)


def _names(g: nx.MultiDiGraph, type_: str, ids: list[str]) -> str:
    return "; ".join(_by_id(g, type_, i) for i in ids)


def _tables(g: nx.MultiDiGraph, case: str | None, multi: bool) -> list[Table]:
    neg = (lambda r: [_by_id(g, "Negotiation", r["negotiation"])]) if multi else (lambda r: [])
    ncol = ["Negotiation"] if multi else []
    tables = []
    parties = []
    for n in _of(g, "Negotiation", case):
        for p, role in _roles(g, n):
            d = g.nodes[p]
            parties.append(
                [
                    *([_name(g, n)] if multi else []),
                    _name(g, p),
                    d["id"],
                    _label(model.PARTY_KINDS, d.get("kind", "")),
                    _label(model.ROLES, role),
                ]
            )
    tables.append(
        Table(
            "Parties and roles",
            "",
            [*ncol, "Party", "Id", "Kind", "Role"],
            parties,
            note="From the PARTICIPATED_IN relationships.",
        )
    )
    tables.append(
        Table(
            "Positions and the interests behind them",
            "positions-and-interests",
            [*ncol, "Party", "Position", "Issue", "Interests"],
            [
                [
                    *neg(r),
                    _by_id(g, "Party", r["party"]),
                    r["statement"],
                    _by_id(g, "Issue", r["issue"]),
                    [_by_id(g, "Interest", i) for i in r["interests"]],
                ]
                for r in analysis.positions_and_interests(g, case)
            ],
        )
    )
    tables.append(
        Table(
            "Shared interests",
            "shared-interests",
            [*ncol, "Interest", "Category", "Held by"],
            [
                [*neg(r), r["interest_name"], _label(model.INTEREST_CATEGORIES, r["category"]), _names(g, "Party", r["parties"])]
                for r in analysis.shared_interests(g, case)
            ],
        )
    )
    tables.append(
        Table(
            "Value-creating provisions",
            "value-creating-provisions",
            [*ncol, "Provision", "Locator", "Mechanisms", "Interests served", "Parties served"],
            [
                [
                    *neg(r),
                    r["provision_name"],
                    r["locator"],
                    "; ".join(_label(model.MECHANISMS, m) for m in r["mechanisms"]),
                    [_by_id(g, "Interest", i) for i in r["interests"]],
                    _names(g, "Party", r["parties"]),
                ]
                for r in analysis.value_creating_provisions(g, case)
            ],
        )
    )
    tables.append(
        Table(
            "Interests served by value-creating provisions, with evidence",
            HEADLINE,
            [*ncol, "Interest", "Held by", "Shared", "Provision", "Mechanisms", "Evidence"],
            [
                [
                    *neg(r),
                    r["interest_name"],
                    _names(g, "Party", r["parties"]),
                    "yes" if r["shared"] else "no",
                    f"{r['provision_name']} ({r['locator']})",
                    "; ".join(_label(model.MECHANISMS, m) for m in r["mechanisms"]),
                    [s.replace(" @ ", ": ", 1) for s in r["sources"]],
                ]
                for r in analysis.interest_provision_links(g, case)
            ],
            note="Evidence: source id: locator; see the bibliography.",
        )
    )
    tables.append(
        Table(
            "Unmet interests",
            "unmet-interests",
            [*ncol, "Party", "Interest", "Category", "Salience"],
            [
                [
                    *neg(r),
                    _by_id(g, "Party", r["party"]),
                    r["interest_name"],
                    _label(model.INTEREST_CATEGORIES, r["category"]),
                    "" if r["salience"] is None else f"{r['salience']}/5",
                ]
                for r in analysis.unmet_interests(g, case)
            ],
        )
    )
    tables.append(
        Table(
            "Mechanisms",
            "mechanism-mix",
            [*ncol, "Mechanism", "Integrative", "Provisions", "Value-creating"],
            [
                [
                    *neg(r),
                    _label(model.MECHANISMS, r["mechanism"]),
                    "yes" if r["integrative"] else "no",
                    str(r["provisions"]),
                    str(r["value_creating"]),
                ]
                for r in analysis.mechanism_mix(g, case)
            ],
        )
    )
    return tables


_CLAIMS = {
    "HAS_INTEREST": "{u} holds the interest “{v}”",
    "SERVES": "“{u}” serves “{v}”",
    "TRADED_FOR": "“{u}” was traded for “{v}”",
    "FUNDS": "{u} funds “{v}”",
    "PARTICIPATED_IN": "{u} took part in {v}",
}


def _bibliography(g: nx.MultiDiGraph) -> list[BibEntry]:
    cited: dict[str, dict[str, set[str]]] = {}
    for u, v, k, d in g.edges(keys=True, data=True):
        if k == "CITES":
            what = f"{g.nodes[u]['type']} “{_name(g, u)}”"
            for loc in d.get("locators", []):
                cited.setdefault(g.nodes[v]["id"], {}).setdefault(loc, set()).add(what)
            continue
        for s, loc in zip(d.get("source_ids", []), d.get("locators", []), strict=True):
            what = _CLAIMS.get(k, "{u} " + k + " {v}").format(u=_name(g, u), v=_name(g, v))
            cited.setdefault(s, {}).setdefault(loc, set()).add(what)
    out = []
    for sid in sorted(cited, key=natural_key):
        d = g.nodes.get(f"Source:{sid}", {})
        out.append(
            BibEntry(
                sid,
                reference(d) if d else f"{sid} (not in the selected graph)",
                d.get("url"),
                [(loc, sorted(cited[sid][loc], key=natural_key)) for loc in sorted(cited[sid], key=natural_key)],
            )
        )
    return out


def reference(d: dict[str, Any]) -> str:
    """A source's reference as it should print: its ``citation``, else authors (year). Title. Publisher.

    >>> reference({"name": "A Study", "authors": ["J. Smith", "K. Lee"], "year": 2001, "publisher": "Press"})
    'J. Smith and K. Lee (2001). A Study. Press.'
    >>> reference({"name": "River Treaty", "year": 1990})
    'River Treaty (1990).'
    """
    if d.get("citation"):
        return str(d["citation"])
    head = join_names(list(d.get("authors") or []))
    year = f" ({d['year']})" if d.get("year") else ""
    title = str(d.get("name") or d.get("id", ""))
    parts = [f"{head}{year}", title] if head else [f"{title}{year}"]
    parts.append(str(d.get("publisher") or ""))
    return " ".join(p.rstrip(".") + "." for p in parts if p)


def _query_texts(name: str) -> list[QueryText]:
    out = []
    for lang, label in (("cypher", "Cypher"), ("sparql", "SPARQL")):
        path = query_file(name, lang)
        rel = f"queries/{lang}/{path.name}"
        text = path.read_text(encoding="utf-8").rstrip("\n") if path.is_file() else None
        out.append(QueryText(lang, label, rel, text))
    return out


def _subject(g: nx.MultiDiGraph, negs: list[str], criteria: dict[str, Any]) -> str:
    """What a report is about, for its title: the negotiation, else the selecting party, category, ..."""
    if len(negs) == 1:
        return _name(g, negs[0])
    one = {k: v[0] if isinstance(v, list) else v for k, v in criteria.items() if v and k in _SUBJECTS}
    if len(one) == 1:
        ((k, v),) = one.items()
        return _SUBJECTS[k](g, str(v))
    return "Negotiations"


_SUBJECTS = {
    "party": lambda g, v: _by_id(g, "Party", v),
    "category": lambda g, v: f"{_label(model.INTEREST_CATEGORIES, v)} interests",
    "mechanism": lambda g, v: _label(model.MECHANISMS, v),
    "query": lambda g, v: f"Query {v}",
    "node": lambda g, v: f"Around {_name(g, v) if v in g else v}",
}


def build(
    g: nx.MultiDiGraph, *, case: str | None = None, criteria: dict[str, Any] | None = None, title: str | None = None
) -> Report:
    """The report of a (sub)graph: summary sections per negotiation, tables, query texts and bibliography."""
    from kg import __version__
    from kg.select import describe

    criteria = dict(criteria or {})
    case = case or criteria.get("case")
    negs = _of(g, "Negotiation", case)
    multi = len(negs) > 1
    if title is None:
        title = f"{_subject(g, negs, criteria)}: interests and value creation"
    subtitle = (
        "How the parties' interests, shared and unmet, met the provisions of the agreement."
        if len(negs) == 1
        else f"{len(negs)} negotiations in this selection."
    )
    sections: list[Section] = []
    for n in negs:
        nid = g.nodes[n]["id"]
        group = [_overview(g, n), _positions(g, nid), _shared(g, nid), _value(g, nid), _unmet(g, nid)]
        if multi:  # one heading per negotiation, its sections one level down
            group[0].title, group[0].group = "Overview", _name(g, n)
            for sec in group:
                sec.level = 4
        sections += group
    tables = _tables(g, case, multi)
    qname = criteria.get("query") or HEADLINE
    spec = LIBRARY[qname]
    params = dict(criteria.get("params") or {})
    if case and "case" in {p.name for p in spec.params}:
        params.setdefault("case", case)
    qparams = ", ".join(f"{k} = {v!r}" for k, v in sorted(params.items()) if v is not None) or "none"
    nodes, edges = g.number_of_nodes(), g.number_of_edges()
    return Report(
        title=title,
        subtitle=subtitle,
        selection=describe(**criteria) if criteria else (f"case={case}" if case else "whole graph"),
        counts=f"{nodes} node{'s' if nodes != 1 else ''}, {edges} relationship{'s' if edges != 1 else ''}",
        sections=sections,
        tables=tables,
        query_name=qname,
        query_description=spec.description,
        query_params=qparams,
        queries=_query_texts(qname),
        table_queries=sorted({t.query for t in tables if t.query}),
        bibliography=_bibliography(g),
        figure_caption=(
            "Parties, their positions and interests, and the provisions that serve them. "
            "Green provisions create value (they serve interests of two or more parties); "
            "interests with a thick gold border are shared. Sources, issues and categories are "
            "in the tables."
        ),
        generator=f"negotiation-kg {__version__}",
    )
