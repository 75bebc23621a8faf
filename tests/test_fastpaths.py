"""The fast paths of issue 16 give exactly what the plain ways give.

- RDF: the N-Triples, Turtle, TriG and store built from :func:`kg.rdf.mapping.blocks` hold exactly the
  statements of the plain, term-by-term rendering of the mapping (:func:`kg.rdf.mapping.quads`), dataset
  description, qualified relations (strength, funding, lineage) and citations included;
- LadybugDB: the database loaded from CSV files holds what the row-by-row ``COPY ... FROM (UNWIND ...)``
  load holds (every property, FUNDS amounts included).

On the mini corpus, the shipped corpus (30 cases), tests/fixtures/analysis, a small synthetic corpus and a
graph of awkward strings.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from kg import api, synth
from kg.rdf import mapping as m

AWKWARD = ['say "hi"', "back\\slash", "line\nbreak", "cr\r\nlf", "tab\there", "ctrl\x01\x1f", "ünïcödé 😀", "\u2028",
           "<b>&amp;</b>", "", " ", "'single'", "trailing\\"]


@pytest.fixture(scope="module")
def graphs(graph, mini_graph, analysis_graph, tmp_path_factory) -> dict[str, Any]:
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
    return {"mini": mini_graph, "corpus": graph, "analysis": analysis_graph, "synth": api.graph(data_dir=corpus),
            "awkward": awkward}


# ---------------------------------------------------------------- RDF


def reference_quads(g: Any) -> set[tuple[Any, ...]]:
    """The plain rendering of the mapping: :func:`kg.rdf.mapping.quads`, term by term as tuples (no blocks)."""
    return set(m.quads(g))


def block_quads(g: Any) -> list[tuple[Any, ...]]:
    """The statements of :func:`kg.rdf.mapping.blocks`, parsed back into tuples."""
    return [(m._term(s), m._term(p), m._term(o), gn) for gn, s, pairs in m.blocks(g) for p, o in pairs]


def _ox(t: tuple[str, ...]) -> Any:
    return ox.NamedNode(t[1]) if t[0] == "iri" else ox.Literal(t[1], datatype=ox.NamedNode(t[2]))


def _ox_quads(quads: set[tuple[Any, ...]], named: bool) -> set[ox.Quad]:
    return {ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode(gn) if named and gn else ox.DefaultGraph()) for s, p, o, gn in quads}


@pytest.mark.parametrize("name", ["mini", "corpus", "analysis", "synth", "awkward"])
def test_rdf_text_and_store_hold_the_mapping(graphs, name):
    g = graphs[name]
    want = reference_quads(g)
    got = block_quads(g)
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


# ---------------------------------------------------------------- LadybugDB


def _content(db: Any) -> dict[str, Any]:
    from kg.cypher import mapping

    out = {}
    for label in mapping.LABELS:
        out[label] = sorted(map(repr, db.query(f"MATCH (n:{label}) RETURN n")[1]))
    for rel in mapping.REL_TYPES:
        out[rel] = sorted(map(repr, db.query(f"MATCH (a)-[r:{rel}]->(b) RETURN a.id, b.id, r")[1]))
    return out


@pytest.mark.parametrize("name", ["corpus", "analysis", "awkward"])
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
    for bad in ([], [""], ["a", ""], [f"x{_SEP}y"], {"a": 1}, float("nan"), float("inf")):
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

