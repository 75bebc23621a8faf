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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring
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


@cache
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
        return f"{scheme_iri(type_)}/{_quote(id_, safe='')}"
    return f"{ID}{kebab(type_)}/{_quote(id_)}"


_PLAIN = re.compile(r"[A-Za-z0-9_.~/-]*")  # what quote() leaves as it is (with "/" safe)


def _quote(id_: str, safe: str = "/") -> str:
    """``quote(id_, safe=safe)``, skipped for the usual ids (letters, digits, ``-._~`` and ``/``): they stay as they are."""
    return id_ if _PLAIN.fullmatch(id_) and (safe == "/" or "/" not in id_) else quote(id_, safe=safe)


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
_STRING, _BOOLEAN = XSD + "string", XSD + "boolean"

# The RDF form is built once, as N-Triples text grouped by subject (:func:`blocks`): a term is "<iri>",
# '"text"' (xsd:string) or '"text"^^<datatype>'. N-Triples, N-Quads, Turtle and TriG are written from
# the blocks by joining strings, and the embedded store bulk-loads the N-Triples. :func:`quads` is the
# plain rendering, term by term as tuples (for rdflib: JSON-LD, SHACL); the blocks hold exactly its
# statements (tests/test_fastpaths.py).
Term = tuple[str, ...]
Quad = tuple[Term, Term, Term, str | None]
#: one subject's statements in one named graph: (graph IRI or None, subject, [(predicate, object), ...])
Block = tuple[str | None, str, list[tuple[str, str]]]

_nt_string: Callable[[str], str] = encode_basestring  # JSON's string escaping (in C) is valid N-Triples


def _nt_literal(value: str, datatype: str = _STRING) -> str:
    """A literal in N-Triples syntax (xsd:string written plain).

    >>> _nt_literal('say "hi"'), _nt_literal("1", XSD + "integer")
    ('"say \\\\"hi\\\\""', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    v = _nt_string(value)
    return v if datatype == _STRING else f"{v}^^<{datatype}>"


def _nt_term(t: Term) -> str:
    """A tuple term (:func:`quads`) in N-Triples syntax."""
    return f"<{t[1]}>" if t[0] == "iri" else _nt_literal(t[1], t[2])


def _nt_value(value: Any, prop: Prop) -> str:
    """A value of ``prop`` in N-Triples syntax (as :func:`_literal`)."""
    if prop.datatype == "date":
        return _nt_literal(str(value), XSD + _DATE_TYPES[len(str(value))])
    if isinstance(value, bool):
        return _nt_literal("true" if value else "false", _BOOLEAN)
    if prop.datatype == XSD + "decimal":
        return _nt_literal(_decimal(float(value)), prop.datatype)
    return _nt_literal(str(value), prop.datatype)


_TYPE = f"<{RDF_TYPE}>"
_UNCERTAIN = f"<{PROPERTIES['uncertain'].iri}>"
_CITE = (f"<{PROV}wasDerivedFrom>", f"<{QUALIFIED_DERIVATION}>", (_TYPE, f"<{CITATION}>"), (_TYPE, f"<{PROV}Derivation>"),
         f"<{CITED_SOURCE}>", f"<{LOCATOR}>")
#: edge attributes written on qualified-relation nodes ("uncertain" is written after the citations)
_EDGE_KEYS = tuple(k for k in EDGE_PROPERTIES if k != "uncertain")
_IRI_VALUE, _STRING_VALUE, _OTHER_VALUE = 0, 1, 2


def _citation_hash(source: str, locator: str) -> str:
    return hashlib.sha1(f"{source}\n{locator}".encode()).hexdigest()[:12]


def _plan(prop: Prop) -> tuple[str, int, Prop]:
    """How to write a property's values: its predicate term and the kind of its values."""
    kind = _IRI_VALUE if prop.kind in ("object", "vocab") else _STRING_VALUE if prop.datatype == _STRING else _OTHER_VALUE
    return f"<{prop.iri}>", kind, prop


@cache
def _vocabulary_blocks() -> tuple[tuple[str | None, str, tuple[tuple[str, str], ...]], ...]:
    """(node key or None, subject, statements) of the SKOS concept schemes of :data:`kg.model.VOCABULARIES` and
    their concepts; the node key is that of the concept's node in a graph, for the vocabularies that are node types."""
    s = lambda v: f"<{SKOS}{v}>"  # noqa: E731
    out: list[tuple[str | None, str, tuple[tuple[str, str], ...]]] = []
    for vocab, concepts in model.VOCABULARIES.items():
        scheme = f"<{scheme_iri(vocab)}>"
        label = re.sub(r"(?<!^)(?=[A-Z])", " ", vocab)
        out.append((None, scheme, ((_TYPE, s("ConceptScheme")), (s("prefLabel"), _nt_literal(label)))))
        for cid, c in concepts.items():
            pairs = [(_TYPE, s("Concept")), (_TYPE, f"<{class_iri(vocab)}>"), (s("inScheme"), scheme),
                     (s("topConceptOf"), scheme), (s("prefLabel"), _nt_literal(c.label)),
                     (s("definition"), _nt_literal(c.definition)), (s("notation"), _nt_literal(cid)),
                     (f"<{DCT}identifier>", _nt_literal(cid))]
            if c.integrative is not None:
                pairs.append((f"<{NKG}integrative>", _nt_value(c.integrative, PROPERTIES["integrative"])))
            key = model.NODE_TYPES[vocab].key(cid) if vocab in model.NODE_TYPES else None
            out.append((key, f"<{node_iri(vocab, cid)}>", tuple(pairs)))
    return tuple(out)


def blocks(g: nx.MultiDiGraph) -> Iterator[Block]:
    """The graph's RDF form, subject by subject: every statement once, terms in N-Triples syntax.

    Deterministic for a given graph: the dataset's description, the vocabularies (with the statements of
    the concept nodes the graph has), then each node with its outgoing relations, then the qualified-relation nodes and citations
    those relations make, in the graph's order. A subject comes in more than one block when its
    statements are in different named graphs (a party's participation is in the negotiation's graph).
    """
    esc = _nt_string
    iris: dict[tuple[str, str], str] = {}  # (type, id) -> IRI term

    def iri(type_: str, id_: str) -> str:
        if (t := iris.get((type_, id_))) is None:
            t = iris[type_, id_] = f"<{node_iri(type_, id_)}>"
        return t

    # networkx's own dicts when it has them: its views cost more than the work here
    nodes = g._node if isinstance(getattr(g, "_node", None), dict) else dict(g.nodes(data=True))
    adj = g._succ if isinstance(getattr(g, "_succ", None), dict) else g.succ
    graphs: dict[str | None, str | None] = {None: None}
    info: dict[Any, tuple[str, str, str | None]] = {}  # node key -> (IRI term, id, named graph)
    for n, d in nodes.items():
        t, id_ = d["type"], d["id"]
        case = d.get("negotiation") or (id_ if t == "Negotiation" else None)
        if (gname := graphs.get(case, "")) == "":
            gname = graphs[case] = graph_iri(case)  # type: ignore[arg-type]
        info[n] = (iri(t, id_), id_, gname)

    classes: dict[str, tuple[str, str]] = {}
    plans: dict[str, dict[str, tuple[str, int, Prop]]] = {}
    same_as = f"<{SAME_AS}>"

    def node_statements(d: dict[str, Any]) -> list[tuple[str, str]]:
        t = d["type"]
        if (cls := classes.get(t)) is None:
            cls = classes[t] = (_TYPE, f"<{class_iri(t)}>")
            plans[t] = {}
        plan_of = plans[t]
        out = [cls]
        for k, v in d.items():
            if k == "type":
                continue
            if (plan := plan_of.get(k)) is None:
                plan = plan_of[k] = _plan(prop_for(t, k))
            p, kind, prop = plan
            if kind == _STRING_VALUE and type(v) is str:
                out.append((p, esc(v)))
            else:
                for x in v if isinstance(v, list) else (v,):
                    out.append((p, iri(prop.target or "", x) if kind == _IRI_VALUE else _nt_value(x, prop)))
            if k == "wikidata":
                out.append((same_as, f"<{WIKIDATA}{_quote(str(v), safe='')}>"))
        return out

    if dataset := [(_nt_term(p), _nt_term(o)) for _, p, o, _ in dataset_quads(g)]:
        yield (None, f"<{DATASET}>", list(dict.fromkeys(dataset)))
    # the vocabularies next; a concept that is also a node of the graph gets its node's statements too
    merged: set[Any] = set()
    for key, s, pairs in _vocabulary_blocks():
        if key is not None and key in info and info[key][0] == s and info[key][2] is None:
            merged.add(key)
            yield (None, s, list(dict.fromkeys((*pairs, *node_statements(nodes[key])))))
        else:
            yield (None, s, list(pairs))

    derived, qualified, citation, derivation, entity, locator = _CITE
    hashes: dict[tuple[str, str], str] = {}
    locators: dict[str, str] = {}

    def citations(claim: str, here: list[tuple[str, str]], pairs: Any, uncertain: str | None, gname: str | None,
                  later: list[Block]) -> None:
        """The citations of a claim: on the claim, prov:wasDerivedFrom and a qualified derivation; a block each."""
        sources: set[str] = set()
        for sid, loc in dict.fromkeys(pairs):
            src = iri("Source", sid)
            if (h := hashes.get((sid, loc))) is None:
                h = hashes[sid, loc] = _citation_hash(sid, loc)
            if (lit := locators.get(loc)) is None:
                lit = locators[loc] = esc(loc)
            c = f"{claim[:-1]}#citation-{h}>"
            if src not in sources:  # one prov:wasDerivedFrom per source, however many locators
                sources.add(src)
                here.append((derived, src))
            here.append((qualified, c))
            cp = [citation, derivation, (entity, src), (locator, lit)]
            if uncertain:
                cp.append((_UNCERTAIN, esc(uncertain)))
            later.append((gname, c, cp))

    rels = {r: f"<{p}>" for r, p in RELATION_PREDICATES.items()}
    quals = {r: (f"{ID}{kebab(q.cls)}/", (_TYPE, f"<{class_iri(q.cls)}>"), f"<{NKG}{q.subject}>", f"<{NKG}{q.object}>")
             for r, q in QUALIFIED.items()}
    edge_plans = {k: _plan(EDGE_PROPERTIES[k]) for k in _EDGE_KEYS}
    quoted: dict[str, str] = {}
    for n, d in nodes.items():
        s, uid, gname = info[n]
        here = [] if n in merged else node_statements(d)
        others: dict[str | None, list[tuple[str, str]]] = {}  # statements of this subject in other named graphs
        later: list[Block] = []
        for v, keyed in adj[n].items():
            sv, vid, vgraph = info[v]
            eg = gname or vgraph
            into = here if eg == gname else others.setdefault(eg, [])
            for rel, e in keyed.items():
                if rel == "CITES":
                    citations(s, into, [(vid, loc) for loc in e.get("locators", [])], e.get("uncertain"), eg, later)
                    continue
                into.append((rels[rel], sv))
                if rel not in quals:
                    continue
                base, cls, subj, obj = quals[rel]
                if (qu := quoted.get(uid)) is None:
                    qu = quoted[uid] = _quote(uid)
                if (qv := quoted.get(vid)) is None:
                    qv = quoted[vid] = _quote(vid)
                q = f"<{base}{qu}/{qv}>"
                qs = [cls, (subj, s), (obj, sv)]
                for k, (p, kind, prop) in edge_plans.items():
                    if k in e:
                        for x in e[k] if isinstance(e[k], list) else (e[k],):
                            qs.append((p, iri(prop.target or "", x) if kind == _IRI_VALUE else _nt_value(x, prop)))
                cites: list[Block] = []
                citations(q, qs, zip(e.get("source_ids", []), e.get("locators", []), strict=True), None, eg, cites)
                if e.get("uncertain"):
                    qs.append((_UNCERTAIN, esc(e["uncertain"])))
                later.append((eg, q, qs))
                later += cites
        if here:
            yield (gname, s, list(dict.fromkeys(here)))
        for eg, more in others.items():
            yield (eg, s, list(dict.fromkeys(more)))
        yield from later


_UNESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_UNESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(m: re.Match[str]) -> str:
    c = m.group(1)
    return chr(int(c[1:], 16)) if len(c) > 1 else _UNESCAPED[c]


def _term(nt: str) -> Term:
    """An N-Triples term as a tuple: ``("iri", v)`` or ``("lit", v, datatype)``.

    >>> _term("<http://x>"), _term('"a \\\\"b\\\\"\\\\n"')
    (('iri', 'http://x'), ('lit', 'a "b"\\n', 'http://www.w3.org/2001/XMLSchema#string'))
    >>> _term('"1"^^<http://www.w3.org/2001/XMLSchema#integer>')
    ('lit', '1', 'http://www.w3.org/2001/XMLSchema#integer')
    """
    if nt[0] == "<":
        return ("iri", nt[1:-1])
    end, datatype = (len(nt) - 1, _STRING) if nt[-1] == '"' else (nt.rindex('"^^<'), nt[nt.rindex('"^^<') + 4 : -1])
    return ("lit", _UNESCAPE.sub(_unescape, nt[1:end]), datatype)


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



def _rdflib_term(t: Term) -> Any:
    from rdflib import Literal, URIRef

    if t[0] == "iri":
        return URIRef(t[1])
    return Literal(t[1]) if t[2] == _STRING else Literal(t[1], datatype=URIRef(t[2]))


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


# --- text: N-Triples, N-Quads, Turtle, TriG -------------------------------------------------------

_PN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _prefixed(term: str) -> str:
    """An IRI term as a prefixed name when :data:`PREFIXES` has its namespace (``<...ontology#Provision>`` ->
    ``nkg:Provision``); any other term as it is."""
    if term[0] == "<":
        for prefix, ns in PREFIXES.items():
            local = term[len(ns) + 1 : -1]
            if prefix != "sh" and term.startswith(ns, 1) and _PN_LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
    return term


class _Names(dict[str, str]):
    """Predicates and classes as Turtle writes them (``a`` for rdf:type), computed once each."""

    def __missing__(self, term: str) -> str:
        name = self[term] = "a" if term == _TYPE else _prefixed(term)
        return name


def _turtle(s: str, pairs: list[tuple[str, str]], names: _Names) -> str:
    """One subject's statements in Turtle: predicates and classes as prefixed names, other terms as in N-Triples."""
    return s + " " + " ;\n    ".join([f"a {names[o]}" if p == _TYPE else f"{names[p]} {o}" for p, o in pairs]) + " .\n"


def _prologue() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items() if p != "sh") + "\n"


def text(g: nx.MultiDiGraph, fmt: str) -> Iterator[str]:
    """The graph as ``ntriples``, ``nquads``, ``turtle`` (named graphs merged) or ``trig`` text, in pieces.

    Every statement once (per named graph), grouped by subject, in the order of :func:`blocks`:
    deterministic for a given graph.
    """
    names = _Names()
    if fmt == "ntriples":
        for _, s, pairs in blocks(g):
            yield s + " " + f" .\n{s} ".join(map(" ".join, pairs)) + " .\n"
    elif fmt == "nquads":
        for gname, s, pairs in blocks(g):
            end = f" <{gname}> .\n" if gname else " .\n"
            yield s + " " + f"{end}{s} ".join(map(" ".join, pairs)) + end
    elif fmt == "turtle":
        yield _prologue()
        for _, s, pairs in blocks(g):
            yield _turtle(s, pairs, names)
    elif fmt == "trig":
        yield _prologue()
        named: dict[str, list[str]] = {}
        for gname, s, pairs in blocks(g):
            if gname is None:
                yield _turtle(s, pairs, names)
            else:
                named.setdefault(gname, []).append(_turtle(s, pairs, names))
        for gname, parts in named.items():
            yield f"\n<{gname}> {{\n"
            yield from parts
            yield "}\n"
    else:
        raise ValueError(f"unknown RDF text format {fmt!r} (ntriples, nquads, turtle, trig)")


def ntriples(g: nx.MultiDiGraph) -> str:
    """The graph as N-Triples (named graphs merged), grouped by subject: see :func:`text`."""
    return "".join(text(g, "ntriples"))


def serialize(g: nx.MultiDiGraph, fmt: str) -> bytes:
    """The graph in ``turtle``, ``trig`` (one named graph per negotiation), ``nquads`` or ``ntriples``, as UTF-8."""
    return "".join(text(g, fmt)).encode("utf-8")


def to_store(g: nx.MultiDiGraph, chunk: int = 1 << 22) -> pyoxigraph.Store:
    """A new in-memory pyoxigraph Store holding the graph in its default graph.

    The N-Triples are bulk-loaded in chunks of about ``chunk`` characters by a second thread while this one
    writes the next chunk (pyoxigraph releases the GIL while it loads). ``lenient``: the IRIs are built here,
    percent-encoded, so pyoxigraph need not validate them again.
    """
    import queue
    import threading

    import pyoxigraph

    store = pyoxigraph.Store()
    todo: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def load() -> None:
        while (data := todo.get()) is not None:
            if not failed:
                try:
                    store.bulk_load(data, pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
                except BaseException as e:  # re-raised by the caller's thread
                    failed.append(e)

    worker = threading.Thread(target=load, name="negkg-store-load", daemon=True)
    worker.start()
    try:
        parts: list[str] = []
        size = 0
        for piece in text(g, "ntriples"):
            parts.append(piece)
            size += len(piece)
            if size >= chunk:
                todo.put("".join(parts).encode())
                parts, size = [], 0
                if failed:
                    break
        if parts and not failed:
            todo.put("".join(parts).encode())
    finally:
        todo.put(None)
        worker.join()
    if failed:
        raise failed[0]
    return store
