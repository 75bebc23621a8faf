"""The core pipeline on the small invented corpus: build, analysis definitions, query API, CLI, determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg import analysis, model
from kg.cli import main
from kg.errors import UsageError
from kg.queries import LIBRARY
from kg.sinks import graphml, nodelink

MINI = Path(__file__).parent / "fixtures" / "mini"


def test_graph_nodes_and_edges_follow_the_model(mini_graph):
    for n, d in mini_graph.nodes(data=True):
        t = model.NODE_TYPES[d["type"]]
        assert n == t.key(d["id"])
        assert set(d) - {"type"} <= set(t.properties), (n, set(d) - set(t.properties))
    for u, v, k, d in mini_graph.edges(keys=True, data=True):
        r = model.RELATIONS[k]
        assert d["rel"] == k
        assert r.source in ("*", mini_graph.nodes[u]["type"]) and r.target == mini_graph.nodes[v]["type"], (u, k, v)
        assert set(d) - {"rel"} <= set(r.properties), (k, set(d))
        if r.evidence:
            assert d["source_ids"] and len(d["source_ids"]) == len(d["locators"])


def test_definitions_on_mini(mini_graph):
    shared = analysis.shared_interests(mini_graph)
    assert [(r["interest"], r["parties"]) for r in shared] == [("river-1990/stability", ["alpha", "beta"])]
    vc = {r["provision"]: r for r in analysis.value_creating_provisions(mini_graph)}
    # dam-and-canals serves alpha's and beta's interests; the review only alpha's; the commission a shared one
    assert sorted(vc) == ["river-1990/dam-and-canals", "river-1990/joint-commission"]
    assert vc["river-1990/dam-and-canals"]["parties"] == ["alpha", "beta"]
    assert vc["river-1990/dam-and-canals"]["mechanisms"] == ["bridging"]
    unmet = analysis.unmet_interests(mini_graph)
    assert [(r["party"], r["interest"], r["salience"], r["best_strength"]) for r in unmet] == [
        ("beta", "river-1990/beta-prestige", 2, "none")
    ]


def test_headline_rows_carry_sources(mini_graph):
    rows = kg.query("interest-provision-links", graph=mini_graph).rows
    beta = next(r for r in rows if r["interest"] == "river-1990/beta-power")
    assert beta == {
        "negotiation": "river-1990",
        "interest": "river-1990/beta-power",
        "interest_name": "Hydropower",
        "category": "economic",
        "parties": ["beta"],
        "shared": False,
        "provision": "river-1990/dam-and-canals",
        "provision_name": "Dam upstream, canals downstream",
        "locator": "Art. 2",
        "mechanisms": ["bridging"],
        "package": "river-1990/dam-and-canals",
        "strength": "partial",
        "sources": ["river-1990/treaty @ Art. 2(2)", "smith-2001 @ p. 30"],
    }
    assert all(r["provision"] != "river-1990/review" for r in rows)


def test_other_library_questions(mini_graph):
    q = lambda name, **p: kg.query(name, graph=mini_graph, params=p).rows  # noqa: E731
    assert q("trades") == [
        {
            "negotiation": "river-1990",
            "provision": "river-1990/joint-commission",
            "provision_name": "Joint commission",
            "traded_for": "river-1990/dam-and-canals",
            "traded_for_name": "Dam upstream, canals downstream",
            "package": "river-1990/dam-and-canals",
            "sources": ["smith-2001 @ p. 40"],
        }
    ]
    mix = {(r["mechanism"]): (r["provisions"], r["value_creating"], r["integrative"]) for r in q("mechanism-mix")}
    assert mix == {"bridging": (1, 1, True), "expanding-the-pie": (1, 1, True), "deferral": (1, 0, False)}
    prof = q("party-profile", party="gamma")
    assert prof == [
        {
            "negotiation": "river-1990",
            "domain": "commons",
            "role": "mediator",
            "interest": None,
            "interest_name": None,
            "category": None,
            "salience": None,
        }
    ]
    assert len(q("party-profile", party="alpha")) == 2
    pos = q("positions-and-interests", party="beta")
    assert [(r["position"], r["interests"]) for r in pos] == [("river-1990/beta-dam", ["river-1990/beta-power"])]
    ev = q("evidence", id="river-1990/dam-and-canals")
    assert {(r["claim"], r["object"], r["source"], r["locator"]) for r in ev} == {
        ("Provision", None, "river-1990/treaty", "Art. 2"),
        ("SERVES", "river-1990/alpha-irrigation", "river-1990/treaty", "Art. 2(1)"),
        ("SERVES", "river-1990/beta-power", "river-1990/treaty", "Art. 2(2)"),
        ("SERVES", "river-1990/beta-power", "smith-2001", "p. 30"),
        ("FUNDS", "river-1990/dam-and-canals", "smith-2001", "p. 31"),
        ("TRADED_FOR", "river-1990/dam-and-canals", "smith-2001", "p. 40"),
    }


def test_query_errors(mini_graph):
    with pytest.raises(UsageError, match="unknown query 'nope'"):
        kg.query("nope", graph=mini_graph)
    with pytest.raises(UsageError, match="unknown case 'atlantis'"):
        kg.query("shared-interests", case="atlantis", graph=mini_graph)
    with pytest.raises(UsageError, match="needs the parameter 'party'"):
        kg.query("party-profile", graph=mini_graph)
    with pytest.raises(UsageError, match="has no parameter 'colour'"):
        kg.query("trades", graph=mini_graph, params={"colour": "red"})


@pytest.mark.parametrize(
    "args,needle",
    [
        (["query", "nope"], "error: unknown query 'nope'"),
        (["query", "shared-interests", "--case", "atlantis"], "error: unknown case 'atlantis'"),
        (["query", "party-profile"], "needs the parameter 'party'"),
        (["query", "trades", "--param", "novalue"], "expected KEY=VALUE"),
    ],
)
def test_cli_usage_errors_exit_2(args, needle, capsys):
    with pytest.raises(SystemExit) as e:
        main(["--data", str(MINI), *args])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_cli_query_json_is_the_api_answer(capsys, mini_graph):
    main(["--data", str(MINI), "query", "interest-provision-links", "--format", "json"])
    assert json.loads(capsys.readouterr().out) == kg.query("interest-provision-links", graph=mini_graph).rows


def test_cli_query_csv(capsys):
    main(["--data", str(MINI), "query", "shared-interests", "--format", "csv"])
    assert capsys.readouterr().out.splitlines() == [
        "negotiation,interest,interest_name,category,parties",
        "river-1990,river-1990/stability,Regional stability,security,alpha; beta",
    ]


def test_build_writes_graph_files_that_read_back(tmp_path, mini_graph):
    res = kg.build(tmp_path / "out", data_dir=MINI)
    assert [f.name for f in res.files] == ["graph.graphml", "graph.json"]
    assert res.summary["nodes"]["Provision"] == 3
    for reader, f in ((graphml.read, res.files[0]), (nodelink.read, res.files[1])):
        g = reader(f)
        assert sorted(g.nodes(data=True)) == sorted(mini_graph.nodes(data=True))
        assert sorted(g.edges(keys=True, data=True)) == sorted(mini_graph.edges(keys=True, data=True))


def test_two_builds_are_byte_identical(tmp_path):
    kg.build(tmp_path / "a", data_dir=MINI)
    kg.build(tmp_path / "b", data_dir=MINI)
    for name in ("graph.graphml", "graph.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_build_in_a_fresh_process_prints_headline(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(MINI), "build", "--out", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(r.stdout)
    assert out["summary"]["total_nodes"] == 34
    assert len(out["headline"]) == 3


def test_cli_start_does_not_import_heavy_libraries():
    code = (
        "import sys; from kg.cli import cli; import kg.cli.query, kg.cli.build, kg.cli.validate;"
        "heavy = [m for m in ('networkx', 'rdflib', 'neo4j', 'pyvis', 'pydantic', 'ladybug', 'pyoxigraph', 'rich',"
        " 'jinja2') if m in sys.modules]; print(','.join(heavy))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == ""


def test_every_registered_command_imports():
    import click

    from kg.cli import COMMANDS, cli

    for name in COMMANDS:
        assert isinstance(cli.get_command(click.Context(cli), name), click.Command), name


def test_library_specs_are_complete():
    assert set(LIBRARY) >= {
        "shared-interests",
        "value-creating-provisions",
        "interest-provision-links",
        "unmet-interests",
        "positions-and-interests",
        "mechanism-mix",
        "party-profile",
        "trades",
        "evidence",
    }
    for q in LIBRARY.values():
        assert q.description and q.columns and q.multi <= set(q.columns)


def test_build_prints_the_top_of_the_headline(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line
    args = ["--data", str(MINI), "build", "--out", str(tmp_path)]
    main([*args, "--limit", "1"])
    out = capsys.readouterr().out
    assert "(3 links)" in out and "… and 2 more (--limit N or --all to show them)" in out
    assert out.count("river-1990 ") == 1  # one row of the three
    main([*args, "--all"])
    out = capsys.readouterr().out
    assert "more (--limit" not in out and out.count("river-1990 ") == 3
    main([*args, "--format", "json", "--limit", "2"])
    data = json.loads(capsys.readouterr().out)
    assert len(data["headline"]) == 2 and data["headline_total"] == 3
    with pytest.raises(SystemExit) as e:
        main([*args, "--limit", "1", "--all"])
    assert e.value.code == 2
