"""The fast paths of issue 16 give exactly what the plain ways give.

- RDF: the N-Triples, Turtle, TriG and store built from :func:`kg.rdf.mapping.blocks` hold the same statements
  as a plain, term-by-term rendering of the mapping (:func:`reference_quads`, the mapping as it was written
  before the fast path);
- GraphML: :func:`kg.sinks.graphml.dumps` is byte for byte networkx's writer;
- LadybugDB: the database loaded from CSV files holds what the row-by-row ``UNWIND`` load holds.

On the mini corpus, the shipped corpus, a small synthetic corpus and a graph of awkward strings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from kg import api, model, synth
from kg.rdf import mapping as m

AWKWARD = ['say "hi"', "back\\slash", "line\nbreak", "cr\r\nlf", "tab\there", "ctrl\x01\x1f", "ünïcödé 😀", "\u2028",
           "<b>&amp;</b>", "", " ", "'single'", "trailing\\"]


@pytest.fixture(scope="module")
def graphs(graph, mini_graph, tmp_path_factory) -> dict[str, Any]:
    corpus = synth.generate(4, seed=3, out_dir=tmp_path_factory.mktemp("synth"))
    awkward = mini_graph.copy()
    for i, (_, d) in enumerate(sorted(awkward.nodes(data=True))):
        if d["type"] in ("Party", "Interest", "Provision", "Source", "Position"):
            d["name"] = AWKWARD[i % len(AWKWARD)] + d["name"]
            d["description"] = "".join(AWKWARD)
    for i, (*_, e) in enumerate(awkward.edges(keys=True, data=True)):
        if e.get("locators"):
            e["locators"] = [AWKWARD[(i + j) % len(AWKWARD)] or "x" for j in range(len(e["locators"]))]
        e["uncertain"] = AWKWARD[i % len(AWKWARD)] or None
        if e["uncertain"] is None:
            del e["uncertain"]
    awkward.add_node("Party:odd id/ü", type="Party", id="odd id/ü", name="Odd", kind="state", wikidata="Q42")
    return {"mini": mini_graph, "corpus": graph, "synth": api.graph(data_dir=corpus), "awkward": awkward}


# ---------------------------------------------------------------- RDF


def _lit(value: Any, prop: m.Prop) -> tuple[str, ...]:
    if prop.datatype == "date":
        return ("lit", str(value), m.XSD + {4: "gYear", 7: "gYearMonth", 10: "date"}[len(str(value))])
    if isinstance(value, bool):
        return ("lit", "true" if value else "false", m.XSD + "boolean")
    return ("lit", str(value), prop.datatype)


def _terms(prop: m.Prop, value: Any) -> Iterator[tuple[str, ...]]:
    for v in value if isinstance(value, list) else [value]:
        yield ("iri", m.node_iri(prop.target or "", v)) if prop.kind in ("object", "vocab") else _lit(v, prop)


def _citations(claim: str, pairs: Any, uncertain: str | None, gname: str | None) -> Iterator[tuple[Any, ...]]:
    for sid, loc in pairs:
        src = ("iri", m.node_iri("Source", sid))
        digest = hashlib.sha1(f"{sid}\n{loc}".encode()).hexdigest()[:12]
        c = ("iri", f"{claim}#citation-{digest}")
        yield (("iri", claim), ("iri", m.PROV + "wasDerivedFrom"), src, gname)
        yield (("iri", claim), ("iri", m.QUALIFIED_DERIVATION), c, gname)
        yield (c, ("iri", m.RDF_TYPE), ("iri", m.CITATION), gname)
        yield (c, ("iri", m.RDF_TYPE), ("iri", m.PROV + "Derivation"), gname)
        yield (c, ("iri", m.CITED_SOURCE), src, gname)
        yield (c, ("iri", m.LOCATOR), ("lit", loc, m.XSD + "string"), gname)
        if uncertain:
            yield (c, ("iri", m.PROPERTIES["uncertain"].iri), ("lit", uncertain, m.XSD + "string"), gname)


def _vocabularies() -> Iterator[tuple[Any, ...]]:
    s = lambda v: ("iri", m.SKOS + v)  # noqa: E731
    string = m.XSD + "string"
    for vocab, concepts in model.VOCABULARIES.items():
        scheme = ("iri", m.scheme_iri(vocab))
        yield (scheme, ("iri", m.RDF_TYPE), s("ConceptScheme"), None)
        yield (scheme, s("prefLabel"), ("lit", "".join(f" {c}" if c.isupper() and i else c for i, c in enumerate(vocab)),
                                         string), None)
        for cid, c in concepts.items():
            ci = ("iri", m.node_iri(vocab, cid))
            yield from ((ci, ("iri", m.RDF_TYPE), s("Concept"), None),
                        (ci, ("iri", m.RDF_TYPE), ("iri", m.class_iri(vocab)), None),
                        (ci, s("inScheme"), scheme, None), (ci, s("topConceptOf"), scheme, None),
                        (ci, s("prefLabel"), ("lit", c.label, string), None),
                        (ci, s("definition"), ("lit", c.definition, string), None),
                        (ci, s("notation"), ("lit", cid, string), None),
                        (ci, ("iri", m.DCT + "identifier"), ("lit", cid, string), None))
            if c.integrative is not None:
                yield (ci, ("iri", m.NKG + "integrative"), _lit(c.integrative, m.PROPERTIES["integrative"]), None)


def reference_quads(g: Any) -> set[tuple[Any, ...]]:
    """The mapping, term by term and statement by statement (no memo, no blocks)."""
    out = set(_vocabularies())

    def case(d: dict[str, Any]) -> str | None:
        return d.get("negotiation") or (d["id"] if d["type"] == "Negotiation" else None)

    for _, d in g.nodes(data=True):
        s = ("iri", m.node_iri(d["type"], d["id"]))
        gname = m.graph_iri(c) if (c := case(d)) else None
        out.add((s, ("iri", m.RDF_TYPE), ("iri", m.class_iri(d["type"])), gname))
        for k, v in d.items():
            if k != "type":
                prop = m.prop_for(d["type"], k)
                out |= {(s, ("iri", prop.iri), o, gname) for o in _terms(prop, v)}
            if k == "wikidata":
                out.add((s, ("iri", m.SAME_AS), ("iri", m.WIKIDATA + quote(v, safe="")), gname))
    for u, v, rel, e in g.edges(keys=True, data=True):
        du, dv = g.nodes[u], g.nodes[v]
        su, sv = m.node_iri(du["type"], du["id"]), m.node_iri(dv["type"], dv["id"])
        gname = m.graph_iri(c) if (c := case(du) or case(dv)) else None
        if rel == "CITES":
            out |= set(_citations(su, [(dv["id"], loc) for loc in e.get("locators", [])], e.get("uncertain"), gname))
            continue
        out.add((("iri", su), ("iri", m.RELATION_PREDICATES[rel]), ("iri", sv), gname))
        if rel not in m.QUALIFIED:
            continue
        qd = m.QUALIFIED[rel]
        q = ("iri", f"{m.ID}{m.kebab(qd.cls)}/{quote(du['id'], safe='/')}/{quote(dv['id'], safe='/')}")
        out |= {(q, ("iri", m.RDF_TYPE), ("iri", m.class_iri(qd.cls)), gname),
                (q, ("iri", m.NKG + qd.subject), ("iri", su), gname), (q, ("iri", m.NKG + qd.object), ("iri", sv), gname)}
        for k, prop in m.EDGE_PROPERTIES.items():
            if k != "uncertain" and k in e:
                out |= {(q, ("iri", prop.iri), o, gname) for o in _terms(prop, e[k])}
        out |= set(_citations(q[1], zip(e.get("source_ids", []), e.get("locators", []), strict=True), None, gname))
        if e.get("uncertain"):
            out.add((q, ("iri", m.PROPERTIES["uncertain"].iri), ("lit", e["uncertain"], m.XSD + "string"), gname))
    return out


def _ox(t: tuple[str, ...]) -> Any:
    return ox.NamedNode(t[1]) if t[0] == "iri" else ox.Literal(t[1], datatype=ox.NamedNode(t[2]))


def _ox_quads(quads: set[tuple[Any, ...]], named: bool) -> set[ox.Quad]:
    return {ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode(gn) if named and gn else ox.DefaultGraph()) for s, p, o, gn in quads}


@pytest.mark.parametrize("name", ["mini", "corpus", "synth", "awkward"])
def test_rdf_text_and_store_hold_the_mapping(graphs, name):
    g = graphs[name]
    want = reference_quads(g)
    got = list(m.quads(g))
    assert len(got) == len(set(got)) and set(got) == want  # every statement, once
    triples, quads = _ox_quads(want, named=False), _ox_quads(want, named=True)
    lines = m.ntriples(g).split("\n")[:-1]  # not splitlines(): U+2028 is a line break to Python, not to N-Triples
    assert len(lines) == len(set(lines)) == len(triples)
    for fmt, oxfmt, expect in (("ntriples", ox.RdfFormat.N_TRIPLES, triples), ("turtle", ox.RdfFormat.TURTLE, triples),
                               ("trig", ox.RdfFormat.TRIG, quads), ("nquads", ox.RdfFormat.N_QUADS, quads)):
        assert set(ox.parse(m.serialize(g, fmt), oxfmt)) == expect, fmt
    assert set(m.to_store(g)) == triples
    assert set(m.to_store(g, chunk=1000)) == triples  # loaded in many chunks from the second thread


def test_rdf_text_is_deterministic_and_rdflib_reads_it(graphs):
    import rdflib

    g = graphs["corpus"]
    want = reference_quads(g)
    for fmt, rdflib_fmt in (("turtle", "turtle"), ("ntriples", "nt"), ("trig", "trig")):
        text = m.serialize(g, fmt)
        assert text == m.serialize(g.copy(), fmt)
        if fmt == "trig":
            ds = rdflib.Dataset().parse(data=text, format="trig")
            assert len(list(ds.quads((None, None, None, None)))) == len(want)
        else:
            assert len(rdflib.Graph().parse(data=text, format=rdflib_fmt)) == len({q[:3] for q in want})


def test_a_store_load_failure_reaches_the_caller(graphs, monkeypatch):
    def broken(*_: Any) -> Any:
        yield "this is not N-Triples\n"

    monkeypatch.setattr(m, "text", broken)
    with pytest.raises(SyntaxError):
        m.to_store(graphs["mini"])


# ---------------------------------------------------------------- GraphML


@pytest.mark.parametrize("name", ["mini", "corpus", "synth", "awkward"])
def test_graphml_is_networkx_byte_for_byte(graphs, name, tmp_path):
    from kg.sinks import graphml

    g = graphs[name]
    if name == "awkward":  # XML cannot hold control characters: both refuse them
        assert graphml.dumps(g) is None
        g = g.copy()
        for _, d in g.nodes(data=True):
            d.update({k: v.replace("\x01", "").replace("\x1f", "") for k, v in d.items() if isinstance(v, str)})
        for *_, d in g.edges(keys=True, data=True):
            d.update({k: [x.replace("\x01", "").replace("\x1f", "") for x in v] if isinstance(v, list) else
                      v.replace("\x01", "").replace("\x1f", "") if isinstance(v, str) else v for k, v in d.items()})
    graphml._write_networkx(g, tmp_path / "nx.graphml")
    graphml.write(g, tmp_path / "fast.graphml")
    assert (tmp_path / "fast.graphml").read_bytes() == (tmp_path / "nx.graphml").read_bytes()


# ---------------------------------------------------------------- LadybugDB


def _content(db: Any) -> dict[str, Any]:
    from kg.cypher import mapping

    out = {}
    for label in mapping.LABELS:
        out[label] = sorted(map(repr, db.query(f"MATCH (n:{label}) RETURN n")[1]))
    for rel in mapping.REL_TYPES:
        out[rel] = sorted(map(repr, db.query(f"MATCH (a)-[r:{rel}]->(b) RETURN a.id, b.id, r")[1]))
    return out


@pytest.mark.parametrize("name", ["corpus", "awkward"])
def test_ladybug_csv_load_equals_the_row_load(graphs, name, tmp_path):
    from kg.cypher import embedded

    g = graphs[name].copy()
    if name == "awkward":  # an empty list item cannot go through CSV: that table falls back to rows
        u, v, k = next((u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if d.get("locators") and k == "SERVES")
        g.edges[u, v, k]["locators"][0] = ""
    import ladybug

    contents = []
    for csv in (True, False):
        where = tmp_path / ("csv" if csv else "rows")
        where.mkdir()
        db = ladybug.Database(str(where / "graph.lbug"))
        assert embedded.load(db, g, csv=csv) == g.number_of_nodes() + g.number_of_edges()
        db.close()
        emb = embedded.Embedded(where / "graph.lbug")
        contents.append(_content(emb))
        emb.close()
    assert contents[0] == contents[1]
    assert sum(len(v) for v in contents[0].values()) == g.number_of_nodes() + g.number_of_edges()


def test_ladybug_csv_cells():
    from kg.cypher.embedded import _SEP, _csv_cell

    assert _csv_cell(["a, b", 'c"d']) == f'"a, b{_SEP}c""d"'
    for bad in ([], [""], ["a", ""], [f"x{_SEP}y"], {"a": 1}, 1.5):
        with pytest.raises(ValueError):
            _csv_cell(bad)


def test_ladybug_refuses_what_is_not_the_model(mini_graph, tmp_path):
    import ladybug

    from kg.cypher import embedded
    from kg.errors import InvalidInput

    g = mini_graph.copy()
    g.add_edge("Party:alpha", "Party:beta", key="LIKES")
    db = ladybug.Database(str(tmp_path / "graph.lbug"))
    with pytest.raises(InvalidInput, match="does not fit the property-graph mapping"):
        embedded.load(db, g)
    db.close()

