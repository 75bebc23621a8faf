"""From the canonical graph to the data a page draws: nodes, edges, tooltips, filter tags, emphasis, layout.

Everything here is plain data (strings, numbers, lists); the page turns it into text nodes,
never markup. Emphasis (``hl``) marks the headline and the paths to it: 2 for shared interests,
value-creating provisions (:func:`kg.analysis.is_value_creating`) and the interests they serve,
and for the SERVES links of those provisions; 1 for the parties holding those interests, the
positions reflecting them, the agreements containing those provisions, and the links between.

Each node and edge also gets its vis-network look (``style``, a key of ``meta.styles``: label box,
colours, font; shared with :func:`kg.network`) and its slot in the layered view (``col``, ``lane``, ``rank``; see
:mod:`kg.viz.layout`). On pages spanning several negotiations a negotiation's own nodes form a
group (``group``) that its Negotiation node (``handle``) opens and closes.

>>> from kg.viz.synthetic import synthetic_graph
>>> p = payload(synthetic_graph(200, seed=1), title="demo")
>>> p["meta"]["counts"]["nodes"], p["meta"]["physics"], sorted(p["nodes"][0])[:4]
(200, True, ['col', 'group', 'hl', 'id'])
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg import model
from kg.viz.layout import LANE_COLUMNS as _COLUMNS
from kg.viz.style import (
    CATEGORY_FILL,
    EDGE_COLOR,
    FAMILY_FILL,
    FONT_PX,
    HEADLINE_COLOR,
    MIN_LABEL_PX,
    NODE_STYLE,
    NodeStyle,
    category_fill,
    family_fill,
    legend,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["payload", "headline", "tags", "badge", "fill", "family", "query_nodes", "overview_nodes", "vis_node", "vis_edge",
           "default_hidden", "PHYSICS_MAX_NODES", "STORY", "CONTEXT"]

#: above this many nodes the force view uses a precomputed layout and no physics
PHYSICS_MAX_NODES = 1000
#: above this many nodes physics starts from the precomputed layout rather than at random
SEED_MIN_NODES = 300
#: the node types of the layered story, left to right
STORY = ("Party", "Position", "Interest", "Provision", "Agreement")
#: context shown as colour, badges and tooltips; drawn as nodes only when the reader turns them on
CONTEXT = ("Issue", "Mechanism", "InterestCategory", "Source")
_OTHER = NodeStyle("#999999", "box", "#eeeeee", 180, "Other")


def iterations(n: int) -> int:
    """Stabilisation iterations for ``n`` nodes: fewer for larger graphs, whose cost per iteration grows.

    >>> iterations(50), iterations(400), iterations(1000)
    (400, 150, 100)
    """
    return 400 if n <= 150 else 150 if n <= 500 else 100
CORE = ("Interest", "Position", "Provision")
_KEY_TYPES = {"negotiation": "Negotiation", "interest": "Interest", "interests": "Interest", "provision": "Provision",
              "traded_for": "Provision", "party": "Party", "parties": "Party", "position": "Position",
              "issue": "Issue", "agreement": "Agreement", "mechanism": "Mechanism", "mechanisms": "Mechanism",
              "category": "InterestCategory", "source": "Source", "sources": "Source"}


def _out(g: nx.MultiDiGraph, n: str, rel: str) -> list[str]:
    return sorted(v for _, v, k in g.out_edges(n, keys=True) if k == rel)


def _in(g: nx.MultiDiGraph, n: str, rel: str) -> list[str]:
    return sorted(u for u, _, k in g.in_edges(n, keys=True) if k == rel)


_HEADLINE: weakref.WeakKeyDictionary[Any, tuple[tuple[int, int], Any]] = weakref.WeakKeyDictionary()


def headline(g: nx.MultiDiGraph) -> tuple[dict[str, int], dict[tuple[str, str, str], int]]:
    """Emphasis levels of nodes and edges (see the module docstring); absent means 0. Cached per graph object."""
    sig = (g.number_of_nodes(), g.number_of_edges())
    hit = _HEADLINE.get(g)
    if hit is not None and hit[0] == sig:
        return hit[1]
    from kg.analysis import holders, is_value_creating

    nodes: dict[str, int] = {}
    edges: dict[tuple[str, str, str], int] = {}
    for n, t in g.nodes(data="type"):
        if t == "Interest" and len(holders(g, n)) >= 2:
            nodes[n] = 2
    for n, t in g.nodes(data="type"):
        if t == "Provision" and is_value_creating(g, n):
            nodes[n] = 2
            for i in _out(g, n, "SERVES"):
                nodes[i] = 2
                edges[(n, i, "SERVES")] = 2
            for a in _in(g, n, "CONTAINS"):
                nodes.setdefault(a, 1)
                edges[(a, n, "CONTAINS")] = 1
    for i in [n for n, v in nodes.items() if v == 2 and g.nodes[n]["type"] == "Interest"]:
        for h in _in(g, i, "HAS_INTEREST"):
            nodes.setdefault(h, 1)
            edges[(h, i, "HAS_INTEREST")] = 1
        for pos in _in(g, i, "REFLECTS"):
            nodes.setdefault(pos, 1)
            edges[(pos, i, "REFLECTS")] = 1
            for h in _in(g, pos, "HOLDS"):
                nodes.setdefault(h, 1)
                edges[(h, pos, "HOLDS")] = 1
    _HEADLINE[g] = (sig, (nodes, edges))
    return nodes, edges


def tags(g: nx.MultiDiGraph, n: str) -> tuple[list[str], list[str]]:
    """The party ids and mechanism ids a node relates to: what the party and mechanism filters match.

    A party: itself; an interest: its holders; a position: its party; a provision: the holders of the
    interests it serves and its funders; a negotiation: its participants; any other node: the union
    over its neighbouring interests, positions and provisions. Mechanisms: a provision's own; a
    mechanism itself; an interest: those of the provisions serving it; a party: those of provisions
    serving its interests or funded by it; a negotiation: those of its provisions; others: those of
    neighbouring provisions.
    """
    d = g.nodes[n]
    t = d["type"]

    def pid(keys: Iterable[str]) -> set[str]:
        return {g.nodes[k]["id"] for k in keys}

    def mech(prov: Iterable[str]) -> set[str]:
        return {g.nodes[m]["id"] for p in prov for m in _out(g, p, "USES_MECHANISM")}

    def parties_of(x: str) -> set[str]:
        tx = g.nodes[x]["type"]
        if tx == "Interest":
            return pid(_in(g, x, "HAS_INTEREST"))
        if tx == "Position":
            return pid(_in(g, x, "HOLDS"))
        return pid(h for i in _out(g, x, "SERVES") for h in _in(g, i, "HAS_INTEREST")) | pid(_in(g, x, "FUNDS"))

    neighbours = set(g.successors(n)) | set(g.predecessors(n))
    if t == "Party":
        parties = {d["id"]}
        provs = {p for i in _out(g, n, "HAS_INTEREST") for p in _in(g, i, "SERVES")} | set(_out(g, n, "FUNDS"))
        mechs = mech(provs)
    elif t in CORE:
        parties = parties_of(n)
        mechs = mech([n] if t == "Provision" else _in(g, n, "SERVES"))
    elif t == "Negotiation":
        parties = pid(_in(g, n, "PARTICIPATED_IN"))
        mechs = mech(p for a in _out(g, n, "PRODUCED") for p in _out(g, a, "CONTAINS"))
    else:
        parties = {p for x in neighbours if g.nodes[x]["type"] in CORE for p in parties_of(x)}
        mechs = {d["id"]} if t == "Mechanism" else mech(x for x in neighbours if g.nodes[x]["type"] == "Provision")
    return sorted(parties), sorted(mechs)


def _source_line(g: nx.MultiDiGraph, sid: str, locators: Iterable[str]) -> str:
    s = g.nodes.get(f"Source:{sid}", {})
    title = s.get("name", sid) + (f" ({s['year']})" if s.get("year") else "")
    return f"{title} — {'; '.join(locators)}"


def _names(g: nx.MultiDiGraph, keys: Iterable[str]) -> str:
    return ", ".join(str(g.nodes[k].get("name", g.nodes[k]["id"])) for k in keys)


def _node_tip(g: nx.MultiDiGraph, n: str, hl: int) -> list[list[str]]:
    d, t = g.nodes[n], g.nodes[n]["type"]
    rows: list[tuple[str, Any]] = [("type", t), ("id", d["id"]), ("description", d.get("description"))]
    if t == "Negotiation":
        rows += [("domain", d.get("domain")), ("dates", f"{d.get('start_date', '?')} – {d.get('end_date', '?')}"),
                 ("venue", d.get("venue")), ("parties", _names(g, _in(g, n, "PARTICIPATED_IN")))]
    elif t == "Party":
        rows += [("kind", d.get("kind")), ("wikidata", d.get("wikidata")),
                 ("negotiations", _names(g, _out(g, n, "PARTICIPATED_IN")))]
    elif t == "Interest":
        held = [f"{g.nodes[h].get('name', h)}" + (f" (salience {s})" if (s := g.edges[h, n, "HAS_INTEREST"].get("salience"))
                                                   else "") for h in _in(g, n, "HAS_INTEREST")]
        rows += [("category", d.get("category")), ("held by", ", ".join(held)),
                 ("served by", _names(g, _in(g, n, "SERVES")))]
    elif t == "Position":
        rows += [("party", _names(g, _in(g, n, "HOLDS"))), ("issue", _names(g, _out(g, n, "ON_ISSUE")))]
    elif t == "Provision":
        rows += [("locator", d.get("locator")), ("agreement", _names(g, _in(g, n, "CONTAINS"))),
                 ("mechanisms", _names(g, _out(g, n, "USES_MECHANISM"))), ("serves", _names(g, _out(g, n, "SERVES")))]
    elif t == "Agreement":
        rows += [("signed", d.get("date_signed")), ("in force", d.get("date_in_force"))]
    elif t == "Source":
        rows += [("kind", d.get("kind")), ("authors", ", ".join(d.get("authors", []))), ("year", d.get("year")),
                 ("publisher", d.get("publisher")), ("citation", d.get("citation")), ("url", d.get("url"))]
    elif t == "Mechanism":
        rows += [("family", family(g, n))]
    if hl == 2 and t in ("Provision", "Interest"):
        rows.append(("headline", "value-creating provision" if t == "Provision" else "shared interest or served by a "
                     "value-creating provision"))
    rows.append(("uncertain", d.get("uncertain")))
    for _, s, k, e in sorted(g.out_edges(n, keys=True, data=True)):
        if k == "CITES":
            rows.append(("source", _source_line(g, g.nodes[s]["id"], e.get("locators", []))))
    return [[k, str(v)] for k, v in rows if v not in (None, "", [])]


def _edge_tip(g: nx.MultiDiGraph, u: str, v: str, rel: str, e: dict[str, Any]) -> list[list[str]]:
    rows: list[tuple[str, Any]] = [("relation", rel), ("from", g.nodes[u].get("name", u)), ("to", g.nodes[v].get("name", v)),
                                   ("role", e.get("role")), ("salience", e.get("salience"))]
    by: dict[str, list[str]] = {}
    for s, loc in zip(e.get("source_ids", []), e.get("locators", []), strict=False):
        by.setdefault(s, []).append(loc)
    rows += [("source", _source_line(g, s, locs)) for s, locs in by.items()]
    if rel == "CITES":
        rows.append(("locators", "; ".join(e.get("locators", []))))
    rows.append(("uncertain", e.get("uncertain")))
    return [[k, str(x)] for k, x in rows if x not in (None, "", [])]


def query_nodes(g: nx.MultiDiGraph, rows: list[dict[str, Any]]) -> set[str]:
    """The node keys a result's rows name: each id column maps to its node type; evidence rows name any node.

    ``sources`` cells read ``"source-id @ locator"``.
    """
    by_id: dict[str, list[str]] | None = None
    out: set[str] = set()
    for r in rows:
        for col, val in r.items():
            vals = val if isinstance(val, list) else [val]
            for x in vals:
                if not isinstance(x, str) or not x:
                    continue
                if col in _KEY_TYPES:
                    k = f"{_KEY_TYPES[col]}:{x.split(' @ ')[0] if col == 'sources' else x}"
                    if k in g:
                        out.add(k)
                elif col in ("subject", "object", "id"):
                    if by_id is None:
                        by_id = {}
                        for n, i in g.nodes(data="id"):
                            by_id.setdefault(i, []).append(n)
                    out.update(k for k in by_id.get(x, []) if g.nodes[k]["type"] not in ("Source", "Mechanism",
                                                                                        "InterestCategory"))
    return out


def overview_nodes(g: nx.MultiDiGraph) -> set[str]:
    """Negotiations and the parties that took part in them."""
    negs = {n for n, t in g.nodes(data="type") if t == "Negotiation"}
    return negs | {u for n in negs for u in _in(g, n, "PARTICIPATED_IN")}


def family(g: nx.MultiDiGraph, mechanism: str) -> str:
    """A mechanism's family (integrative, distributive or deferral): its ``family`` attribute when the graph
    has one, else from the vocabulary's integrative flag."""
    d = g.nodes[mechanism]
    if d.get("family"):
        return str(d["family"])
    concept = model.MECHANISMS.get(d["id"])
    if d.get("integrative") or (concept is not None and concept.integrative):
        return "integrative"
    return "deferral" if d["id"] == "deferral" else "distributive"


def _concept_label(vocab: dict[str, model.Concept], key: str | None) -> str:
    return vocab[key].label if key in vocab else str(key or "")


def _sources(g: nx.MultiDiGraph, n: str) -> set[str]:
    """The sources a node's claims cite: its CITES targets and the sources of the relations at it."""
    out = {g.nodes[v]["id"] for _, v, k in g.out_edges(n, keys=True) if k == "CITES"}
    for *_, e in (*g.in_edges(n, data=True), *g.out_edges(n, data=True)):
        out.update(e.get("source_ids", ()))
    return out


def badge(g: nx.MultiDiGraph, n: str) -> str:
    """The line under a node's name: its interest category or mechanisms, and how many sources back it.

    >>> from kg import api
    >>> g = api.graph(api.load(data_dir="tests/fixtures/mini"))
    >>> badge(g, "Provision:river-1990/dam-and-canals"), badge(g, "Interest:river-1990/stability")
    ('Bridging · 2 sources', 'Security · 2 sources')
    """
    d = g.nodes[n]
    bits = []
    if d["type"] == "Interest" and d.get("category"):
        bits.append(_concept_label(model.INTEREST_CATEGORIES, d["category"]))
    elif d["type"] == "Provision":
        bits += [str(g.nodes[m].get("name", g.nodes[m]["id"])) for m in _out(g, n, "USES_MECHANISM")]
    if d["type"] in STORY[1:] or d["type"] == "Issue":
        k = len(_sources(g, n))
        if k:
            bits.append(f"{k} source{'s' if k != 1 else ''}")
    return " · ".join(bits)


def fill(g: nx.MultiDiGraph, n: str) -> str:
    """The fill of a node's label box: interests by category, provisions and mechanisms by mechanism family."""
    d = g.nodes[n]
    if d["type"] in ("Interest", "InterestCategory"):
        return category_fill(d.get("category") if d["type"] == "Interest" else d["id"])
    if d["type"] == "Mechanism":
        return family_fill(family(g, n))
    if d["type"] == "Provision":
        fams = {family(g, m) for m in _out(g, n, "USES_MECHANISM")}
        return family_fill(next((f for f in FAMILY_FILL if f in fams), None))
    return NODE_STYLE.get(d["type"], _OTHER).fill


def vis_node(type_: str, fill_: str, hl: int) -> dict[str, Any]:
    """A node's vis-network options but its label: a label box of the type's width (long labels wrap), coloured
    by type, with a gold border on the headline (thick) and on the paths to it."""
    s = NODE_STYLE.get(type_, _OTHER)
    border = HEADLINE_COLOR if hl else s.color
    return {
        "shape": s.shape, "margin": 8, "borderWidth": 5 if hl == 2 else 3 if hl else 1.5,
        "borderWidthSelected": 6,
        "color": {"background": fill_, "border": border, "highlight": {"background": fill_, "border": "#000000"},
                  "hover": {"background": fill_, "border": "#000000"}},
        "font": {"size": FONT_PX, "face": "arial", "color": "#1a1a1a"},
        "widthConstraint": {"minimum": s.width, "maximum": s.width},
    }


def vis_edge(rel: str, hl: int, role: str | None = None) -> dict[str, Any]:
    """An edge's vis-network options: coloured by relation, gold and thick on the headline paths; dashed for
    citations and for the roles other than principal. The relation and role show on hover, not as labels."""
    colour = HEADLINE_COLOR if hl else EDGE_COLOR.get(rel, "#999999")
    return {
        "width": 5 if hl == 2 else 2 if hl else 1, "dashes": rel == "CITES" or (role not in (None, "principal")),
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"color": colour, "highlight": "#000000", "hover": "#000000",
                  "opacity": 1.0 if hl == 2 else 0.75 if hl else 0.5},
    }


def default_hidden(types: Iterable[str], kind: str, n_lanes: int) -> list[str]:
    """The node types a page hides until the reader ticks them: the context types (and, on a page of one
    negotiation, the Negotiation node), when the page has nodes of the story to show instead.

    >>> default_hidden({"Party", "Provision", "Source", "Negotiation"}, "case", 1)
    ['Negotiation', 'Source']
    >>> default_hidden({"Negotiation", "Mechanism"}, "query", 7)
    []
    """
    types = set(types)
    if kind == "overview" or not types & set(STORY):
        return []
    hide = set(CONTEXT) | ({"Negotiation"} if n_lanes < 2 else set())
    return sorted(types & hide)


def payload(g: nx.MultiDiGraph, keep: set[str] | None = None, *, kind: str = "case", title: str = "",
            focus: str | None = None, physics_max_nodes: int = PHYSICS_MAX_NODES) -> dict[str, Any]:
    """The page data of the subgraph of ``g`` induced by ``keep`` (all nodes when None).

    Emphasis and filter tags are computed on the whole of ``g``, so a provision keeps its headline
    status on a page that shows only part of its neighbourhood.
    """
    from kg.viz.layout import lanes

    sub = g if keep is None else g.subgraph(keep)
    hl_nodes, hl_edges = headline(g)
    counts: dict[tuple[str, str], int] = {}
    for n, lvl in hl_nodes.items():
        x = g.nodes[n]
        if lvl == 2 and (x["type"] == "Provision" or len(_in(g, n, "HAS_INTEREST")) >= 2):
            counts[(x["negotiation"], x["type"])] = counts.get((x["negotiation"], x["type"]), 0) + 1
    if kind == "overview":  # parties in two or more negotiations are the cross-case links
        hl_nodes = {n: 2 for n, t in sub.nodes(data="type") if t == "Party" and len(_out(g, n, "PARTICIPATED_IN")) >= 2}
        hl_edges = {}
    lane_names, slots = lanes(sub)
    members: dict[int, list[str]] = {}
    for n, sl in slots.items():
        if sl.lane >= 0 and sub.nodes[n]["type"] != "Negotiation":
            members.setdefault(sl.lane, []).append(n)
    handles = {i: f"Negotiation:{c}" for i, c in enumerate(lane_names)
               if len(lane_names) > 1 and f"Negotiation:{c}" in sub and members.get(i)}
    styles: dict[str, dict[str, Any]] = {}  # vis-network options by style key, shared by the nodes and edges using them
    nodes = []
    for n in sorted(sub.nodes):
        d = sub.nodes[n]
        parties, mechs = tags(g, n)
        hl = hl_nodes.get(n, 0)
        tip = _node_tip(g, n, hl)
        if kind == "overview" and d["type"] == "Negotiation":
            parties = sorted(g.nodes[u]["id"] for u in _in(g, n, "PARTICIPATED_IN") if u in sub)
            tip += [["shared interests", str(counts.get((d["id"], "Interest"), 0))],
                    ["value-creating provisions", str(counts.get((d["id"], "Provision"), 0))]]
        if kind == "overview" and d["type"] == "Party":
            mechs = sorted({m for neg in _out(g, n, "PARTICIPATED_IN") for m in tags(g, neg)[1]})
        name = str(d.get("name", d["id"]))
        note = badge(g, n)
        label = f"{name}\n[{note}]" if note else name
        sl = slots.get(n)
        style = f"{d['type']}|{fill(g, n)}|{hl}"
        if style not in styles:
            styles[style] = vis_node(d["type"], fill(g, n), hl)
        nd: dict[str, Any] = {"id": n, "label": label, "name": name, "type": d["type"], "tip": tip, "parties": parties,
                              "mechs": mechs, "hl": hl, "style": style,
                              "col": sl.col if sl else len(_COLUMNS), "lane": sl.lane if sl else -1,
                              "rank": sl.rank if sl else 0, "group": None}
        if sl and sl.lane in handles:
            if handles[sl.lane] == n:
                nd["handle"] = lane_names[sl.lane]
                nd["members"] = len(members[sl.lane])
            else:
                nd["group"] = lane_names[sl.lane]
        nodes.append(nd)
    edges = []
    for u, v, rel, e in sorted(sub.edges(keys=True, data=True), key=lambda x: (x[0], x[1], x[2])):
        label = e.get("role", rel) if rel == "PARTICIPATED_IN" else rel
        hl = hl_edges.get((u, v, rel), 0)
        style = f"{rel}|{hl}|{e.get('role', '')}"
        if style not in styles:
            styles[style] = vis_edge(rel, hl, e.get("role"))
        edges.append({"id": len(edges), "from": u, "to": v, "rel": rel, "label": label,
                      "tip": _edge_tip(g, u, v, rel, e), "hl": hl, "style": style})
    physics = len(nodes) <= physics_max_nodes
    cases = {nd["id"] for nd in nodes if nd["type"] == "Negotiation"}
    # the force view starts from the structural layout: it settles sooner, and keeps each negotiation's nodes together
    if not physics or len(nodes) > SEED_MIN_NODES or (len(cases) > 1 and kind != "overview"):
        from kg.viz.layout import clustered

        pos = clustered(sub)
        for nd in nodes:
            nd["x"], nd["y"] = (round(c, 1) for c in pos[nd["id"]])
    types = {nd["type"] for nd in nodes}
    party_ids = sorted({p for nd in nodes for p in nd["parties"]})
    mech_ids = sorted({m for nd in nodes for m in nd["mechs"]})
    fills = []
    if "Interest" in types:
        present = {sub.nodes[nd["id"]].get("category") for nd in nodes if nd["type"] == "Interest"}
        fills += [{"what": "interest category", "label": c.label, "fill": CATEGORY_FILL[k]}
                  for k, c in model.INTEREST_CATEGORIES.items() if k in present and k in CATEGORY_FILL]
    if "Provision" in types:
        present = {fill(g, nd["id"]) for nd in nodes if nd["type"] == "Provision"}
        fills += [{"what": "mechanism family", "label": f, "fill": c} for f, c in FAMILY_FILL.items() if c in present]
    return {
        "meta": {
            "title": title, "kind": kind, "physics": physics, "iterations": iterations(len(nodes)),
            "focus": focus if focus in sub else None,
            "counts": {"nodes": len(nodes), "edges": len(edges)},
            "legend": legend(types), "fills": fills,
            "hidden": default_hidden(types, kind, len(lane_names)),
            "lanes": lane_names, "groups": bool(handles),
            "layout": {"fontPx": FONT_PX, "minLabelPx": MIN_LABEL_PX}, "styles": styles,
            "edgeColors": EDGE_COLOR, "headlineColor": HEADLINE_COLOR,
            "parties": [[p, str(g.nodes.get(f"Party:{p}", {}).get("name", p))] for p in party_ids],
            "mechanisms": [[m, model.MECHANISMS[m].label if m in model.MECHANISMS else m] for m in mech_ids],
        },
        "nodes": nodes,
        "edges": edges,
    }
