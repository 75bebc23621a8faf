"""Cypher: the property-graph mapping, the query library on the embedded engine (LadybugDB), read-only gates.

Every library question must give exactly the native answer (kg.analysis) on the invented mini corpus
and on the shipped corpus, for every case and party; Neo4j is covered in tests/test_neo4j.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg import api, model
from kg.errors import UsageError
from kg.queries import LIBRARY, parse_header
from tests.equivalence import library_calls

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries" / "cypher"


# ---------------------------------------------------------------- the library files


def test_every_question_has_a_cypher_text_with_the_library_header():
    files = sorted(QUERIES.glob("*.cypher"))
    names = {p.name.split(".")[0] for p in files}
    assert names == set(LIBRARY)
    for p in files:
        name = p.name.split(".")[0]
        assert parse_header(p.read_text(encoding="utf-8")) == LIBRARY[name].header(), p.name
        engine = p.name.removesuffix(".cypher").partition(".")[2]
        assert engine in ("", "ladybug", "neo4j"), p.name


def _code(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


#: each LadybugDB variant and the dialect substitutions that turn the common text into it
DIALECT = {
    "evidence": (("labels(n)[0]", "label(n)"), ("type(r)", "label(r)"), ("null AS object", "CAST(NULL AS STRING) AS object")),
}


def engine_dialect(text: str) -> str:
    from kg.cypher.engine import ladybug_dialect

    return ladybug_dialect(text)


def test_ladybug_reads_variable_length_patterns_as_neo4j_does():
    """Without TRAIL, LadybugDB walks (a relationship may repeat): the same package would be counted many times."""
    from kg.cypher.engine import ladybug_dialect, query_text

    assert "* TRAIL 0..30]" in query_text("value-creating-provisions", "ladybug")
    assert "*0..30]" in query_text("value-creating-provisions", "neo4j")
    assert ladybug_dialect("RETURN split(x, '|')[-1]") == "RETURN string_split(x, '|')[-1]"


def test_per_engine_variants_differ_only_in_the_documented_dialect():
    """Each ``NAME.ladybug.cypher`` is ``NAME.cypher`` with LadybugDB's names (labels, types, typed nulls, split)."""
    variants = sorted(p.name for p in QUERIES.glob("*.*.cypher"))
    assert variants == [f"{n}.ladybug.cypher" for n in sorted(DIALECT)]  # documented in docs/cypher.md
    doc = (ROOT / "docs" / "cypher.md").read_text(encoding="utf-8")
    for name, subs in DIALECT.items():
        common = _code((QUERIES / f"{name}.cypher").read_text(encoding="utf-8"))
        variant = _code((QUERIES / f"{name}.ladybug.cypher").read_text(encoding="utf-8"))
        translated = engine_dialect(common)
        for a, b in subs:
            translated = translated.replace(a, b)
        assert translated == variant and common != variant, name
        assert f"{name}.ladybug.cypher" in doc


def test_engine_picks_the_variant():
    from kg.cypher import engine

    assert engine.variant_path("evidence", "ladybug").name == "evidence.ladybug.cypher"
    assert engine.variant_path("evidence", "neo4j").name == "evidence.cypher"
    assert engine.variant_path("trades", "ladybug").name == "trades.cypher"


# ---------------------------------------------------------------- the mapping


def test_mapping_follows_the_model():
    from kg.cypher import mapping

    assert (tuple(model.NODE_TYPES), tuple(model.RELATIONS)) == (mapping.LABELS, mapping.REL_TYPES)
    for t, nt in model.NODE_TYPES.items():
        assert [p for p, _ in mapping.node_properties(t)] == list(dict.fromkeys(nt.properties))
    for r in model.RELATIONS.values():
        names = [p for p, _ in mapping.rel_properties(r.name)]
        assert set(r.properties) <= set(names)
        if r.evidence:
            assert {"source_ids", "locators", "uncertain"} <= set(names)
    assert len(mapping.neo4j_constraints()) == len(model.NODE_TYPES)
    assert all("REQUIRE n.id IS UNIQUE" in c and "IF NOT EXISTS" in c for c in mapping.neo4j_constraints())
    ddl = mapping.ladybug_schema()
    assert len(ddl) == len(model.NODE_TYPES) + len(model.RELATIONS)
    assert "FROM Provision TO Source" in next(d for d in ddl if d.startswith("CREATE REL TABLE CITES("))
    for bad in ("Party) DETACH DELETE (n", "party", ""):
        with pytest.raises(UsageError):
            mapping.check_label(bad)
    with pytest.raises(UsageError):
        mapping.check_rel_type("SERVES]->() DELETE r //")


def test_docs_describe_every_label_and_type():
    from kg.cypher import mapping

    doc = (ROOT / "docs" / "cypher.md").read_text(encoding="utf-8")
    for name in (*mapping.LABELS, *mapping.REL_TYPES):
        assert f"| `{name}` |" in doc, name
    for label in mapping.LABELS:
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{label}` |"))
        assert all(f"`{p}`" in row for p, _ in mapping.node_properties(label)), label


def test_evidence_query_lists_every_relation_with_evidence():
    """The evidence texts name the relationship types that carry source_ids: keep them in step with the model."""
    from kg.cypher import mapping

    with_evidence = {r for r in mapping.REL_TYPES if "source_ids" in dict(mapping.rel_properties(r))}
    for name in ("evidence.cypher", "evidence.ladybug.cypher"):
        text = (QUERIES / name).read_text(encoding="utf-8")
        for types in re.findall(r"\[r:([A-Z_|]+)\]", text):
            assert set(types.split("|")) == with_evidence


def test_every_node_and_edge_fits_the_mapping(graph, mini_graph):
    from kg.cypher import mapping

    for g in (graph, mini_graph):
        rows = mapping.node_rows(g)
        assert sum(map(len, rows.values())) == g.number_of_nodes()
        groups = mapping.rel_groups(g)
        assert sum(map(len, groups.values())) == g.number_of_edges()
        for (rel, a, b), _ in groups.items():
            assert (a, b) in mapping.endpoints(rel)


# ---------------------------------------------------------------- equivalence with the native answers


@pytest.mark.parametrize("corpus_name", ["mini", "analysis", "shipped"])
@pytest.mark.parametrize("name", list(LIBRARY))
def test_library_equals_native_on_the_embedded_engine(name, corpus_name, request):
    g = request.getfixturevalue({"mini": "mini_graph", "analysis": "analysis_graph", "shipped": "graph"}[corpus_name])
    answered = 0
    for q, params in library_calls(g):
        if q != name:
            continue
        native = api.query(name, params=params, graph=g)
        cypher = api.query(name, params=params, graph=g, lang="cypher")
        assert cypher.rows == native.rows, params
        assert [type(v) for r in cypher.rows for v in r.values()] == [type(v) for r in native.rows for v in r.values()]
        answered += len(native.rows)
    assert answered > 0 or (corpus_name, name) in EMPTY


#: (corpus, question) pairs with no answer at all (the mini corpus has no lineage, no distributive provision)
EMPTY = {("mini", "interest-lineage"), ("mini", "distributive-provisions")}


def test_results_keep_their_types(graph):
    rows = api.query("mechanism-mix", graph=graph, lang="cypher").rows
    assert all(isinstance(r["integrative"], bool) and type(r["provisions"]) is int for r in rows)
    rows = api.query("interest-provision-links", graph=graph, lang="cypher").rows
    assert rows and all(isinstance(r["shared"], bool) and r["sources"] == sorted(r["sources"]) for r in rows)
    assert all(" @ " in s for r in rows for s in r["sources"])


# ---------------------------------------------------------------- the embedded engine


def test_database_is_cached_per_graph_and_rebuilt_when_it_changes(mini_graph):
    from kg.cypher import embedded

    g = mini_graph.copy()
    db = embedded.database(g)
    assert embedded.database(g) is db
    g.add_node("Party:newcomer", type="Party", id="newcomer", name="Newcomer", kind="state")
    db2 = embedded.database(g)
    assert db2 is not db
    _, rows = db2.query("MATCH (p:Party {id: $id}) RETURN p.name AS name", {"id": "newcomer"})
    assert rows == [{"name": "Newcomer"}]


def test_bulk_load_in_small_batches_gives_the_same_database(graph, tmp_path):
    from kg.cypher import embedded

    db = embedded.build(graph, tmp_path, batch_size=100)
    try:
        _, n = db.query("MATCH (n) RETURN count(n) AS c")
        _, r = db.query("MATCH ()-[r]->() RETURN count(r) AS c")
        assert (n[0]["c"], r[0]["c"]) == (graph.number_of_nodes(), graph.number_of_edges())
        _, rows = db.query("MATCH (:Party)-[h:HAS_INTEREST]->() WHERE h.salience IS NOT NULL RETURN h.salience AS s LIMIT 1")
        assert type(rows[0]["s"]) is int
    finally:
        db.close()


# ---------------------------------------------------------------- read-only enforcement

WRITES = [
    "CREATE (n:Party {id: 'intruder'})",
    "MATCH (n:Party) SET n.name = 'x'",
    "match (n) detach delete n",
    "MATCH (n:Party) /* comment */ REMOVE n.name",
    "MERGE (n:Party {id: 'intruder'})",
    "DROP TABLE Party",
    "ALTER TABLE Party ADD x STRING",
    "COPY Party FROM 'x.csv'",
    "LOAD FROM 'x.csv' RETURN *",
    "EXPORT DATABASE '/tmp/negkg-export'",
    "INSTALL httpfs",
    "ATTACH 'x.lbug' AS other (dbtype lbug)",
    "CALL threads=1",
    "CALL some_procedure()",
    "BEGIN TRANSACTION",
    "CREATE MACRO evil(x) AS x",
    "MATCH (n) RETURN n; CREATE (:Party {id: 'intruder'})",
    "UNWIND [1] AS x FOREACH (y IN [x] | CREATE (:Party {id: 'intruder'}))",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS RETURN 1",
]
READS = [
    "MATCH (n:Party) WHERE n.name = 'SET x; CREATE y' RETURN n.id AS id // DELETE",
    "MATCH (n:Party {id: $id}) RETURN n.id AS id",
    "MATCH (n:Party) RETURN n.id AS `delete`",
    "CALL show_tables() RETURN *",
    "RETURN \"it's \\\"DROP\\\" time\" AS x",
]


@pytest.mark.parametrize("text", WRITES)
def test_writes_are_refused_before_they_run(text, mini_graph):
    from kg.cypher import engine

    with pytest.raises(UsageError, match="refused"):
        engine.adhoc(text, {}, graph=mini_graph)
    _, rows = engine.adhoc("MATCH (n) RETURN count(n) AS c", {}, graph=mini_graph)
    assert rows == [{"c": mini_graph.number_of_nodes()}]


@pytest.mark.parametrize("text", READS)
def test_reads_pass_the_keyword_check(text, mini_graph):
    from kg.cypher import engine, readonly

    readonly.check(text, "ladybug")
    engine.adhoc(text, {"id": "alpha"}, graph=mini_graph)


def test_keyword_check_skips_names_that_are_not_clauses():
    from kg.cypher import readonly

    for text in ("MATCH (n:Set)-[:DELETE]->(m) RETURN n.create, {merge: 1} AS m, $drop AS d", "RETURN 'CREATE' AS x"):
        readonly.check(text, "neo4j")
        readonly.check(text, "ladybug")


def test_the_embedded_database_itself_refuses_writes(mini_graph):
    """Past the keyword check, the read-only database refuses every write, and nothing changes."""
    from kg.cypher import embedded

    db = embedded.database(mini_graph)
    for text in ("CREATE (n:Party {id: 'intruder'})", "MATCH (n:Party) SET n.name = 'x'", "MATCH (n) DETACH DELETE n"):
        with pytest.raises(UsageError, match="read-only"):
            db.query(text)
    _, rows = db.query("MATCH (n) RETURN count(n) AS c")
    assert rows == [{"c": mini_graph.number_of_nodes()}]


@pytest.mark.parametrize("payload", ["' OR 1=1 //", "}) DETACH DELETE n //", "x'}) MATCH (n) DETACH DELETE n //", "$case"])
def test_injection_payloads_are_only_values(payload, mini_graph):
    from kg.cypher import engine

    assert api.query("party-profile", params={"party": payload}, graph=mini_graph, lang="cypher").rows == []
    assert api.query("evidence", params={"id": payload}, graph=mini_graph, lang="cypher").rows == []
    _, rows = engine.adhoc("RETURN $id AS echo", {"id": payload}, graph=mini_graph)
    assert rows == [{"echo": payload}]
    _, rows = engine.adhoc("MATCH (n) RETURN count(n) AS c", {}, graph=mini_graph)
    assert rows == [{"c": mini_graph.number_of_nodes()}]


def test_parameters_named_like_keywords_are_renamed_only_outside_strings():
    from kg.cypher.readonly import rename_parameters

    text = "MATCH (n) WHERE n.id = $case AND n.x = '$case' AND n.y = $`order` RETURN n /* $case */"
    assert rename_parameters(text, "p_") == (
        "MATCH (n) WHERE n.id = $p_case AND n.x = '$case' AND n.y = $p_order RETURN n /* $case */"
    )


# ---------------------------------------------------------------- the CLI


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", "--data", str(ROOT / "tests" / "fixtures" / "mini"), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL)


def test_cli_query_and_cypher(mini_graph):
    res = _cli("query", "interest-provision-links", "--lang", "cypher", "--format", "json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == api.query("interest-provision-links", graph=mini_graph).rows
    res = _cli("cypher", "MATCH (p:Party {id: $id}) RETURN p.id AS id, p.name AS name", "--param", "id=alpha",
               "--format", "json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == [{"id": "alpha", "name": mini_graph.nodes["Party:alpha"]["name"]}]
    res = _cli("cypher", "MATCH (p:Party) RETURN p.id AS id", "--format", "csv")
    assert res.stdout.splitlines()[0] == "id" and len(res.stdout.splitlines()) == 1 + 3
    res = _cli("cypher", "MATCH (n) DETACH DELETE n")
    assert res.returncode == 2 and res.stderr.startswith("error: refused") and len(res.stderr.strip().splitlines()) == 1
    res = _cli("cypher", "MATCH (n RETURN n")
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    res = _cli("query", "shared-interests", "--lang", "native", "--neo4j")
    assert res.returncode == 2
