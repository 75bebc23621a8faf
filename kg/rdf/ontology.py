"""The OWL ontology, the SHACL shapes and the JSON-LD context, generated from :mod:`kg.model`
through :mod:`kg.rdf.mapping`.

The generated files ship in the package (``kg/rdf/ontology.ttl``, ``shapes.ttl``, ``context.jsonld``);
tests check that they equal what this module generates. Regenerate them with::

    python -m kg.rdf.ontology

>>> from kg.rdf.ontology import ontology
>>> len(ontology()) > 300
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import model, schema
from kg.rdf import mapping as m

if TYPE_CHECKING:
    import rdflib

__all__ = ["ontology", "shapes", "context", "write_files", "FILES", "ONTOLOGY_IRI", "SHAPES_NS"]

HERE = Path(__file__).resolve().parent
FILES = {"ontology": HERE / "ontology.ttl", "shapes": HERE / "shapes.ttl", "context": HERE / "context.jsonld"}
ONTOLOGY_IRI = m.BASE + "ontology"
SHAPES_NS = m.BASE + "shapes#"
CONTEXT_URL = m.BASE + "context.jsonld"

ENTITY_TYPES = tuple(t for t in model.NODE_TYPES if t not in model.VOCABULARIES)
#: where an entity's fields are authored (for required-ness): node type -> pydantic model
DOCS: dict[str, type[Any]] = {
    "Negotiation": schema.CaseDoc, "Party": schema.PartyDoc, "Source": schema.SourceDoc, "Issue": schema.IssueDoc,
    "Interest": schema.InterestDoc, "Position": schema.PositionDoc, "Agreement": schema.AgreementDoc,
    "Provision": schema.ProvisionDoc,
}
_FIELD = {("Source", "name"): "title"}  # model property -> authoring field, where they differ
#: class alignments with PROV-O, schema.org and SKOS
SUPERCLASSES: dict[str, tuple[str, ...]] = {
    "Negotiation": (m.PROV + "Activity", m.SCHEMA + "Event"),
    "Party": (m.PROV + "Agent", m.SCHEMA + "Organization"),
    "Source": (m.PROV + "Entity", m.SCHEMA + "CreativeWork"),
    "Agreement": (m.PROV + "Entity", m.SCHEMA + "Legislation"),
    "Provision": (m.PROV + "Entity",),
    "Position": (m.PROV + "Entity",),
    "Citation": (m.PROV + "Derivation",),
}
SUPERPROPERTIES: dict[str, tuple[str, ...]] = {
    m.NKG + "negotiation": (m.DCT + "isPartOf",),
    m.NKG + "agreement": (m.DCT + "isPartOf",),
    m.NKG + "contains": (m.DCT + "hasPart",),
    m.NKG + "dateSigned": (m.DCT + "date",),
    m.NKG + "dateAdopted": (m.DCT + "date",),
    m.NKG + "dateInForce": (m.DCT + "valid",),
    m.NKG + "memberOf": (m.SCHEMA + "memberOf",),
    m.NKG + "wikidata": (m.DCT + "identifier",),
}
#: cardinalities of relations required by the authoring format (checked against kg.schema by the tests)
MIN_COUNTS: tuple[tuple[str, str, bool, int, str], ...] = (
    # (class, relation, inverse, minCount, schema field it comes from)
    ("Provision", "USES_MECHANISM", False, 1, "ProvisionDoc.mechanisms"),
    ("Interest", "HAS_INTEREST", True, 1, "InterestDoc.holders"),
    ("Negotiation", "PARTICIPATED_IN", True, 2, "CaseDoc.parties"),
    ("Negotiation", "CONCERNS", False, 1, "CaseDoc.issues"),
    ("Agreement", "CONTAINS", False, 1, "AgreementDoc.provisions"),
)
_PARTICIPANT_CHECKS = (  # (class, path from the focus node to a party, message)
    ("Holding", "nkg:holder", "the holder of an interest must participate in the interest's negotiation"),
    ("Funding", "nkg:funder", "the funder of a provision must participate in the provision's negotiation"),
    ("Position", "nkg:party", "the party of a position must participate in the position's negotiation"),
)
_NEGOTIATION_OF = {"Holding": "nkg:heldInterest/nkg:negotiation", "Funding": "nkg:fundedProvision/nkg:negotiation",
                   "Position": "nkg:negotiation"}


def _label(name: str) -> str:
    return m.kebab(name).replace("-", " ").replace("_", " ")


def _prefixes() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in m.PREFIXES.items())


def _node_props() -> dict[str, tuple[m.Prop, list[str]]]:
    """Every node-property IRI of the mapping with the classes that use it."""
    out: dict[str, tuple[m.Prop, list[str]]] = {}
    for t, nt in model.NODE_TYPES.items():
        for p in nt.properties:
            prop = m.prop_for(t, p)
            out.setdefault(prop.iri, (prop, []))[1].append(t)
    return out


def _range(prop: m.Prop) -> str:
    if prop.kind in ("object", "vocab"):
        return m.class_iri(prop.target or "")
    return "http://www.w3.org/2000/01/rdf-schema#Literal" if prop.datatype == "date" else prop.datatype


def ontology() -> rdflib.Graph:
    """The OWL ontology and the SKOS concept schemes, derived from the model."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

    g = Graph()
    m._bind(g)
    o = URIRef(ONTOLOGY_IRI)
    g.add((o, RDF.type, OWL.Ontology))
    g.add((o, DCTERMS.title, Literal("negotiation-kg ontology")))
    g.add((o, RDFS.comment, Literal("Historical negotiations: parties, positions, interests, issues, agreements and "
                                    "provisions, with a source for every claim. Generated from kg/model.py.")))

    def term(iri: str, kind: Any, label: str, definition: str) -> URIRef:
        u = URIRef(iri)
        g.add((u, RDF.type, kind))
        g.add((u, RDFS.label, Literal(label, lang="en")))
        if definition:
            g.add((u, SKOS.definition, Literal(definition, lang="en")))
        g.add((u, RDFS.isDefinedBy, o))
        return u

    def classes(names: list[str]) -> Any:
        if len(names) == 1:
            return URIRef(m.class_iri(names[0]))
        node = URIRef(f"{m.NKG}_union_{'_'.join(names)}")  # named, so the file round-trips without blank nodes
        g.add((node, RDF.type, OWL.Class))
        lst = URIRef(str(node) + "_members")
        Collection(g, lst, [URIRef(m.class_iri(n)) for n in names])
        g.add((node, OWL.unionOf, lst))
        return node

    for t in ENTITY_TYPES:
        c = term(m.class_iri(t), OWL.Class, _label(t), model.NODE_TYPES[t].definition)
        for sup in SUPERCLASSES.get(t, ()):
            g.add((c, RDFS.subClassOf, URIRef(sup)))
    for v in model.VOCABULARIES:
        definition = model.NODE_TYPES[v].definition if v in model.NODE_TYPES else f"A concept of the {_label(v)} vocabulary."
        c = term(m.class_iri(v), OWL.Class, _label(v), definition)
        g.add((c, RDFS.subClassOf, SKOS.Concept))
    for q in m.QUALIFIED.values():
        term(m.class_iri(q.cls), OWL.Class, _label(q.cls), q.definition)
    c = term(m.CITATION, OWL.Class, "citation", "A pointer into a source (with a locator) supporting a claim.")
    for sup in SUPERCLASSES["Citation"]:
        g.add((c, RDFS.subClassOf, URIRef(sup)))
    for name, r in model.RELATIONS.items():
        if name == "CITES":
            continue
        p = term(m.RELATION_PREDICATES[name], OWL.ObjectProperty, _label(m.camel(name)), r.definition)
        g.add((p, RDFS.domain, URIRef(m.class_iri(r.source))))
        g.add((p, RDFS.range, URIRef(m.class_iri(r.target))))
    for rel, q in m.QUALIFIED.items():
        r = model.RELATIONS[rel]
        for local, target, what in ((q.subject, r.source, "source"), (q.object, r.target, "target")):
            p = term(m.NKG + local, OWL.ObjectProperty, _label(local),
                     f"The {what} of the {rel} relation this {_label(q.cls)} stands for.")
            g.add((p, RDFS.domain, URIRef(m.class_iri(q.cls))))
            g.add((p, RDFS.range, URIRef(m.class_iri(target))))
    for iri, (prop, users) in sorted(_node_props().items()):
        if not iri.startswith(m.NKG) or (URIRef(iri), RDF.type, None) in g:
            continue
        kind = OWL.DatatypeProperty if prop.kind == "literal" else OWL.ObjectProperty
        p = term(iri, kind, _label(iri.removeprefix(m.NKG)), prop.definition)
        g.add((p, RDFS.domain, classes(sorted(set(users)))))
        g.add((p, RDFS.range, URIRef(_range(prop))))
    for key, prop in m.EDGE_PROPERTIES.items():
        if key == "uncertain":
            continue
        kind = OWL.DatatypeProperty if prop.kind == "literal" else OWL.ObjectProperty
        p = term(prop.iri, kind, key, prop.definition)
        g.add((p, RDFS.domain, classes(m.edge_property_classes(key))))
        g.add((p, RDFS.range, URIRef(_range(prop))))
    for iri, sups in SUPERPROPERTIES.items():
        for sup in sups:
            g.add((URIRef(iri), RDFS.subPropertyOf, URIRef(sup)))
    for s, p, ob, _ in m._vocabularies():
        g.add((m._rdflib_term(s), m._rdflib_term(p), m._rdflib_term(ob)))
    return g


def _min_length(field: str) -> int:
    doc, name = field.split(".")
    for meta in getattr(schema, doc).model_fields[name].metadata:
        if hasattr(meta, "min_length"):
            return int(meta.min_length)
    return 0


def shapes() -> rdflib.Graph:
    """SHACL shapes of the instance data, derived from the model, the mapping and the authoring schema."""
    from rdflib import XSD, BNode, Graph, Literal, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import RDF, SH

    g = Graph()
    m._bind(g)
    g.bind("sh", str(SH))
    g.bind("shape", SHAPES_NS)
    n = {"i": 0}

    def bnode() -> BNode:  # deterministic ids keep the shipped file stable
        n["i"] += 1
        return BNode(f"s{n['i']}")

    def node_shape(cls: str) -> URIRef:
        s = URIRef(SHAPES_NS + cls + "Shape")
        g.add((s, RDF.type, SH.NodeShape))
        g.add((s, SH.targetClass, URIRef(m.class_iri(cls) if ":" not in cls else cls)))
        return s

    def prop(shape: URIRef, path: Any, *, min_count: int = 0, max_count: int | None = None,
             datatype: str | None = None, cls: str | None = None, values: list[str] | None = None,
             pattern: str | None = None, message: str | None = None, **extra: Any) -> BNode:
        p = bnode()
        g.add((shape, SH.property, p))
        g.add((p, SH.path, path))
        if min_count:
            g.add((p, SH.minCount, Literal(min_count)))
        if max_count is not None:
            g.add((p, SH.maxCount, Literal(max_count)))
        if datatype == "date":
            alts = []
            for dt in ("date", "gYearMonth", "gYear"):
                b = bnode()
                g.add((b, SH.datatype, XSD[dt]))
                alts.append(b)
            lst = bnode()
            Collection(g, lst, alts)
            g.add((p, SH["or"], lst))
        elif datatype:
            g.add((p, SH.datatype, URIRef(datatype)))
        if cls:
            g.add((p, SH["class"], URIRef(m.class_iri(cls))))
        if values is not None:
            lst = bnode()
            Collection(g, lst, [URIRef(v) for v in values])
            g.add((p, SH["in"], lst))
        if pattern:
            g.add((p, SH.pattern, Literal(pattern)))
        if message:
            g.add((p, SH.message, Literal(message)))
        for k, v in extra.items():
            g.add((p, SH[k], v))
        return p

    def prop_constraints(shape: URIRef, prop_: m.Prop, min_count: int, multi: bool = False) -> None:
        path = URIRef(prop_.iri)
        max_count = None if (multi or prop_.multi) else 1
        if prop_.kind == "object":
            prop(shape, path, min_count=min_count, max_count=max_count, cls=prop_.target)
        elif prop_.kind == "vocab":
            vocab = prop_.target or ""
            prop(shape, path, min_count=min_count, max_count=max_count,
                 values=[m.node_iri(vocab, c) for c in model.VOCABULARIES[vocab]],
                 message=f"unknown {_label(vocab)} (not in the vocabulary)")
        else:
            prop(shape, path, min_count=min_count, max_count=max_count, datatype=prop_.datatype)

    def sparql_check(name: str, path: str, where: str, message: str) -> None:  # where: SELECT ?this ...
        """A shape whose SPARQL target selects the offending nodes (one query for the whole graph), which then
        fail ``sh:maxCount 0`` on ``path``: SHACL-AF SPARQL targets, much faster than per-node constraints."""
        s = URIRef(SHAPES_NS + name)
        g.add((s, RDF.type, SH.NodeShape))
        t = bnode()
        g.add((s, SH.target, t))
        g.add((t, RDF.type, SH.SPARQLTarget))
        g.add((t, SH.select, Literal(f"{_prefixes()}{where}")))
        prop(s, URIRef(path), max_count=0, message=message)

    slug = schema.SLUG.strip("^$")
    for t in ENTITY_TYPES:
        nt, doc = model.NODE_TYPES[t], DOCS[t]
        s = node_shape(t)
        for p in nt.properties:
            field = doc.model_fields.get(_FIELD.get((t, p), p))
            required = p == "id" or (p in ("negotiation", "agreement")) or bool(field and field.is_required())
            prop_constraints(s, m.prop_for(t, p), 1 if required else 0)
        idpat = f"^{slug}/{slug}$" if nt.case_scoped else f"^{slug}(/{slug})?$" if t == "Source" else f"^{slug}$"
        prop(s, URIRef(m.PROPERTIES["id"].iri), pattern=idpat)
        if "wikidata" in nt.properties:
            prop(s, URIRef(m.PROPERTIES["wikidata"].iri), pattern=schema.QID)
        if t == "Source":
            prop(s, URIRef(m.PROPERTIES["url"].iri), pattern="^https?://")
        if t in model.CLAIM_NODE_TYPES:
            prop(s, URIRef(m.QUALIFIED_DERIVATION), min_count=1, cls="Citation",
                 message=f"a {t} is a claim and must cite at least one source")
        for name, r in model.RELATIONS.items():
            if r.source == t and name != "CITES":
                vocab = model.VOCABULARIES.get(r.target)
                prop(s, URIRef(m.RELATION_PREDICATES[name]), cls=r.target,
                     values=[m.node_iri(r.target, c) for c in vocab] if vocab else None,
                     message=f"unknown {_label(r.target)} (not in the vocabulary)" if vocab else None)
    for cls, rel, inverse, count, field in MIN_COUNTS:
        path: Any = URIRef(m.RELATION_PREDICATES[rel])
        if inverse:
            inv = bnode()
            g.add((inv, SH.inversePath, path))
            path = inv
        prop(URIRef(SHAPES_NS + cls + "Shape"), path, min_count=count,
             message=f"{cls} needs at least {count} {rel} ({field})")
    # evidence relations: every direct triple has its qualified node, and that node cites a source
    for rel, q in m.QUALIFIED.items():
        r = model.RELATIONS[rel]
        s = node_shape(q.cls)
        prop(s, URIRef(m.NKG + q.subject), min_count=1, max_count=1, cls=r.source)
        prop(s, URIRef(m.NKG + q.object), min_count=1, max_count=1, cls=r.target)
        if r.evidence:
            prop(s, URIRef(m.QUALIFIED_DERIVATION), min_count=1, cls="Citation",
                 message=f"a {rel} claim must cite at least one source")
        for key in r.properties:
            if key in m.EDGE_PROPERTIES and key not in ("uncertain", "salience"):
                prop_constraints(s, m.EDGE_PROPERTIES[key], 1 if key == "role" else 0)
        if rel == "FUNDS":
            prop(s, URIRef(m.EDGE_PROPERTIES["currency"].iri), pattern=schema.CURRENCY)
        if rel == "HAS_INTEREST":
            prop(s, URIRef(m.EDGE_PROPERTIES["salience"].iri), max_count=1, datatype=str(XSD.integer),
                 minInclusive=Literal(1), maxInclusive=Literal(5))
        if rel == "TRADED_FOR":
            prop(s, URIRef(m.NKG + q.subject), disjoint=URIRef(m.NKG + q.object),
                 message="a provision cannot be traded for itself")
        cite = "prov:qualifiedDerivation ?citation ; " if r.evidence else ""
        what = f"{q.cls} node citing a source" if r.evidence else f"{q.cls} node"
        sparql_check(f"{q.cls}ClaimShape", m.RELATION_PREDICATES[rel],
                     "SELECT ?this WHERE {\n"
                     f"  {{ ?this <{m.RELATION_PREDICATES[rel]}> ?value . BIND(0 AS ?ok) }}\n  UNION\n"
                     f"  {{ ?q nkg:{q.subject} ?this ; nkg:{q.object} ?value ; {cite}a nkg:{q.cls} .\n"
                     f"    ?this <{m.RELATION_PREDICATES[rel]}> ?value . BIND(1 AS ?ok) }}\n"
                     "}\nGROUP BY ?this ?value HAVING (MAX(?ok) = 0)\n",
                     f"a {rel} statement has no {what}")
    for cls, path, message in _PARTICIPANT_CHECKS:
        sparql_check(f"{cls}ParticipantShape", m.NKG + path.removeprefix("nkg:"),
                     f"SELECT DISTINCT ?this WHERE {{\n  ?this {path} ?value ; {_NEGOTIATION_OF[cls]} ?negotiation .\n"
                     f"  FILTER NOT EXISTS {{ ?value nkg:participatedIn ?negotiation . }}\n}}\n", message)
    s = node_shape("Citation")
    prop(s, URIRef(m.CITED_SOURCE), min_count=1, max_count=1, cls="Source")
    prop(s, URIRef(m.LOCATOR), min_count=1, max_count=1, datatype=str(XSD.string))
    for v in ("InterestCategory", "Mechanism"):
        s = node_shape(v)
        prop(s, URIRef(m.PROPERTIES["id"].iri), min_count=1, max_count=1, datatype=str(XSD.string),
             values=None, pattern=f"^({'|'.join(model.VOCABULARIES[v])})$", message=f"unknown {_label(v)}")
    prop(URIRef(SHAPES_NS + "MechanismShape"), URIRef(m.PROPERTIES["integrative"].iri), min_count=1, max_count=1,
         datatype=str(XSD.boolean))
    return g


def context() -> dict[str, Any]:
    """The JSON-LD context: prefixes, and one term per property of the mapping (typed)."""
    ctx: dict[str, Any] = {p: ns for p, ns in m.PREFIXES.items() if p != "sh"}
    ctx["@version"] = 1.1

    def compact(iri: str) -> str:
        for p, ns in m.PREFIXES.items():
            if iri.startswith(ns) and p != "sh":
                return f"{p}:{iri.removeprefix(ns)}"
        return iri

    terms: dict[str, Any] = {}
    for iri, (prop, _) in sorted(_node_props().items()):
        if prop.kind in ("object", "vocab"):
            terms[iri] = {"@id": compact(iri), "@type": "@id"}
        elif prop.datatype not in ("date", m.XSD + "string"):
            terms[iri] = {"@id": compact(iri), "@type": compact(prop.datatype)}
    for iri in m.RELATION_PREDICATES.values():
        terms[iri] = {"@id": compact(iri), "@type": "@id"}
    for q in m.QUALIFIED.values():
        for local in (q.subject, q.object):
            terms[m.NKG + local] = {"@id": compact(m.NKG + local), "@type": "@id"}
    for prop in m.EDGE_PROPERTIES.values():
        if prop.kind == "vocab":
            terms[prop.iri] = {"@id": compact(prop.iri), "@type": "@id"}
        elif prop.datatype != m.XSD + "string":
            terms[prop.iri] = {"@id": compact(prop.iri), "@type": compact(prop.datatype)}
    for iri in (m.QUALIFIED_DERIVATION, m.CITED_SOURCE, m.SAME_AS):
        terms[iri] = {"@id": compact(iri), "@type": "@id"}
    return {"@context": ctx | {v["@id"]: v for v in terms.values() if ":" in v["@id"]}}


def _context_text() -> str:
    return json.dumps(context(), indent=2, ensure_ascii=False) + "\n"


def write_files() -> list[Path]:
    """(Re)generate the shipped ontology, shapes and context files."""
    from kg.io import atomic_write

    atomic_write(FILES["ontology"], ontology().serialize(format="turtle"))
    atomic_write(FILES["shapes"], shapes().serialize(format="turtle"))
    atomic_write(FILES["context"], _context_text())
    return list(FILES.values())


if __name__ == "__main__":
    for f in write_files():
        print(f)
