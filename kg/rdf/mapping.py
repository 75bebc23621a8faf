"""The property-graph-to-RDF mapping: IRIs, terms, and the triples of the canonical graph.

This module is the only place where the mapping is defined; the ontology, the SHACL shapes, the
JSON-LD context, the exports, the SPARQL engine and docs/rdf.md all follow it.

IRIs (all under :data:`BASE`):

- ontology terms: ``https://w3id.org/negotiation-kg/ontology#Provision``;
- instances: ``https://w3id.org/negotiation-kg/id/<type>/<id>``, where ``<type>`` is the node type
  in kebab case and ``<id>`` the entity id with its ``/`` kept as a path separator
  (``id/provision/camp-david-1978/limited-force-zones``);
- qualified relations (n-ary nodes): ``id/<class>/<subject-id>/<object-id>``
  (``id/serving/river-1990/review/river-1990/alpha-irrigation``);
- citations: ``<claim IRI>#citation-<12 hex digits of SHA-1(source, locator)>``;
- vocabulary concepts: ``vocab/<scheme>/<id>`` (``vocab/mechanism/bridging``), schemes ``vocab/<scheme>``;
- named graphs (TriG): ``graph/<negotiation id>``; parties, sources and vocabularies stay in the default graph.

>>> node_iri("Provision", "camp-david-1978/limited-force-zones")
'https://w3id.org/negotiation-kg/id/provision/camp-david-1978/limited-force-zones'
>>> node_iri("Mechanism", "bridging")
'https://w3id.org/negotiation-kg/vocab/mechanism/bridging'
>>> camel("HAS_INTEREST"), kebab("InterestCategory")
('hasInterest', 'interest-category')
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kg import model

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph
    import rdflib

__all__ = [
    "BASE", "NKG", "ID", "VOCAB", "GRAPH", "WIKIDATA", "PREFIXES", "Prop", "Qualified", "PROPERTIES", "QUALIFIED",
    "RELATION_PREDICATES", "node_iri", "class_iri", "scheme_iri", "graph_iri", "prop_for", "camel", "kebab",
    "quads", "to_graph", "to_dataset", "ntriples", "to_store", "serialize",
]

BASE = "https://w3id.org/negotiation-kg/"
NKG = BASE + "ontology#"
ID = BASE + "id/"
VOCAB = BASE + "vocab/"
GRAPH = BASE + "graph/"
WIKIDATA = "http://www.wikidata.org/entity/"

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIXES: dict[str, str] = {
    "nkg": NKG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": WIKIDATA,
    "dcat": "http://www.w3.org/ns/dcat#",
}
_P = PREFIXES
DCT, SCHEMA, PROV, SKOS, OWL = _P["dct"], _P["schema"], _P["prov"], _P["skos"], _P["owl"]


def kebab(name: str) -> str:
    """``InterestCategory`` -> ``interest-category``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def camel(rel: str) -> str:
    """A relation name as an ontology property name: ``USES_MECHANISM`` -> ``usesMechanism``."""
    first, *rest = rel.lower().split("_")
    return first + "".join(w.capitalize() for w in rest)


def class_iri(type_: str) -> str:
    """The ontology class of a node type (or of a qualified relation, a vocabulary)."""
    return NKG + type_


def scheme_iri(vocab: str) -> str:
    """The SKOS concept scheme of a vocabulary of :data:`kg.model.VOCABULARIES`."""
    return VOCAB + kebab(vocab)


def node_iri(type_: str, id_: str) -> str:
    """The IRI of an entity (or of a vocabulary concept) by its type and id."""
    if type_ in model.VOCABULARIES:
        return f"{scheme_iri(type_)}/{quote(id_, safe='')}"
    return f"{ID}{kebab(type_)}/{quote(id_, safe='/')}"


def graph_iri(case_id: str) -> str:
    """The named graph of one negotiation (TriG export)."""
    return GRAPH + quote(case_id, safe="")


@dataclass(frozen=True)
class Prop:
    """How a node property maps to RDF.

    ``kind`` is ``literal`` (``datatype`` says which; ``date`` picks xsd:date, gYearMonth or gYear
    from the value), ``object`` (the value is the id of a node of type ``target``) or ``vocab``
    (the value is a concept of vocabulary ``target``).
    """

    iri: str
    kind: str = "literal"
    datatype: str = XSD + "string"
    target: str | None = None
    definition: str = ""
    multi: bool = False


def _lit(iri: str, definition: str, datatype: str = XSD + "string", multi: bool = False) -> Prop:
    return Prop(iri, "literal", datatype, None, definition, multi)


#: model property name -> mapping, for every type (see :func:`prop_for` for the type-specific ones)
PROPERTIES: dict[str, Prop] = {
    "id": _lit(DCT + "identifier", "The entity's id in negotiation-kg (case-scoped ids read 'case/slug')."),
    "name": _lit(DCT + "title", "The entity's name; for a position, its statement; for a source, its title."),
    "description": _lit(DCT + "description", "A short description."),
    "uncertain": _lit(NKG + "uncertain", "Why this fact (or claim) is uncertain; absent when the record is clear."),
    "domain": _lit(NKG + "domain", "The negotiation's domain, e.g. peace, climate, commons."),
    "status": Prop(NKG + "status", "vocab", "", "NegotiationStatus", "Whether the negotiation is concluded, ongoing or failed."),
    "start_date": _lit(SCHEMA + "startDate", "When talks began.", "date"),
    "end_date": _lit(SCHEMA + "endDate", "When talks ended.", "date"),
    "venue": _lit(NKG + "venue", "Where the talks took place."),
    "wikidata": _lit(NKG + "wikidata", "The Wikidata QID of the entity (also given as owl:sameAs)."),
    "negotiation": Prop(NKG + "negotiation", "object", "", "Negotiation", "The negotiation this entity belongs to."),
    "party": Prop(NKG + "party", "object", "", "Party", "The party that took the position."),
    "issue": Prop(NKG + camel("ON_ISSUE"), "object", "", "Issue", model.RELATIONS["ON_ISSUE"].definition),
    "category": Prop(NKG + camel("IN_CATEGORY"), "vocab", "", "InterestCategory",
                     model.RELATIONS["IN_CATEGORY"].definition),
    "agreement": Prop(NKG + "agreement", "object", "", "Agreement", "The agreement that contains the provision."),
    "date_adopted": _lit(NKG + "dateAdopted", "When the agreement's text was adopted, initialled or concluded.", "date"),
    "date_signed": _lit(NKG + "dateSigned", "When the agreement was first signed.", "date"),
    "date_in_force": _lit(NKG + "dateInForce", "When the agreement entered into force.", "date"),
    "locator": _lit(NKG + "locator", "Where in a document: article, paragraph, page."),
    "deferred_to": _lit(NKG + "deferredTo", "Where a provision sent the issue it deferred: a forum, a date, a process."),
    "lint_waivers": _lit(NKG + "lintWaiver", "A lint warning the authors reviewed and accepted, with the reason.",
                         multi=True),
    "authors": _lit(DCT + "creator", "An author of the source (one value each; order not kept).", multi=True),
    "year": _lit(DCT + "issued", "The source's year of publication.", XSD + "gYear"),
    "publisher": _lit(DCT + "publisher", "The source's publisher."),
    "url": _lit(SCHEMA + "url", "Where the source can be read.", XSD + "anyURI"),
    "citation": _lit(DCT + "bibliographicCitation", "The full bibliographic reference."),
    "integrative": _lit(NKG + "integrative", "Whether the mechanism creates value (integrative bargaining).",
                        XSD + "boolean"),
    "family": _lit(NKG + "mechanismFamily", "The mechanism's family: integrative, distributive or deferral."),
}
_BY_TYPE: dict[tuple[str, str], Prop] = {
    ("Party", "kind"): Prop(NKG + "partyKind", "vocab", "", "PartyKind", "What kind of actor the party is."),
    ("Source", "kind"): Prop(NKG + "sourceKind", "vocab", "", "SourceKind", "What kind of document the source is."),
}


def prop_for(type_: str, name: str) -> Prop:
    """The mapping of property ``name`` of node type ``type_``."""
    return _BY_TYPE.get((type_, name)) or PROPERTIES[name]


@dataclass(frozen=True)
class Qualified:
    """An n-ary node standing for one relation that carries sources, salience or a role."""

    cls: str  # class local name
    subject: str  # property local name pointing at the relation's source node
    object: str  # property local name pointing at its target node
    definition: str


#: relations kept as qualified-relation nodes (besides their direct triple)
QUALIFIED: dict[str, Qualified] = {
    "PARTICIPATED_IN": Qualified("Participation", "participant", "inNegotiation",
                                 "A party's participation in a negotiation, in a role."),
    "HAS_INTEREST": Qualified("Holding", "holder", "heldInterest",
                              "A party's holding of an interest, with salience and evidence."),
    "SERVES": Qualified("Serving", "servingProvision", "servedInterest",
                        "A provision's serving of an interest, with evidence."),
    "TRADED_FOR": Qualified("Trade", "conceded", "inExchangeFor",
                            "A provision conceded in exchange for another, with evidence."),
    "FUNDS": Qualified("Funding", "funder", "fundedProvision",
                       "A party's funding of a provision, with amount, currency, year and evidence."),
    "FOLLOWS": Qualified("Succession", "successor", "predecessor",
                         "A negotiation's taking up of an earlier one, with evidence."),
    "CONTINUES": Qualified("Continuation", "continuingInterest", "continuedInterest",
                           "An interest's continuation of the same party's concern in an earlier negotiation, with evidence."),
}
assert set(QUALIFIED) == set(model.CITED_RELATIONS)

#: relation name -> predicate of its direct triple (CITES becomes prov:wasDerivedFrom plus citations)
RELATION_PREDICATES: dict[str, str] = {
    r: (PROV + "wasDerivedFrom" if r == "CITES" else NKG + camel(r)) for r in model.RELATIONS
}
#: edge attributes -> mapping (on qualified nodes and citations)
EDGE_PROPERTIES: dict[str, Prop] = {
    "role": Prop(NKG + "role", "vocab", "", "Role", "The party's role in the negotiation."),
    "salience": _lit(NKG + "salience", "How much the interest mattered to the party: 1 (minor) to 5 (vital).",
                     XSD + "integer"),
    "strength": Prop(NKG + "strength", "vocab", "", "ServingStrength",
                     "How fully the provision serves the interest: full, partial or nominal (on paper only)."),
    "amount": _lit(NKG + "amount", "How much the funder pledged or paid, in the currency given.", XSD + "decimal"),
    "currency": _lit(NKG + "currency", "The ISO 4217 code of the amount's currency."),
    "year": _lit(NKG + "fundingYear", "The year of the pledge or payment.", XSD + "gYear"),
    "uncertain": PROPERTIES["uncertain"],
}


def edge_property_classes(key: str) -> list[str]:
    """The qualified-relation classes that carry an edge property (from the model's relation properties).

    >>> edge_property_classes("strength")
    ['Serving']
    """
    return sorted(q.cls for rel, q in QUALIFIED.items() if key in model.RELATIONS[rel].properties)
CITATION = NKG + "Citation"
QUALIFIED_DERIVATION = PROV + "qualifiedDerivation"
CITED_SOURCE = PROV + "entity"
LOCATOR = PROPERTIES["locator"].iri
SAME_AS = OWL + "sameAs"

_DATE_TYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}

# a term is ("iri", value) or ("lit", value, datatype); a quad is (s, p, o, graph-or-None)
Term = tuple[str, ...]
Quad = tuple[Term, Term, Term, str | None]


def _iri(v: str) -> Term:
    return ("iri", v)


def _decimal(value: float) -> str:
    """An xsd:decimal lexical form (no exponent): ``1.5e9`` -> ``1500000000``."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _literal(value: Any, prop: Prop) -> Term:
    if prop.datatype == "date":
        return ("lit", str(value), XSD + _DATE_TYPES[len(str(value))])
    if isinstance(value, bool):
        return ("lit", "true" if value else "false", XSD + "boolean")
    if prop.datatype == XSD + "decimal":
        return ("lit", _decimal(float(value)), prop.datatype)
    return ("lit", str(value), prop.datatype)


def _prop_terms(prop: Prop, value: Any) -> Iterator[Term]:
    for v in (value if isinstance(value, list) else [value]):
        if prop.kind == "object" or prop.kind == "vocab":
            yield _iri(node_iri(prop.target or "", v))
        else:
            yield _literal(v, prop)


def _case_of(d: dict[str, Any]) -> str | None:
    return d.get("negotiation") or (d["id"] if d["type"] == "Negotiation" else None)


def _citation_iri(claim: str, source: str, locator: str) -> str:
    h = hashlib.sha1(f"{source}\n{locator}".encode()).hexdigest()[:12]
    return f"{claim}#citation-{h}"


def _citations(claim: str, pairs: list[tuple[str, str]], uncertain: str | None, gname: str | None) -> Iterator[Quad]:
    for sid, loc in pairs:
        src = _iri(node_iri("Source", sid))
        c = _iri(_citation_iri(claim, sid, loc))
        yield (_iri(claim), _iri(PROV + "wasDerivedFrom"), src, gname)
        yield (_iri(claim), _iri(QUALIFIED_DERIVATION), c, gname)
        yield (c, _iri(RDF_TYPE), _iri(CITATION), gname)
        yield (c, _iri(RDF_TYPE), _iri(PROV + "Derivation"), gname)
        yield (c, _iri(CITED_SOURCE), src, gname)
        yield (c, _iri(LOCATOR), ("lit", loc, XSD + "string"), gname)
        if uncertain:
            yield (c, _iri(PROPERTIES["uncertain"].iri), ("lit", uncertain, XSD + "string"), gname)


def _vocabularies() -> Iterator[Quad]:
    """The SKOS concept schemes of :data:`kg.model.VOCABULARIES` (default graph)."""
    s = lambda v: _iri(SKOS + v)  # noqa: E731
    string = XSD + "string"
    for vocab, concepts in model.VOCABULARIES.items():
        scheme = _iri(scheme_iri(vocab))
        yield (scheme, _iri(RDF_TYPE), s("ConceptScheme"), None)
        yield (scheme, s("prefLabel"), ("lit", re.sub(r"(?<!^)(?=[A-Z])", " ", vocab), string), None)
        for cid, c in concepts.items():
            ci = _iri(node_iri(vocab, cid))
            yield (ci, _iri(RDF_TYPE), s("Concept"), None)
            yield (ci, _iri(RDF_TYPE), _iri(class_iri(vocab)), None)
            yield (ci, s("inScheme"), scheme, None)
            yield (ci, s("topConceptOf"), scheme, None)
            yield (ci, s("prefLabel"), ("lit", c.label, string), None)
            yield (ci, s("definition"), ("lit", c.definition, string), None)
            yield (ci, s("notation"), ("lit", cid, string), None)
            yield (ci, _iri(DCT + "identifier"), ("lit", cid, string), None)
            if c.integrative is not None:
                yield (ci, _iri(NKG + "integrative"), _literal(c.integrative, PROPERTIES["integrative"]), None)


DATASET = BASE + "dataset"  #: the IRI of the corpus as a DCAT / schema.org Dataset


def dataset_quads(g: nx.MultiDiGraph) -> Iterator[Quad]:
    """The dataset's own description (DCAT and schema.org), from the graph's attributes (data/dataset.yaml).

    Nothing when the graph carries no dataset metadata (a corpus without data/dataset.yaml).
    """
    a = g.graph
    if not a.get("dataset_version"):
        return
    dcat, string = PREFIXES["dcat"], XSD + "string"
    s = _iri(DATASET)

    def lit(p: str, v: str, dt: str = string) -> Quad:
        return (s, _iri(p), ("lit", v, dt), None)

    yield (s, _iri(RDF_TYPE), _iri(dcat + "Dataset"), None)
    yield (s, _iri(RDF_TYPE), _iri(SCHEMA + "Dataset"), None)
    yield lit(DCT + "title", a["dataset_title"])
    yield lit(SCHEMA + "name", a["dataset_title"])
    yield lit(OWL + "versionInfo", a["dataset_version"])
    yield lit(SCHEMA + "version", a["dataset_version"])
    yield lit(DCT + "issued", a["dataset_date"], XSD + _DATE_TYPES[len(a["dataset_date"])])
    yield lit(DCT + "description", a["dataset_description"])
    for p in (DCT + "license", SCHEMA + "license"):
        yield (s, _iri(p), _iri(a["license"]), None)
    for c in a.get("creators", "").split("; "):
        yield lit(DCT + "creator", c)
    for k in filter(None, a.get("keywords", "").split("; ")):
        yield lit(dcat + "keyword", k)
    if a.get("codebook"):
        yield (s, _iri(DCT + "conformsTo"), _iri(a["codebook"]), None)
    if a.get("homepage"):
        yield (s, _iri(dcat + "landingPage"), _iri(a["homepage"]), None)


def quads(g: nx.MultiDiGraph) -> Iterator[Quad]:
    """Every statement of the graph's RDF form, with its named graph (None: the default graph).

    Deterministic for a given graph. Terms are plain tuples (``("iri", v)``, ``("lit", v, datatype)``).
    """
    yield from dataset_quads(g)
    yield from _vocabularies()
    for _n, d in g.nodes(data=True):
        t = d["type"]
        s = _iri(node_iri(t, d["id"]))
        gname = graph_iri(c) if (c := _case_of(d)) else None
        yield (s, _iri(RDF_TYPE), _iri(class_iri(t)), gname)
        for k, v in d.items():
            if k == "type":
                continue
            prop = prop_for(t, k)
            for o in _prop_terms(prop, v):
                yield (s, _iri(prop.iri), o, gname)
            if k == "wikidata":
                yield (s, _iri(SAME_AS), _iri(WIKIDATA + v), gname)
    for u, v, rel, e in g.edges(keys=True, data=True):
        du, dv = g.nodes[u], g.nodes[v]
        su, sv = node_iri(du["type"], du["id"]), node_iri(dv["type"], dv["id"])
        case = _case_of(du) or _case_of(dv)
        gname = graph_iri(case) if case else None
        if rel == "CITES":
            _cites = [(dv["id"], loc) for loc in e.get("locators", [])]
            yield from _citations(su, _cites, e.get("uncertain"), gname)
            continue
        yield (_iri(su), _iri(RELATION_PREDICATES[rel]), _iri(sv), gname)
        if rel not in QUALIFIED:
            continue
        qd = QUALIFIED[rel]
        q = f"{ID}{kebab(qd.cls)}/{quote(du['id'], safe='/')}/{quote(dv['id'], safe='/')}"
        yield (_iri(q), _iri(RDF_TYPE), _iri(class_iri(qd.cls)), gname)
        yield (_iri(q), _iri(NKG + qd.subject), _iri(su), gname)
        yield (_iri(q), _iri(NKG + qd.object), _iri(sv), gname)
        for k in _EDGE_KEYS:
            if k in e:
                for o in _prop_terms(EDGE_PROPERTIES[k], e[k]):
                    yield (_iri(q), _iri(EDGE_PROPERTIES[k].iri), o, gname)
        pairs = list(zip(e.get("source_ids", []), e.get("locators", []), strict=True))
        yield from _citations(q, pairs, None, gname)
        if e.get("uncertain"):
            yield (_iri(q), _iri(PROPERTIES["uncertain"].iri), ("lit", e["uncertain"], XSD + "string"), gname)


_EDGE_KEYS = tuple(k for k in EDGE_PROPERTIES if k != "uncertain")


def _rdflib_term(t: Term) -> Any:
    from rdflib import Literal, URIRef

    if t[0] == "iri":
        return URIRef(t[1])
    return Literal(t[1]) if t[2] == XSD + "string" else Literal(t[1], datatype=URIRef(t[2]))


def _bind(g: rdflib.Graph) -> None:
    for p, ns in PREFIXES.items():
        if p != "sh":
            g.bind(p, ns, override=True, replace=True)


def to_graph(g: nx.MultiDiGraph) -> rdflib.Graph:
    """The whole graph as one rdflib Graph (named graphs merged)."""
    import rdflib

    out = rdflib.Graph()
    _bind(out)
    for s, p, o, _ in quads(g):
        out.add((_rdflib_term(s), _rdflib_term(p), _rdflib_term(o)))
    return out


def to_dataset(g: nx.MultiDiGraph) -> rdflib.Dataset:
    """An rdflib Dataset: one named graph per negotiation, the shared nodes in the default graph."""
    import rdflib

    ds = rdflib.Dataset()
    _bind(ds)
    for s, p, o, gname in quads(g):
        ctx = ds.graph(rdflib.URIRef(gname)) if gname else ds.default_graph
        ctx.add((_rdflib_term(s), _rdflib_term(p), _rdflib_term(o)))
    return ds


def _nt(t: Term) -> str:
    if t[0] == "iri":
        return f"<{t[1]}>"
    v = t[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{v}"' if t[2] == XSD + "string" else f'"{v}"^^<{t[2]}>'


def ntriples(g: nx.MultiDiGraph) -> str:
    """The graph as sorted, de-duplicated N-Triples (named graphs merged)."""
    lines = {f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o, _ in quads(g)}
    return "".join(sorted(lines))


def to_store(g: nx.MultiDiGraph) -> pyoxigraph.Store:
    """A new in-memory pyoxigraph Store holding the graph in its default graph."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(ntriples(g).encode(), pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _ox_term(t: Term) -> Any:
    import pyoxigraph as ox

    if t[0] == "iri":
        return ox.NamedNode(t[1])
    return ox.Literal(t[1], datatype=ox.NamedNode(t[2]))


def serialize(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """The graph in ``turtle``, ``trig`` (one named graph per negotiation) or ``nquads``, written by pyoxigraph
    (fast, and deterministic: statements sorted by graph, subject, predicate, object)."""
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
    named = formats[fmt].supports_datasets
    rows = sorted({(gname or "" if named else "", s, p, o) for s, p, o, gname in quads(g)})
    out = []
    for gname, s, p, o in rows:
        graph = ox.NamedNode(gname) if gname else ox.DefaultGraph()
        out.append(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), graph) if named
                   else ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o)))
    prefixes = {k: v for k, v in PREFIXES.items() if k != "sh"}
    return ox.serialize(out, format=formats[fmt], prefixes=prefixes) or b""
