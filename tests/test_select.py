"""Subgraph selection (kg.select) and `negkg export --select`, on the small invented corpus."""

from __future__ import annotations

import importlib

import pytest

from kg.errors import UsageError
from kg.select import ids_in_rows, parse_select, select
from tests.conftest import MINI


def keys(g) -> list[str]:
    return sorted(g.nodes)


def test_case_is_the_case_subgraph_and_keeps_graph_order(mini_graph):
    from kg.graph import subgraph_for_case

    sub = select(mini_graph, case="river-1990")
    assert set(sub.nodes) == set(subgraph_for_case(mini_graph, "river-1990").nodes)
    # nodes and edges in the canonical graph's order, attributes untouched
    assert list(sub.nodes) == [n for n in mini_graph.nodes if n in sub]
    assert list(sub.edges(keys=True)) == [e for e in mini_graph.edges(keys=True) if e[0] in sub and e[1] in sub]
    assert sub.nodes["Party:alpha"] == mini_graph.nodes["Party:alpha"]
    # the canonical vocabulary nodes that the case does not touch are left out
    assert "Mechanism:logrolling" not in sub and "Mechanism:bridging" in sub


@pytest.mark.parametrize(
    ("hops", "expected"),
    [
        (0, ["Party:gamma"]),
        (1, ["Negotiation:river-1990", "Party:gamma", "Provision:river-1990/dam-and-canals", "Source:smith-2001"]),
    ],
)
def test_node_and_hops(mini_graph, hops, expected):
    # hop 1 from gamma: its negotiation and the provision it funds; the FUNDS claim cites smith-2001
    assert keys(select(mini_graph, node="Party:gamma", hops=hops)) == expected


def test_node_by_bare_id_and_two_hops(mini_graph):
    two = select(mini_graph, node="river-1990/review", hops=2)
    assert "Mechanism:deferral" in two  # hop 1
    assert "Party:alpha" in two  # review -> alpha-irrigation -> alpha
    assert "Party:beta" not in two  # three hops away
    with pytest.raises(UsageError, match="no node with key or id 'nope'"):
        select(mini_graph, node="nope")
    with pytest.raises(UsageError, match="hops"):
        select(mini_graph, node="Party:alpha", hops=-1)


def test_ids_in_rows_reads_lists_and_citations():
    rows = [{"a": "Party:x", "b": ["y", "src @ Art. 1 @ 2"], "c": 3, "d": True, "e": None}]
    assert ids_in_rows(rows) == {"Party:x", "y", "src @ Art. 1 @ 2", "src"}


def test_query_selects_the_nodes_its_rows_mention(mini_graph):
    sub = select(mini_graph, query="interest-provision-links")
    # interests served by the two value-creating provisions, their holders, mechanisms and the cited sources
    assert {n for n in sub if n.startswith(("Provision:", "Party:", "Mechanism:", "Source:"))} == {
        "Provision:river-1990/dam-and-canals",
        "Provision:river-1990/joint-commission",
        "Party:alpha",
        "Party:beta",
        "Mechanism:bridging",
        "Mechanism:expanding-the-pie",
        "Source:river-1990/treaty",
        "Source:smith-2001",
    }
    assert "Provision:river-1990/review" not in sub  # not value-creating
    assert "Party:gamma" not in sub
    # the edges between the mentioned nodes come along
    assert sub.has_edge("Provision:river-1990/dam-and-canals", "Interest:river-1990/beta-power", "SERVES")


def test_query_with_parameters_and_case(mini_graph):
    sub = select(mini_graph, query="evidence", params={"id": "river-1990/review"})
    assert "Provision:river-1990/review" in sub and "Source:river-1990/treaty" in sub
    with pytest.raises(UsageError, match="needs the parameter 'id'"):
        select(mini_graph, query="evidence")
    with pytest.raises(UsageError, match="unknown query"):
        select(mini_graph, query="no-such-query")
    # the case goes to the query when it takes one, and also filters the nodes
    both = select(mini_graph, query="shared-interests", case="river-1990")
    assert keys(both) == keys(select(mini_graph, query="shared-interests"))


@pytest.mark.parametrize("lang", ["sparql", "cypher"])
def test_query_selection_is_the_same_on_every_engine(mini_graph, lang):
    from kg.api import ENGINES

    module = ENGINES[lang].split(":")[0]
    try:
        importlib.import_module(module)
    except ImportError as e:
        pytest.skip(f"the {lang} engine ({module}) is not installed here: {e}")
    for name in ("interest-provision-links", "unmet-interests", "positions-and-interests"):
        native = select(mini_graph, query=name)
        other = select(mini_graph, query=name, lang=lang)
        assert keys(other) == keys(native), name
        assert list(other.edges(keys=True)) == list(native.edges(keys=True)), name


def test_filters(mini_graph):
    gamma = select(mini_graph, party="gamma")
    assert {n for n in gamma if n.startswith(("Party:", "Provision:"))} == {
        "Party:gamma",
        "Provision:river-1990/dam-and-canals",
    }
    beta = select(mini_graph, party="beta")
    # beta's interests bring their other holders, so shared interests stay shared
    assert "Party:alpha" in beta and "Interest:river-1990/stability" in beta
    assert "Interest:river-1990/alpha-irrigation" not in beta
    sec = select(mini_graph, category="security")
    assert {n for n in sec if n.startswith(("Interest:", "Provision:"))} == {
        "Interest:river-1990/stability",
        "Provision:river-1990/joint-commission",
    }
    deferral = select(mini_graph, mechanism="deferral")
    assert {n for n in deferral if n.startswith("Provision:")} == {"Provision:river-1990/review"}
    for kwargs, message in (
        ({"party": "nobody"}, "unknown party 'nobody'"),
        ({"category": "fun"}, "unknown interestcategory 'fun'"),
        ({"mechanism": "magic"}, "unknown mechanism 'magic'"),
        ({"case": "nope"}, "unknown case 'nope'"),
    ):
        with pytest.raises(UsageError, match=message):
            select(mini_graph, **kwargs)


def test_criteria_combine_with_and(mini_graph):
    a = set(select(mini_graph, party="beta"))
    b = set(select(mini_graph, category="economic"))
    both = select(mini_graph, party="beta", category="economic")
    # the intersection, plus the sources its claims cite
    assert set(both) - {n for n in both if n.startswith("Source:")} == (a & b) - {n for n in a & b if n.startswith("Source:")}
    assert "Interest:river-1990/beta-power" in both and "Interest:river-1990/stability" not in both
    # the same key twice: both must hold; what alpha's and gamma's subgraphs share is the provision gamma funds
    two_parties = select(mini_graph, party=["alpha", "gamma"])
    assert not {n for n in two_parties if n.startswith("Party:")}
    assert {n for n in two_parties if n.startswith("Provision:")} == {"Provision:river-1990/dam-and-canals"}
    assert keys(select(mini_graph)) == keys(mini_graph)


def test_parse_select():
    assert parse_select(["case=x", "party=a", "party=b", "node=Party:a"]) == {
        "case": "x",
        "party": ["a", "b"],
        "node": "Party:a",
    }
    for bad, message in (
        (["case"], "KEY=VALUE"),
        (["case="], "KEY=VALUE"),
        (["x=1"], "unknown selection key"),
        (["case=a", "case=b"], "given twice"),
    ):
        with pytest.raises(UsageError, match=message):
            parse_select(bad)


def test_export_select_cli(tmp_path):
    from kg.cli import main
    from kg.sinks import nodelink

    out = tmp_path / "g.json"
    main(
        ["--data", str(MINI), "export", "--format", "nodelink", "--out", str(out), "--select", "node=Party:gamma", "--hops", "1"]
    )
    assert sorted(nodelink.read(out).nodes) == [
        "Negotiation:river-1990",
        "Party:gamma",
        "Provision:river-1990/dam-and-canals",
        "Source:smith-2001",
    ]


def test_export_select_cli_errors(capsys, tmp_path):
    from kg.cli import main

    for args, message in (
        (["--select", "colour=red"], "unknown selection key 'colour'"),
        (["--param", "id=x"], "--param goes with --select query=NAME"),
        (["--case", "a", "--select", "case=b"], "disagree"),
        (["--select", "query=evidence"], "needs the parameter 'id'"),
    ):
        with pytest.raises(SystemExit) as e:
            main(["--data", str(MINI), "export", "--format", "graphml", "--out", str(tmp_path / "x.graphml"), *args])
        assert e.value.code == 2
        assert message in capsys.readouterr().err


def _cases(g) -> set[str]:
    from kg.select import case_of

    return {c for n in g for c in [case_of(g, n)] if c}


def test_neighbourhood_stays_in_the_negotiation(graph):
    # a Camp David provision, two hops out: the shared mechanism and source nodes are not bridges to other cases
    start = "Provision:camp-david-1978/limited-force-zones"
    sub = select(graph, node=start, hops=2)
    assert _cases(sub) == {"camp-david-1978"}
    assert "Mechanism:bridging" in sub and "Party:egypt" in sub  # shared nodes are kept, as context
    assert any(n.startswith("Interest:camp-david-1978/") for n in sub)
    wide = select(graph, node=start, hops=2, across_cases=True)
    assert len(_cases(wide)) > 5 and set(sub) < set(wide)
    # a shared start walks into the negotiations it touches, and no further
    egypt = select(graph, node="Party:egypt", hops=3)
    took_part = {graph.nodes[v]["id"] for _, v, k in graph.out_edges("Party:egypt", keys=True) if k == "PARTICIPATED_IN"}
    assert _cases(egypt) == took_part


def test_across_cases_cli(tmp_path, capsys):
    from kg.cli import main
    from kg.sinks import nodelink

    out = tmp_path / "g.json"
    args = ["export", "--format", "nodelink", "--out", str(out), "--select", "node=Provision:camp-david-1978/limited-force-zones",
            "--hops", "2"]
    main(args)
    assert _cases(nodelink.read(out)) == {"camp-david-1978"}
    main([*args, "--across-cases"])
    assert len(_cases(nodelink.read(out))) > 1
    with pytest.raises(SystemExit) as e:
        main(["--data", str(MINI), "export", "--format", "nodelink", "--out", str(out), "--across-cases"])
    assert e.value.code == 2 and "--across-cases goes with --select node=ID" in capsys.readouterr().err
