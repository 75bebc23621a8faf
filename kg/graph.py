"""Build the canonical graph: one deterministic networkx MultiDiGraph of every case.

Node keys are ``"<Type>:<id>"``; every node has ``type`` and ``id`` attributes plus the
properties of its :class:`kg.model.NodeType` that are set. Edge keys are relation names
(at most one edge of a relation between two nodes); every edge has a ``rel`` attribute.
Relations that are claims carry ``source_ids`` and ``locators`` (parallel lists, sorted).

>>> from kg.load import load
>>> g = build(load(data_dir="tests/fixtures/mini"))
>>> g.nodes["Party:alpha"]["wikidata"], g.edges["Party:beta", "Interest:river-1990/beta-prestige", "HAS_INTEREST"]["salience"]
('Q1', 2)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg import model, schema

if TYPE_CHECKING:
    import networkx as nx

    from kg.load import Corpus

__all__ = ["build", "dataset_attributes", "by_negotiation", "key", "nodes_of", "subgraph_for_case"]


def key(type_: str, id_: str) -> str:
    """The node key of an entity: ``key("Party", "egypt") == "Party:egypt"``."""
    return model.NODE_TYPES[type_].key(id_)


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not None and v != []}


def _claim(corpus: Corpus, case_id: str, claim: Any) -> dict[str, Any]:
    """Evidence attributes of a relation that is a claim: sources, locators and any doubt."""
    cites: list[schema.Citation] = claim.sources
    pairs = sorted({(corpus.source_id(case_id, c.source), c.locator) for c in cites})
    notes = [claim.uncertain, *sorted({c.uncertain for c in cites if c.uncertain})]
    return {
        "source_ids": [s for s, _ in pairs],
        "locators": [loc for _, loc in pairs],
        "uncertain": "; ".join(n for n in notes if n) or None,
    }


class _Builder:
    def __init__(self, corpus: Corpus):
        import networkx as nx

        self.corpus = corpus
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.g = nx.MultiDiGraph(name="negotiation-kg")

    def node(self, type_: str, id_: str, **attrs: Any) -> str:
        k = key(type_, id_)
        self.nodes[k] = _clean({"type": type_, "id": id_, **attrs})
        return k

    def edge(self, u: str, rel: str, v: str, **attrs: Any) -> None:
        self.edges[(u, v, rel)] = _clean({"rel": rel, **attrs})

    def cites(self, u: str, case_id: str, cites: Iterable[schema.Citation]) -> None:
        by_source: dict[str, set[str]] = {}
        notes: dict[str, set[str]] = {}
        for c in cites:
            sid = self.corpus.source_id(case_id, c.source)
            by_source.setdefault(sid, set()).add(c.locator)
            if c.uncertain:
                notes.setdefault(sid, set()).add(c.uncertain)
        for sid, locs in by_source.items():
            self.edge(
                u, "CITES", key("Source", sid), locators=sorted(locs), uncertain="; ".join(sorted(notes.get(sid, ()))) or None
            )

    def finish(self) -> nx.MultiDiGraph:
        for k in sorted(self.nodes):
            self.g.add_node(k, **self.nodes[k])
        for u, v, rel in sorted(self.edges):
            if rel in _LINEAGE and v not in self.nodes:  # a link into a case outside the loaded corpus
                continue
            self.g.add_edge(u, v, key=rel, **self.edges[(u, v, rel)])
        return self.g


#: relations that may point into another case, which a partial corpus may not hold
_LINEAGE = frozenset({"FOLLOWS", "CONTINUES"})


def _waivers(w: dict[str, str]) -> list[str]:
    """Lint waivers as a node property: ``"rule: justification"`` strings, sorted."""
    return [f"{k}: {v}" for k, v in sorted(w.items())]


def build(corpus: Corpus) -> nx.MultiDiGraph:
    """The canonical graph of a validated corpus (same input, same graph, same order)."""
    b = _Builder(corpus)
    if corpus.dataset is not None:  # graph attributes: carried by node-link JSON, GraphML and the RDF exports
        b.g.graph.update(dataset_attributes(corpus.dataset))
    for cid, c in model.INTEREST_CATEGORIES.items():
        b.node("InterestCategory", cid, name=c.label, description=c.definition)
    for mid, m in model.MECHANISMS.items():
        b.node("Mechanism", mid, name=m.label, description=m.definition, integrative=m.integrative, family=m.family)
    for sid, s in corpus.sources.items():
        b.node(
            "Source",
            sid,
            name=s.title,
            kind=s.kind,
            authors=list(s.authors),
            year=s.year,
            publisher=s.publisher,
            url=s.url,
            citation=s.citation,
            uncertain=s.uncertain,
        )
    for pid, p in corpus.parties.items():
        b.node("Party", pid, name=p.name, kind=p.kind, wikidata=p.wikidata, description=p.description, uncertain=p.uncertain)
        for m in p.member_of:
            b.edge(key("Party", pid), "MEMBER_OF", key("Party", m))
    for c in corpus.cases:
        _add_case(b, corpus, c)
    return b.finish()


def _add_case(b: _Builder, corpus: Corpus, c: schema.CaseDoc) -> None:
    q = f"{c.id}/".__add__  # qualify a case-local slug
    neg = b.node(
        "Negotiation",
        c.id,
        name=c.name,
        description=c.description,
        domain=c.domain,
        status=c.status,
        start_date=c.start_date,
        end_date=c.end_date,
        venue=c.venue,
        wikidata=c.wikidata,
        uncertain=c.uncertain,
    )
    for p in c.parties:
        b.edge(key("Party", p.party), "PARTICIPATED_IN", neg, role=p.role, **_claim(corpus, c.id, p))
    for f in c.follows:
        b.edge(neg, "FOLLOWS", key("Negotiation", f.negotiation), **_claim(corpus, c.id, f))
    for i in c.issues:
        k = b.node("Issue", q(i.id), name=i.name, description=i.description, negotiation=c.id, uncertain=i.uncertain)
        b.edge(neg, "CONCERNS", k)
    for x in c.interests:
        k = b.node(
            "Interest",
            q(x.id),
            name=x.name,
            description=x.description,
            category=x.category,
            negotiation=c.id,
            uncertain=x.uncertain,
            lint_waivers=_waivers(x.lint_waivers),
        )
        b.edge(k, "IN_CATEGORY", key("InterestCategory", x.category))
        for ct in x.continues:
            b.edge(k, "CONTINUES", key("Interest", ct.interest), **_claim(corpus, c.id, ct))
        for h in x.holders:
            b.edge(key("Party", h.party), "HAS_INTEREST", k, salience=h.salience, **_claim(corpus, c.id, h))
    for p in c.positions:
        k = b.node(
            "Position",
            q(p.id),
            name=p.name,
            description=p.description,
            negotiation=c.id,
            party=p.party,
            issue=q(p.issue),
            uncertain=p.uncertain,
            lint_waivers=_waivers(p.lint_waivers),
        )
        b.edge(key("Party", p.party), "HOLDS", k)
        b.edge(k, "ON_ISSUE", key("Issue", q(p.issue)))
        for r in p.reflects:
            b.edge(k, "REFLECTS", key("Interest", q(r)))
        b.cites(k, c.id, p.sources)
    for a in c.agreements:
        ak = b.node(
            "Agreement",
            q(a.id),
            name=a.name,
            description=a.description,
            negotiation=c.id,
            date_adopted=a.date_adopted,
            date_signed=a.date_signed,
            date_in_force=a.date_in_force,
            wikidata=a.wikidata,
            uncertain=a.uncertain,
        )
        b.edge(neg, "PRODUCED", ak)
        b.cites(ak, c.id, a.sources)
        for p in a.provisions:
            pk = b.node(
                "Provision",
                q(p.id),
                name=p.name,
                description=p.description,
                negotiation=c.id,
                agreement=q(a.id),
                locator=p.locator,
                deferred_to=p.deferred_to,
                uncertain=p.uncertain,
                lint_waivers=_waivers(p.lint_waivers),
            )
            b.edge(ak, "CONTAINS", pk)
            b.cites(pk, c.id, p.sources)
            for i in p.addresses:
                b.edge(pk, "ADDRESSES", key("Issue", q(i)))
            for m in p.mechanisms:
                b.edge(pk, "USES_MECHANISM", key("Mechanism", m))
            for s in p.serves:
                b.edge(pk, "SERVES", key("Interest", q(s.interest)), strength=s.strength, **_claim(corpus, c.id, s))
            for t in p.traded_for:
                b.edge(pk, "TRADED_FOR", key("Provision", q(t.provision)), **_claim(corpus, c.id, t))
            for f in p.funded_by:
                b.edge(key("Party", f.party), "FUNDS", pk, amount=f.amount, currency=f.currency, year=f.year,
                       **_claim(corpus, c.id, f))


def dataset_attributes(d: schema.DatasetDoc) -> dict[str, str]:
    """The dataset metadata as graph attributes (strings: GraphML has no lists; lists joined with "; ")."""
    attrs = {
        "dataset_title": d.title,
        "dataset_version": d.version,
        "dataset_date": d.date,
        "dataset_description": d.description,
        "license": d.license.url,
        "license_name": d.license.name,
        "creators": "; ".join(d.creators),
        "codebook": d.codebook,
        "homepage": d.homepage,
        "keywords": "; ".join(d.keywords),
    }
    return {k: v for k, v in attrs.items() if v}


def by_negotiation(g: nx.MultiDiGraph) -> dict[str | None, list[str]]:
    """Node keys grouped by negotiation id, the Negotiation node under its own id; shared nodes under None.

    >>> from kg.load import load
    >>> groups = by_negotiation(build(load(data_dir="tests/fixtures/mini")))
    >>> len(groups["river-1990"]), len(groups[None])
    (12, 22)
    """
    out: dict[str | None, list[str]] = {}
    for n, d in g.nodes(data=True):
        out.setdefault(d["id"] if d["type"] == "Negotiation" else d.get("negotiation"), []).append(n)
    return out


def nodes_of(g: nx.MultiDiGraph, type_: str) -> list[str]:
    """Keys of the nodes of one type, sorted."""
    return sorted(n for n, t in g.nodes(data="type") if t == type_)


def subgraph_for_case(g: nx.MultiDiGraph, case_id: str) -> nx.MultiDiGraph:
    """One negotiation's subgraph: its own nodes plus the parties, sources and concepts they touch (not the other
    negotiations it is linked to by lineage)."""
    own = {n for n, d in g.nodes(data=True) if d.get("negotiation") == case_id or n == key("Negotiation", case_id)}
    touch = {v for n in own for v in g.successors(n)} | {u for n in own for u in g.predecessors(n)}
    # shared nodes only: another negotiation and its nodes (reached through FOLLOWS / CONTINUES) stay out
    shared = {n for n in touch if g.nodes[n]["type"] != "Negotiation" and "negotiation" not in g.nodes[n]}
    return g.subgraph(own | shared).copy()
