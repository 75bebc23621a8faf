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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg import analysis, model
from kg.queries import LIBRARY, query_file

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Report", "Part", "Block", "Table", "Section", "QueryText", "BibEntry", "SectionSpec", "SECTIONS", "build",
           "natural_key", "join_names", "parse_sections"]

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
class Block:
    """One piece of a part: a sub-heading, a lead paragraph with bullets, a table, a figure, query texts
    or the bibliography (``kind`` says which; the other fields are empty)."""

    kind: str  # heading | text | table | figure | queries | bibliography | note
    section: Section | None = None
    table: Table | None = None
    svgs: list[str] = field(default_factory=list)  # a figure, cut into page-high bands (HTML, PDF)
    full: str = ""  # the same figure as one SVG (Markdown, DOCX)
    caption: str = ""
    text: str = ""  # heading or note text
    queries: list[QueryText] = field(default_factory=list)
    bibliography: list[BibEntry] = field(default_factory=list)


@dataclass
class Part:
    """A top-level section of the report (a heading in the table of contents) and its blocks."""

    key: str
    title: str
    blocks: list[Block]

    @property
    def anchor(self) -> str:
        return f"sec-{self.key}"


@dataclass
class Report:
    title: str
    subtitle: str
    selection: str
    counts: str
    parts: list[Part]
    query_name: str
    query_description: str
    query_params: str
    table_queries: list[str]
    notes: list[str]  # sections asked for but left out, and why
    generator: str

    @property
    def figures(self) -> list[Block]:
        return [b for p in self.parts for b in p.blocks if b.kind == "figure"]


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
    classes = [analysis.classify(g, p) for p in _of(g, "Provision", case)]
    bullets = []
    for r in rows:
        mech = join_names([_label(model.MECHANISMS, m).lower() for m in r["mechanisms"]])
        served = []
        for i in r["interests"]:
            holders = analysis.holders(g, f"Interest:{i}")
            served.append(f"“{_by_id(g, 'Interest', i)}” ({join_names([_by_id(g, 'Party', p) for p in holders])})")
        package = (f" As part of a package with {join_names(_package_names(g, r['package'], r['provision']))}, it serves "
                   f"{join_names([_by_id(g, 'Party', p) for p in r['package_parties']])}.") if r["package"] else ""
        serves = f" serves {join_names(served)} ({r['strength']})" if served else " serves no one by itself"
        bullets.append(f"{r['provision_name']} ({r['locator']}; {mech}){serves}.{package}")
    lead = (
        f"{len(rows)} of {total} provisions created value: alone or as a package, each uses an integrative mechanism "
        f"and serves, in substance, interests of two or more principals. {classes.count('distributive')} were "
        f"distributive (compromise or concession), {classes.count('deferred')} deferred an issue and "
        f"{classes.count('other')} were one-sided or nominal."
        if rows
        else f"None of the {total} provisions recorded created value (an integrative mechanism serving two or more "
        "principals in substance)."
        if total
        else "No provisions are recorded in this selection."
    )
    return Section("Value-creating provisions", lead, bullets)


def _package_names(g: nx.MultiDiGraph, package: str, provision: str) -> list[str]:
    unit = analysis._unit(g, f"Provision:{package}")
    return [f"“{g.nodes[u]['name']}”" for u in unit if g.nodes[u]["id"] != provision]


def _unmet(g: nx.MultiDiGraph, case: str) -> Section:
    rows = analysis.unmet_interests(g, case)
    bullets = []
    for r in rows:
        sal = f", salience {r['salience']}/5" if r.get("salience") is not None else ""
        how = "mentioned on paper only" if r["best_strength"] == "nominal" else "served by no provision"
        who = _by_id(g, "Party", r["party"]) + (" (affected, not at the table)" if r["role"] == "affected" else "")
        bullets.append(f"{who}: {r['interest_name']} ({_label(model.INTEREST_CATEGORIES, r['category'])}{sal}; {how}).")
    lead = (
        f"{len(rows)} interest{'s' if len(rows) != 1 else ''} of principals and affected parties "
        f"{'were' if len(rows) != 1 else 'was'} served by no provision at strength partial or full."
        if rows
        else "Every recorded interest of a principal or affected party is served in substance by at least one provision."
        if _of(g, "Interest", case)
        else "No interests are recorded in this selection."
    )
    return Section("Unmet interests", lead, bullets)


def _money(r: dict[str, Any]) -> str:
    if r["amount"] is None:
        return "amount not recorded"
    amount = f"{r['amount']:,.0f}" if float(r["amount"]).is_integer() else f"{r['amount']:,}"
    return f"{r['currency']} {amount}" + (f" ({r['year']})" if r["year"] else "")


def _contributions(g: nx.MultiDiGraph, case: str) -> Section:
    rows = analysis.contributions(g, case)
    bullets = [
        f"{_by_id(g, 'Party', r['funder'])} ({r['funder_role'] or 'not a participant'}) paid for "
        f"{r['provision_name']} ({r['locator']}): {_money(r)}."
        for r in rows
    ]
    lead = (f"{len(rows)} contribution{'s' if len(rows) != 1 else ''} paid for or underwrote provisions."
            if rows else "No party is recorded as paying for a provision.")
    return Section("Contributions", lead, bullets)


def _deferred(g: nx.MultiDiGraph, case: str) -> Section:
    rows = analysis.deferred_issues(g, case)
    bullets = [
        f"{_by_id(g, 'Issue', r['issue']) if r['issue'] else 'An unnamed issue'}: deferred by {r['provision_name']} "
        f"({r['locator']}) to {r['deferred_to'] or 'a later process (not recorded)'}"
        + (f"; taken up in {join_names([_by_id(g, 'Negotiation', n) for n in r['followed_by']])}" if r["followed_by"] else "")
        + "."
        for r in rows
    ]
    lead = (f"{len(rows)} issue{'s were' if len(rows) != 1 else ' was'} deferred." if rows
            else "No provision deferred an issue.")
    return Section("Deferred issues", lead, bullets)


def _names(g: nx.MultiDiGraph, type_: str, ids: list[str]) -> str:
    return "; ".join(_by_id(g, type_, i) for i in ids)


_KIND_TEXT = {
    "unmet": "for the unmet interest",
    "bridging": "a bridge for the positions on",
    "logrolling": "a trade between",
}


def _potential_part(ctx: Ctx) -> list[Block]:
    """Suggestions from other cases (kg.integrative.potential), cited; the corpus graph is needed for them."""
    from kg.integrative import potential

    corpus = ctx.corpus if ctx.corpus is not None else ctx.g
    blocks: list[Block] = []
    for n in ctx.negs:
        case = ctx.g.nodes[n]["id"]
        rows = potential(case, graph=corpus, limit=12).rows
        lead = (f"The {len(rows)} best-ranked suggestions drawn from other negotiations of the corpus "
                "(docs/precedents.md): each is a real provision, with how it matched and its sources."
                if rows else "No precedent elsewhere in the corpus matches this negotiation's configuration.")
        bullets = []
        for r in rows:
            target = (_by_id(corpus, "Interest", r["target"]) if r["kind"] == "unmet" else
                      _by_id(corpus, "Issue", r["target"]) if r["kind"] == "bridging" else r["target"])
            bullets.append(f"{_KIND_TEXT[r['kind']].capitalize()} “{target}”: {r['provision_name']} "
                           f"({_by_id(corpus, 'Negotiation', r['negotiation'])}, {r['locator']}); {r['why']}.")
        sec = Section("", lead, bullets)
        sec.title, sec.level = (_name(ctx.g, n), 3) if ctx.multi else ("", 3)
        blocks.append(Block("text", section=sec))
        table = Table("Suggestions from other negotiations", "precedents",
                      ["Kind", "Target", "Precedent", "Negotiation", "Mechanisms", "Why", "Evidence"],
                      [[r["kind"], r["target"], f"{r['provision_name']} ({r['locator']})",
                        _by_id(corpus, "Negotiation", r["negotiation"]), "; ".join(r["mechanisms"]), r["why"],
                        [x.replace(" @ ", ": ", 1) for x in r["sources"]]] for r in rows])
        blocks.append(Block("table", table=table))
    return blocks or [Block("note", text="The selection contains no negotiation.")]


@dataclass
class Ctx:
    """What the section functions read: the graph, its negotiations, the case and the selection."""

    g: nx.MultiDiGraph
    negs: list[str]  # Negotiation keys
    case: str | None
    criteria: dict[str, Any]
    corpus: nx.MultiDiGraph | None = None  # the whole graph, where other cases' precedents come from

    @property
    def multi(self) -> bool:
        return len(self.negs) > 1

    def neg(self, r: dict[str, Any]) -> list[str]:
        """The Negotiation cell of a row, in a report of several negotiations."""
        return [_by_id(self.g, "Negotiation", r["negotiation"])] if self.multi else []

    @property
    def ncol(self) -> list[str]:
        return ["Negotiation"] if self.multi else []


def _per_negotiation(ctx: Ctx, make: Callable[[nx.MultiDiGraph, str], Section]) -> list[Block]:
    """One summary block per negotiation (under its name when there are several)."""
    out = []
    for n in ctx.negs:
        sec = make(ctx.g, ctx.g.nodes[n]["id"])
        sec.title, sec.level = (_name(ctx.g, n), 3) if ctx.multi else ("", 3)  # one negotiation: the part's heading says it
        out.append(Block("text", section=sec))
    return out or [Block("note", text="The selection contains no negotiation.")]


def _summary_part(ctx: Ctx) -> list[Block]:
    blocks = []
    for n in ctx.negs:
        sec = _overview(ctx.g, n)
        sec.title, sec.level = (_name(ctx.g, n), 3) if ctx.multi else ("Overview", 3)
        blocks.append(Block("text", section=sec))
    rows = [[*([_name(ctx.g, n)] if ctx.multi else []), _name(ctx.g, p), ctx.g.nodes[p]["id"],
             _label(model.PARTY_KINDS, ctx.g.nodes[p].get("kind", "")), _label(model.ROLES, role)]
            for n in ctx.negs for p, role in _roles(ctx.g, n)]
    blocks.append(Block("table", table=Table("Parties and roles", "", [*ctx.ncol, "Party", "Id", "Kind", "Role"], rows,
                                             note="From the PARTICIPATED_IN relationships.")))
    return blocks if ctx.negs else [Block("note", text="The selection contains no negotiation."), *blocks]


def _family(g: nx.MultiDiGraph, mechanism: str) -> str:
    """A mechanism's family: its ``family`` attribute when the graph has one, else from kg.model."""
    d = g.nodes.get(f"Mechanism:{mechanism}", {})
    if d.get("family"):
        return str(d["family"])
    if mechanism == "deferral":
        return "deferral"
    concept = model.MECHANISMS.get(mechanism)
    return "integrative" if concept is not None and concept.integrative else "distributive"


def _share(k: int, n: int) -> str:
    return f"{k} ({round(100 * k / n)}%)" if n else "0"


def _comparison_part(ctx: Ctx) -> list[Block]:
    """The negotiations side by side: how much each created, split and deferred, its mechanisms, what it left unmet."""
    g, rows, mech_counts = ctx.g, [], {}
    for n in ctx.negs:
        cid = g.nodes[n]["id"]
        provisions = _of(g, "Provision", cid)
        families = {p: {_family(g, g.nodes[m]["id"]) for _, m, k in g.out_edges(p, keys=True) if k == "USES_MECHANISM"}
                    for p in provisions}
        interests = _of(g, "Interest", cid)
        unmet = {r["interest"] for r in analysis.unmet_interests(g, cid)}
        vc = len(analysis.value_creating_provisions(g, cid))
        rows.append([_name(g, n), str(len(_roles(g, n))), str(len(interests)),
                     str(len(analysis.shared_interests(g, cid))), _share(len(unmet), len(interests)), str(len(provisions)),
                     _share(vc, len(provisions)),
                     *(_share(sum(1 for f in families.values() if fam in f), len(provisions))
                       for fam in ("integrative", "distributive", "deferral"))])
        for r in analysis.mechanism_mix(g, cid):
            mech_counts.setdefault(r["mechanism"], {})[n] = r["provisions"]
    cols = ["Negotiation", "Parties", "Interests", "Shared", "Unmet", "Provisions", "Value-creating", "Integrative",
            "Distributive", "Deferral"]
    lead = Section("", f"{len(ctx.negs)} negotiations compared: interests (shared by two or more parties, "
                   "served by no provision) and provisions (creating value for two or more parties; using an integrative, "
                   "a distributive or a deferring mechanism — a provision may use several).", level=3)
    order = [m for m in model.MECHANISMS if m in mech_counts]
    mix = [[_name(g, n), *(str(mech_counts[m].get(n, 0)) for m in order)] for n in ctx.negs]
    return [Block("text", section=lead),
            Block("table", table=Table("Negotiations compared", "", cols, rows,
                                       note="Shares are of the negotiation's interests or provisions.")),
            Block("table", table=Table("Mechanism mix", "mechanism-mix",
                                       ["Negotiation", *(_label(model.MECHANISMS, m) for m in order)], mix,
                                       note="Provisions using each mechanism."))]


def _figure_part(ctx: Ctx) -> list[Block]:
    from kg.report import figure
    from kg.select import induced

    caption = ("Parties, their positions and interests, and the provisions that serve them. Green provisions create "
               "value (they serve interests of two or more parties); interests with a thick gold border are shared. "
               "Sources, issues and categories are in the tables.")
    if not ctx.multi:
        return [Block("figure", svgs=figure.render_bands(ctx.g), full=figure.render_svg(ctx.g), caption=caption)]
    out = []
    for n in ctx.negs:
        cid = ctx.g.nodes[n]["id"]
        own = {m for m, d in ctx.g.nodes(data=True) if d.get("negotiation") == cid}
        near = {x for m in own for x in (*ctx.g.predecessors(m), *ctx.g.successors(m)) if ctx.g.nodes[x]["type"] == "Party"}
        sub = induced(ctx.g, own | near)
        out.append(Block("figure", svgs=figure.render_bands(sub), full=figure.render_svg(sub),
                         caption=f"{_name(ctx.g, n)}. {caption}"))
    return out


def _positions_part(ctx: Ctx) -> list[Block]:
    rows = [[*ctx.neg(r), _by_id(ctx.g, "Party", r["party"]), r["statement"], _by_id(ctx.g, "Issue", r["issue"]),
             [_by_id(ctx.g, "Interest", i) for i in r["interests"]]] for r in analysis.positions_and_interests(ctx.g, ctx.case)]
    table = Table("Positions and the interests behind them", "positions-and-interests",
                  [*ctx.ncol, "Party", "Position", "Issue", "Interests"], rows)
    return [*_per_negotiation(ctx, _positions), Block("table", table=table)]


def _shared_part(ctx: Ctx) -> list[Block]:
    rows = [[*ctx.neg(r), r["interest_name"], _label(model.INTEREST_CATEGORIES, r["category"]),
             _names(ctx.g, "Party", r["parties"])] for r in analysis.shared_interests(ctx.g, ctx.case)]
    table = Table("Shared interests", "shared-interests", [*ctx.ncol, "Interest", "Category", "Held by"], rows)
    return [*_per_negotiation(ctx, _shared), Block("table", table=table)]


def _value_part(ctx: Ctx) -> list[Block]:
    g = ctx.g
    vc = Table("Value-creating provisions", "value-creating-provisions",
               [*ctx.ncol, "Provision", "Locator", "Mechanisms", "Interests served", "Principals served", "Strength",
                "Package serves"],
               [[*ctx.neg(r), r["provision_name"], r["locator"], "; ".join(_label(model.MECHANISMS, m) for m in r["mechanisms"]),
                 [_by_id(g, "Interest", i) for i in r["interests"]], _names(g, "Party", r["parties"]), r["strength"] or "",
                 _names(g, "Party", r["package_parties"]) if r["package"] else ""]
                for r in analysis.value_creating_provisions(g, ctx.case)])
    links = Table("Interests served by value-creating provisions, with evidence", HEADLINE,
                  [*ctx.ncol, "Interest", "Held by", "Shared", "Provision", "Mechanisms", "Strength", "Evidence"],
                  [[*ctx.neg(r), r["interest_name"], _names(g, "Party", r["parties"]), "yes" if r["shared"] else "no",
                    f"{r['provision_name']} ({r['locator']})", "; ".join(_label(model.MECHANISMS, m) for m in r["mechanisms"]),
                    r["strength"], [x.replace(" @ ", ": ", 1) for x in r["sources"]]]
                   for r in analysis.interest_provision_links(g, ctx.case)],
                  note="Evidence: source id: locator; see the bibliography.")
    mix = Table("Mechanisms", "mechanism-mix", [*ctx.ncol, "Mechanism", "Family", "Provisions", "Value-creating"],
                [[*ctx.neg(r), _label(model.MECHANISMS, r["mechanism"]), r["family"],
                  str(r["provisions"]), str(r["value_creating"])] for r in analysis.mechanism_mix(g, ctx.case)])
    return [*_per_negotiation(ctx, _value), Block("table", table=vc), Block("table", table=links), Block("table", table=mix)]


def _unmet_part(ctx: Ctx) -> list[Block]:
    rows = [[*ctx.neg(r), _by_id(ctx.g, "Party", r["party"]), _label(model.ROLES, r["role"]), r["interest_name"],
             _label(model.INTEREST_CATEGORIES, r["category"]), "" if r["salience"] is None else f"{r['salience']}/5",
             r["best_strength"]]
            for r in analysis.unmet_interests(ctx.g, ctx.case)]
    table = Table("Unmet interests", "unmet-interests",
                  [*ctx.ncol, "Party", "Role", "Interest", "Category", "Salience", "Best strength"], rows)
    return [*_per_negotiation(ctx, _unmet), Block("table", table=table)]


def _contributions_part(ctx: Ctx) -> list[Block]:
    g = ctx.g
    rows = [[*ctx.neg(r), _by_id(g, "Party", r["funder"]), _label(model.ROLES, r["funder_role"]) if r["funder_role"] else "",
             f"{r['provision_name']} ({r['locator']})", _money(r), [_by_id(g, "Interest", i) for i in r["interests"]],
             [x.replace(" @ ", ": ", 1) for x in r["sources"]]] for r in analysis.contributions(g, ctx.case)]
    table = Table("Contributions", "contributions",
                  [*ctx.ncol, "Funder", "Role", "Provision", "Amount", "Interests served", "Evidence"], rows)
    return [*_per_negotiation(ctx, _contributions), Block("table", table=table)]


def _deferred_part(ctx: Ctx) -> list[Block]:
    g = ctx.g
    rows = [[*ctx.neg(r), _by_id(g, "Issue", r["issue"]) if r["issue"] else "", f"{r['provision_name']} ({r['locator']})",
             r["deferred_to"] or "", _names(g, "Negotiation", r["followed_by"])] for r in analysis.deferred_issues(g, ctx.case)]
    table = Table("Deferred issues", "deferred-issues",
                  [*ctx.ncol, "Issue", "Deferred by", "Deferred to", "Taken up in"], rows)
    return [*_per_negotiation(ctx, _deferred), Block("table", table=table)]


def _cell(g: nx.MultiDiGraph, names: dict[str, str], v: Any) -> str | list[str]:
    """A query's value for a table: node ids as names, lists item by item, citations as 'source: locator'."""
    if isinstance(v, list):
        return [str(_cell(g, names, x)) for x in v]
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    text = str(v)
    return names.get(text, text.replace(" @ ", ": ", 1) if " @ " in text else text)


def library_section(question: str, title: str) -> Callable[[Ctx], list[Block]]:
    """A section showing one library question's answer for the selection as a table, ids shown as names:
    how questions added to the library later (contributions, deferred-issues, ...) get their section."""

    def part(ctx: Ctx) -> list[Block]:
        from kg import api

        spec = LIBRARY[question]
        params = {"case": ctx.case} if ctx.case and "case" in {p.name for p in spec.params} else {}
        res = api.query(question, graph=ctx.g, params=params)
        names = {d["id"]: str(d.get("name") or d["id"]) for _, d in ctx.g.nodes(data=True)}
        rows = [[_cell(ctx.g, names, r[c]) for c in res.columns] for r in res.rows]
        cols = [c.replace("_", " ").capitalize() for c in res.columns]
        lead = Section(title, f"{spec.description} {len(rows)} row{'s' if len(rows) != 1 else ''}.", level=3)
        return [Block("text", section=lead), Block("table", table=Table(title, question, cols, rows))]

    return part


def _queries_part(ctx: Ctx) -> list[Block]:
    return [Block("queries", queries=_query_texts(ctx.criteria.get("query") or HEADLINE))]


def _bibliography_part(ctx: Ctx) -> list[Block]:
    return [Block("bibliography", bibliography=_bibliography(ctx.g))]


@dataclass(frozen=True)
class SectionSpec:
    """A part of the report: its key (``--sections``), title and the function that writes it. A part that
    ``needs`` a library question is left out (with a note when it was asked for) while the question is absent."""

    key: str
    title: str
    build: Callable[[Ctx], list[Block]]
    needs: str | None = None
    multi_only: bool = False  # only in reports of several negotiations


#: every part a report can have, in order; ``--sections`` picks among these keys
SECTIONS: dict[str, SectionSpec] = {
    s.key: s
    for s in (
        SectionSpec("summary", "Summary", _summary_part),
        SectionSpec("comparison", "Negotiations compared", _comparison_part, "mechanism-mix", multi_only=True),
        SectionSpec("figure", "Figure", _figure_part),
        SectionSpec("positions", "Positions and interests", _positions_part, "positions-and-interests"),
        SectionSpec("shared", "Shared interests", _shared_part, "shared-interests"),
        SectionSpec("value-creating", "Value-creating provisions", _value_part, "value-creating-provisions"),
        SectionSpec("unmet", "Unmet interests", _unmet_part, "unmet-interests"),
        SectionSpec("contributions", "Contributions", _contributions_part, "contributions"),
        SectionSpec("deferred", "Deferred issues", _deferred_part, "deferred-issues"),
        SectionSpec("potential", "Integrative potential", _potential_part, "precedents"),
        SectionSpec("queries", "The query", _queries_part),
        SectionSpec("bibliography", "Bibliography", _bibliography_part),
    )
}


def parse_sections(value: str | list[str] | tuple[str, ...] | None) -> list[str] | None:
    """``"summary,shared"`` (or a list) -> the section keys, checked; None for all.

    >>> parse_sections("summary, bibliography")
    ['summary', 'bibliography']
    >>> parse_sections("summry")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: unknown report section 'summry' (known: summary, comparison, figure, positions, ...)
    """
    from kg.errors import UsageError

    if value is None:
        return None
    items = [x.strip() for v in ([value] if isinstance(value, str) else value) for x in v.split(",") if x.strip()]
    for x in items:
        if x not in SECTIONS:
            raise UsageError(f"unknown report section {x!r} (known: {', '.join(SECTIONS)})")
    return items


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
    g: nx.MultiDiGraph,
    *,
    case: str | None = None,
    criteria: dict[str, Any] | None = None,
    title: str | None = None,
    sections: list[str] | None = None,
    corpus: nx.MultiDiGraph | None = None,
) -> Report:
    """The report of a (sub)graph: the parts of :data:`SECTIONS` (all, or those in ``sections``, in the
    registry's order), each built by its function."""
    from kg import __version__
    from kg.select import describe

    criteria = dict(criteria or {})
    case = case or criteria.get("case")
    negs = _of(g, "Negotiation", case)
    ctx = Ctx(g, negs, case, criteria, corpus)
    if title is None:
        title = f"{_subject(g, negs, criteria)}: interests and value creation"
    subtitle = (
        "How the parties' interests, shared and unmet, met the provisions of the agreement."
        if len(negs) == 1
        else f"{len(negs)} negotiations in this selection."
    )
    wanted = sections if sections is not None else list(SECTIONS)
    parts, notes = [], []
    for key, spec in SECTIONS.items():
        if key not in wanted or (spec.multi_only and not ctx.multi):
            continue
        if spec.needs and spec.needs not in LIBRARY:
            if sections is not None:
                notes.append(f"{spec.title}: left out, because the library question {spec.needs!r} is not in this version.")
            continue
        parts.append(Part(key, spec.title, spec.build(ctx)))
    qname = criteria.get("query") or HEADLINE
    qspec = LIBRARY[qname]
    params = dict(criteria.get("params") or {})
    if case and "case" in {p.name for p in qspec.params}:
        params.setdefault("case", case)
    qparams = ", ".join(f"{k} = {v!r}" for k, v in sorted(params.items()) if v is not None) or "none"
    nodes, edges = g.number_of_nodes(), g.number_of_edges()
    tables = [b.table for p in parts for b in p.blocks if b.table is not None]
    return Report(
        title=title,
        subtitle=subtitle,
        selection=describe(**criteria) if criteria else (f"case={case}" if case else "whole graph"),
        counts=f"{nodes} node{'s' if nodes != 1 else ''}, {edges} relationship{'s' if edges != 1 else ''}",
        parts=parts,
        query_name=qname,
        query_description=qspec.description,
        query_params=qparams,
        table_queries=sorted({t.query for t in tables if t.query}),
        notes=notes,
        generator=f"negotiation-kg {__version__}",
    )
