"""The open-negotiation example under data/examples/gerd (issue 13): it validates lint-clean on its own, builds,
exports to Turtle on standard output, stays out of the corpus, and gets a cited potential report from the
corpus's cases through ``--with`` / ``with_data`` (registries merged, conflicts refused)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import kg
from kg import api
from kg.cli import main
from kg.errors import InvalidInput
from kg.lint import lint

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GERD = DATA / "examples" / "gerd"
#: a few corpus cases with no lineage to other cases: enough precedents, and a graph small enough to be quick
PRECEDENT_CASES = ("indus-1960", "paris-2015", "montreal-1987")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the corpus's registries and three of its cases (the full corpus is slow to query)."""
    root = tmp_path_factory.mktemp("data")
    for name in ("parties.yaml", "sources.yaml"):
        shutil.copy(DATA / name, root / name)
    (root / "cases").mkdir()
    for case in PRECEDENT_CASES:
        shutil.copy(DATA / "cases" / f"{case}.yaml", root / "cases" / f"{case}.yaml")
    return root


def test_gerd_example_validates_lint_clean_and_is_an_open_negotiation():
    corpus = api.load(data_dir=GERD)
    assert [c.id for c in corpus.cases] == ["gerd"]
    assert lint(corpus) == []
    case = corpus.case("gerd")
    assert case.status == "ongoing" and case.end_date is None and case.agreements == []
    principals = {p.party for p in case.parties if p.role == "principal"}
    assert principals == {"egypt", "ethiopia", "sudan"}
    assert principals <= {p.party for p in case.positions}
    assert len(case.interests) >= 6
    # every party copied from the corpus's registry is an exact copy (else --with refuses it)
    shared = api.load(data_dir=DATA).parties
    assert all(p == shared[k] for k, p in corpus.parties.items() if k in shared)
    # no agreement: every principal's interest is unmet
    g = api.graph(corpus)
    unmet = {r["interest"] for r in kg.query("unmet-interests", case="gerd", graph=g).rows}
    assert unmet == {f"gerd/{i.id}" for i in case.interests if {h.party for h in i.holders} & principals}


def test_gerd_example_is_outside_the_corpus():
    assert "gerd" not in {c.id for c in api.load(data_dir=DATA).cases}


def test_gerd_example_builds_and_exports_turtle_to_stdout(tmp_path, capsys, monkeypatch):
    main(["--data", str(GERD), "validate", "--lint"])
    assert "lint: 0 warnings" in capsys.readouterr().err
    main(["--data", str(GERD), "build", "--out", str(tmp_path / "out")])
    capsys.readouterr()
    assert (tmp_path / "out" / "graph.graphml").is_file() and (tmp_path / "out" / "graph.json").is_file()
    monkeypatch.chdir(tmp_path)
    main(["--data", str(GERD), "export", "--format", "turtle", "--out", "-"])
    captured = capsys.readouterr()
    assert not (tmp_path / "-").exists()  # standard output, not a file named '-'
    assert "wrote standard output" in captured.err
    import rdflib

    rdf = rdflib.Graph().parse(data=captured.out, format="turtle")
    assert len(rdf) > 500
    assert any("gerd" in str(s) for s in rdf.subjects())


def test_potential_of_the_example_draws_cited_precedents_from_the_corpus(small_corpus, capsys):
    res = kg.potential("gerd", data_dir=small_corpus, with_data=GERD)
    rows = res.rows
    assert rows and {"unmet", "bridging"} <= {r["kind"] for r in rows}
    assert {r["negotiation"] for r in rows} <= set(PRECEDENT_CASES)
    assert all(r["target"].startswith("gerd/") and r["sources"] and r["why"] and r["locator"] for r in rows)
    # every suggestion is a real provision of the corpus, with its sources
    g = api.graph(data_dir=small_corpus, with_data=GERD)
    assert all(g.nodes[f"Provision:{r['provision']}"]["negotiation"] == r["negotiation"] for r in rows)
    unmet = next(r for r in rows if r["kind"] == "unmet" and r["target"] == "gerd/egypt-enforceable-rules")
    assert unmet["categories"] == ["legal-order"]
    # the CLI gives the same rows
    main(["--data", str(small_corpus), "potential", "--case", "gerd", "--with", str(GERD), "--format", "json"])
    assert [r["provision"] for r in json.loads(capsys.readouterr().out)] == [r["provision"] for r in rows]
    # without --with the example is unknown to the corpus
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(small_corpus), "potential", "--case", "gerd"])
    assert exit_.value.code == 2 and "unknown case 'gerd'" in capsys.readouterr().err


def test_with_data_refuses_a_party_defined_differently(small_corpus, tmp_path):
    other = tmp_path / "gerd"
    shutil.copytree(GERD, other)
    text = (other / "parties.yaml").read_text(encoding="utf-8")
    (other / "parties.yaml").write_text(text.replace("name: Egypt\n", "name: Arab Republic of Egypt\n", 1),
                                        encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        api.graph(data_dir=small_corpus, with_data=other)
    [problem] = err.value.problems
    assert problem.file.endswith("parties.yaml") and problem.path == "parties[1].id"
    assert "party 'egypt' differs from its definition in" in problem.message
    # on its own the changed example is still valid: the check is only for directories loaded together
    assert api.validate(data_dir=other) == []
