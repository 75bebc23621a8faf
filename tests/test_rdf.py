"""RDF: the mapping covers the model, the shipped ontology/shapes/context are generated from it,
SHACL agrees with the YAML validation, and every export re-parses to the same graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import model
from kg.rdf import mapping as m
from kg.rdf import ontology

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
ROOT = Path(__file__).resolve().parent.parent
RDF_TYPE = m.RDF_TYPE
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # rdflib's own Dataset internals


@pytest.fixture(scope="module")
def mini_rdf(mini_graph):
    return m.to_graph(mini_graph)


def _shipped_graph():
    from kg import api

    corpus = api.load(data_dir=ROOT / "data")
    if not corpus.cases:
        pytest.skip("the shipped corpus has no cases yet")
    return api.graph(corpus)


# --- the mapping derives from the model ---------------------------------------------------------

def test_every_model_property_and_relation_is_mapped():
    for t, nt in model.NODE_TYPES.items():
        for p in nt.properties:
            prop = m.prop_for(t, p)
            assert prop.iri.startswith(("http://", "https://")), (t, p)
            if prop.kind in ("object", "vocab"):
                assert prop.target in model.NODE_TYPES or prop.target in model.VOCABULARIES
    assert set(m.RELATION_PREDICATES) == set(model.RELATIONS)
    assert set(m.QUALIFIED) == {*model.EVIDENCE_RELATIONS, "PARTICIPATED_IN"}
    for rel in model.RELATIONS.values():
        for k in rel.properties:
            assert k in m.EDGE_PROPERTIES or k in ("source_ids", "locators", "locator"), (rel.name, k)


def test_iris_are_stable_and_documented():
    assert m.node_iri("Interest", "river-1990/stability") == "https://w3id.org/negotiation-kg/id/interest/river-1990/stability"
    assert m.node_iri("Party", "alpha") == "https://w3id.org/negotiation-kg/id/party/alpha"
    assert m.node_iri("InterestCategory", "security") == "https://w3id.org/negotiation-kg/vocab/interest-category/security"
    assert m.graph_iri("river-1990") == "https://w3id.org/negotiation-kg/graph/river-1990"
    doc = (ROOT / "docs" / "rdf.md").read_text()
    for example in ("id/provision/", "vocab/mechanism/", "graph/", "#citation-", "id/serving/"):
        assert example in doc


def test_rdf_has_every_node_and_qualified_relation(mini_graph, mini_rdf):
    from rdflib import URIRef

    for _, d in mini_graph.nodes(data=True):
        assert (URIRef(m.node_iri(d["type"], d["id"])), URIRef(RDF_TYPE), URIRef(m.class_iri(d["type"]))) in mini_rdf
    for u, v, rel in mini_graph.edges(keys=True):
        if rel in m.QUALIFIED:
            q = m.QUALIFIED[rel]
            nodes = set(mini_rdf.subjects(URIRef(m.NKG + q.subject), URIRef(m.node_iri(mini_graph.nodes[u]["type"],
                                                                                         mini_graph.nodes[u]["id"]))))
            nodes &= set(mini_rdf.subjects(URIRef(m.NKG + q.object), URIRef(m.node_iri(mini_graph.nodes[v]["type"],
                                                                                     mini_graph.nodes[v]["id"]))))
            assert len(nodes) == 1, (u, v, rel)
    # sources and salience survive on the n-ary node
    holding = URIRef(m.ID + "holding/alpha/river-1990/alpha-irrigation")
    assert mini_rdf.value(holding, URIRef(m.NKG + "salience")).toPython() == 5
    cites = list(mini_rdf.objects(holding, URIRef(m.QUALIFIED_DERIVATION)))
    assert [str(mini_rdf.value(c, URIRef(m.LOCATOR))) for c in cites] == ["p. 10"]
    assert str(mini_rdf.value(cites[0], URIRef(m.CITED_SOURCE))) == m.node_iri("Source", "smith-2001")
    alpha = URIRef(m.node_iri("Party", "alpha"))
    assert (alpha, URIRef(m.SAME_AS), URIRef(m.WIKIDATA + "Q1")) in mini_rdf


def test_ontology_declares_every_term_the_data_uses(mini_rdf):
    from rdflib import RDF, RDFS, SKOS, URIRef

    onto = ontology.ontology()
    preds = {p for p in mini_rdf.predicates() if str(p).startswith(m.NKG)}
    classes = {o for o in mini_rdf.objects(None, RDF.type) if str(o).startswith(m.NKG)}
    assert preds and classes
    for term in preds | classes:
        assert (term, RDF.type, None) in onto, term
        assert onto.value(term, RDFS.label) is not None and onto.value(term, SKOS.definition) is not None, term
    for t, nt in model.NODE_TYPES.items():
        assert str(onto.value(URIRef(m.class_iri(t)), SKOS.definition)) == nt.definition
    hi = URIRef(m.RELATION_PREDICATES["HAS_INTEREST"])
    assert onto.value(hi, RDFS.domain) == URIRef(m.class_iri("Party"))
    assert onto.value(hi, RDFS.range) == URIRef(m.class_iri("Interest"))
    for vocab, concepts in model.VOCABULARIES.items():
        members = set(onto.subjects(SKOS.inScheme, URIRef(m.scheme_iri(vocab))))
        assert members == {URIRef(m.node_iri(vocab, c)) for c in concepts}


def test_shipped_files_are_generated_from_the_model():
    from rdflib import Graph
    from rdflib.compare import isomorphic

    assert isomorphic(Graph().parse(ontology.FILES["ontology"]), ontology.ontology()), "run: python -m kg.rdf.ontology"
    assert isomorphic(Graph().parse(ontology.FILES["shapes"]), ontology.shapes()), "run: python -m kg.rdf.ontology"
    assert json.loads(ontology.FILES["context"].read_text()) == ontology.context(), "run: python -m kg.rdf.ontology"


def test_shape_cardinalities_come_from_the_schema():
    for _, _, _, count, field in ontology.MIN_COUNTS:
        assert ontology._min_length(field) == count, field


# --- SHACL agrees with the YAML validation ------------------------------------------------------

def test_valid_data_conforms(mini_graph):
    from kg.rdf.shacl import validate

    assert validate(mini_graph) == []


def test_shipped_data_conforms():
    from kg.rdf.shacl import validate

    assert [str(v) for v in validate(_shipped_graph())] == []


def _iri(type_: str, id_: str):
    from rdflib import URIRef

    return URIRef(m.node_iri(type_, id_))


def _p(local: str):
    from rdflib import URIRef

    return URIRef(local if ":" in local else m.NKG + local)


def _drop_sources(g, node):
    for c in list(g.objects(node, _p(m.QUALIFIED_DERIVATION))):
        g.remove((node, None, c))


SERVING = m.ID + "serving/river-1990/review/river-1990/alpha-irrigation"
PROVISION = ("Provision", "river-1990/review")


def _defect(kind: str, g) -> None:
    from rdflib import Literal, URIRef

    prov, serving = _iri(*PROVISION), URIRef(SERVING)
    if kind == "serves-without-source":  # YAML: serves[].sources must not be empty
        _drop_sources(g, serving)
    elif kind == "provision-without-source":  # YAML: provision sources must not be empty
        _drop_sources(g, prov)
    elif kind == "holding-without-source":
        _drop_sources(g, URIRef(m.ID + "holding/beta/river-1990/beta-power"))
    elif kind == "claim-without-qualified-node":  # a SERVES triple nobody can source
        g.add((prov, _p("serves"), _iri("Interest", "river-1990/beta-prestige")))
    elif kind == "unknown-category":  # YAML: unknown interest category
        i = _iri("Interest", "river-1990/stability")
        g.remove((i, _p("inCategory"), None))
        g.add((i, _p("inCategory"), URIRef(m.VOCAB + "interest-category/glory")))
    elif kind == "unknown-mechanism":
        g.add((prov, _p("usesMechanism"), URIRef(m.VOCAB + "mechanism/magic")))
    elif kind == "unknown-role":
        q = URIRef(m.ID + "participation/gamma/river-1990")
        g.remove((q, _p("role"), None))
        g.add((q, _p("role"), URIRef(m.VOCAB + "role/kingmaker")))
    elif kind == "unknown-party-kind":
        a = _iri("Party", "alpha")
        g.remove((a, _p("partyKind"), None))
        g.add((a, _p("partyKind"), URIRef(m.VOCAB + "party-kind/empire")))
    elif kind == "dangling-interest":  # YAML: unknown interest
        g.add((prov, _p("serves"), _iri("Interest", "river-1990/nowhere")))
    elif kind == "dangling-source":  # YAML: unknown source
        c = next(g.objects(prov, _p(m.QUALIFIED_DERIVATION)))
        g.remove((c, _p(m.CITED_SOURCE), None))
        g.add((c, _p(m.CITED_SOURCE), _iri("Source", "nobody-2020")))
    elif kind == "wrong-type-salience":  # YAML: salience must be an integer
        h = URIRef(m.ID + "holding/alpha/river-1990/alpha-irrigation")
        g.remove((h, _p("salience"), None))
        g.add((h, _p("salience"), Literal("high")))
    elif kind == "salience-out-of-range":
        h = URIRef(m.ID + "holding/alpha/river-1990/alpha-irrigation")
        g.remove((h, _p("salience"), None))
        g.add((h, _p("salience"), Literal(9)))
    elif kind == "wrong-type-reference":  # a position that is not on an issue
        g.set((_iri("Position", "river-1990/beta-dam"), _p("onIssue"), _iri("Party", "alpha")))
    elif kind == "missing-locator":  # YAML: missing required field 'locator'
        g.remove((prov, _p("locator"), None))
    elif kind == "missing-mechanism":  # YAML: mechanisms must not be empty
        g.remove((prov, _p("usesMechanism"), None))
    elif kind == "holder-not-participant":  # YAML: party (not a participant of this case)
        g.remove((URIRef(m.ID + "participation/beta/river-1990"), None, None))
        g.remove((_iri("Party", "beta"), _p("participatedIn"), None))
    elif kind == "traded-for-itself":  # YAML: a provision cannot be traded for itself
        t = URIRef(m.ID + "trade/river-1990/joint-commission/river-1990/dam-and-canals")
        g.set((t, _p("inExchangeFor"), _iri("Provision", "river-1990/joint-commission")))
    elif kind == "bad-qid":  # YAML: wikidata must match ^Q[1-9][0-9]*$
        g.set((_iri("Party", "alpha"), _p("wikidata"), Literal("Q01")))
    elif kind == "bad-id":  # YAML: ids are slugs
        g.set((_iri("Party", "alpha"), _p(m.PROPERTIES["id"].iri), Literal("Alpha Land")))
    elif kind == "two-ids":  # two entities merged under one IRI (a duplicate id)
        g.add((_iri("Party", "alpha"), _p(m.PROPERTIES["id"].iri), Literal("alpha2")))
    elif kind == "bad-date":  # YAML: not a date
        g.set((_iri("Negotiation", "river-1990"), _p(m.PROPERTIES["start_date"].iri), Literal("spring")))
    else:  # pragma: no cover
        raise AssertionError(kind)


DEFECTS = {
    "serves-without-source": "MinCountConstraintComponent",
    "provision-without-source": "MinCountConstraintComponent",
    "holding-without-source": "MinCountConstraintComponent",
    "claim-without-qualified-node": "a SERVES statement has no Serving node citing a source",
    "unknown-category": "InConstraintComponent",
    "unknown-mechanism": "InConstraintComponent",
    "unknown-role": "InConstraintComponent",
    "unknown-party-kind": "InConstraintComponent",
    "dangling-interest": "ClassConstraintComponent",
    "dangling-source": "ClassConstraintComponent",
    "wrong-type-salience": "DatatypeConstraintComponent",
    "salience-out-of-range": "MaxInclusiveConstraintComponent",
    "wrong-type-reference": "ClassConstraintComponent",
    "missing-locator": "MinCountConstraintComponent",
    "missing-mechanism": "MinCountConstraintComponent",
    "holder-not-participant": "the holder of an interest must participate in the interest's negotiation",
    "traded-for-itself": "DisjointConstraintComponent",
    "bad-qid": "PatternConstraintComponent",
    "bad-id": "PatternConstraintComponent",
    "two-ids": "MaxCountConstraintComponent",
    "bad-date": "OrConstraintComponent",
}


@pytest.mark.parametrize("kind", sorted(DEFECTS))
def test_shapes_catch_each_kind_of_error(kind, mini_rdf):
    from rdflib import Graph

    from kg.rdf.shacl import validate_rdf

    g = Graph()
    for t in mini_rdf:
        g.add(t)
    _defect(kind, g)
    found = validate_rdf(g)
    assert any(DEFECTS[kind] in (v.component, v.message) for v in found), [str(v) for v in found]


# --- exports ------------------------------------------------------------------------------------

FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD", "trig": "TRIG"}


def _quads_rdflib(path: Path, fmt: str) -> set[tuple[str, str, str, str]]:
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(path, format={"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "trig": "trig"}[fmt])
    out = set()
    for s, p, o, c in ds.quads((None, None, None, None)):
        name = "" if c is None or c == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else str(getattr(c, "identifier", c))
        out.add((s.n3(), p.n3(), _canon(o), name))
    return out


def _canon(o) -> str:
    """A literal in N-Triples form, with xsd:string written as a simple literal (as RDF 1.1 says)."""
    from rdflib import XSD, Literal

    if isinstance(o, Literal) and o.datatype == XSD.string:
        o = Literal(str(o))
    return o.n3()


def _quads_oxigraph(path: Path, fmt: str) -> set[tuple[str, str, str, str]]:
    import pyoxigraph
    import rdflib

    store = pyoxigraph.Store()
    store.load(path=str(path), format=getattr(pyoxigraph.RdfFormat, FORMATS[fmt]))
    nq = store.dump(format=pyoxigraph.RdfFormat.N_QUADS).decode()
    ds = rdflib.Dataset()
    ds.parse(data=nq, format="nquads")
    out = set()
    for s, p, o, c in ds.quads((None, None, None, None)):
        name = "" if c is None or c == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else str(getattr(c, "identifier", c))
        out.add((s.n3(), p.n3(), _canon(o), name))
    return out


def _expected(g) -> set[tuple[str, str, str, str]]:
    from rdflib import Literal, URIRef

    out = set()
    for s, p, o, gname in m.quads(g):
        terms = [URIRef(t[1]).n3() if t[0] == "iri" else _canon(Literal(t[1], datatype=URIRef(t[2])))
                 for t in (s, p, o)]
        out.add((*terms, gname or ""))
    return out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exports_reparse_to_the_same_graph(fmt, mini_graph, tmp_path):
    from kg import sinks

    path = tmp_path / f"g.{sinks.sink(fmt).EXTENSION}"
    sinks.write(mini_graph, fmt, path)
    want = _expected(mini_graph)
    if fmt != "trig":  # named graphs merged
        want = {(s, p, o, "") for s, p, o, _ in want}
    got_rdflib, got_ox = _quads_rdflib(path, fmt), _quads_oxigraph(path, fmt)
    assert got_rdflib == want
    assert got_ox == want


def test_exports_are_isomorphic_graphs(mini_graph, tmp_path):
    import pyoxigraph
    import rdflib
    from rdflib.compare import isomorphic

    from kg import sinks

    ref = m.to_graph(mini_graph)
    for fmt, rdflib_fmt in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")):
        path = tmp_path / f"g.{sinks.sink(fmt).EXTENSION}"
        sinks.write(mini_graph, fmt, path)
        assert isomorphic(rdflib.Graph().parse(path, format=rdflib_fmt), ref), fmt
        store = pyoxigraph.Store()
        store.load(path=str(path), format=getattr(pyoxigraph.RdfFormat, FORMATS[fmt]))
        back = rdflib.Graph().parse(data=store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES,
                                                    from_graph=pyoxigraph.DefaultGraph()).decode(), format="nt")
        assert isomorphic(back, ref), fmt


def test_trig_has_one_named_graph_per_negotiation(tmp_path):
    import rdflib

    from kg.sinks import trig

    g = _shipped_graph()
    path = tmp_path / "g.trig"
    trig.write(g, path)
    ds = rdflib.Dataset().parse(path, format="trig")
    names = {str(c.identifier) for c in ds.graphs() if c.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID}
    cases = {d["id"] for _, d in g.nodes(data=True) if d["type"] == "Negotiation"}
    assert names == {m.graph_iri(c) for c in cases}
    default = ds.graph(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)
    party = next(d["id"] for _, d in g.nodes(data=True) if d["type"] == "Party")
    assert (rdflib.URIRef(m.node_iri("Party", party)), rdflib.RDF.type, None) in default
    for c in cases:
        neg = rdflib.URIRef(m.node_iri("Negotiation", c))
        assert (neg, rdflib.RDF.type, rdflib.URIRef(m.class_iri("Negotiation"))) in ds.graph(rdflib.URIRef(m.graph_iri(c)))


def test_jsonld_uses_the_published_context(mini_graph, tmp_path):
    from kg.sinks import jsonld

    path = tmp_path / "g.jsonld"
    jsonld.write(mini_graph, path)
    doc = json.loads(path.read_text())
    assert doc["@context"] == json.loads(ontology.FILES["context"].read_text())["@context"]
    assert "@graph" in doc


def _cli(main, args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def test_export_cli_writes_each_format(tmp_path, monkeypatch):
    from kg.cli import main

    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    for fmt in FORMATS:
        out = tmp_path / f"g.{fmt}"
        assert _cli(main, ["export", "--format", fmt, "--out", str(out)]) == 0
        assert out.stat().st_size > 1000


def test_validate_shacl_cli(monkeypatch, capsys):
    from kg.cli import main

    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    assert _cli(main, ["validate", "--shacl"]) == 0
    assert "0 violations" in capsys.readouterr().out
