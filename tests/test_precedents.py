"""Precedents and integrative potential (issue 13) on the invented corpus, on every engine, and through the CLI."""

from __future__ import annotations

import json

import pytest

import kg
from kg import integrative
from kg.cli import main
from kg.errors import UsageError
from tests.conftest import ANALYSIS

L = "lake-2001/"


def test_precedents_for_a_pair_of_categories_rank_integrative_first(analysis_graph):
    rows = kg.precedents(["economic", "sovereignty"], graph=analysis_graph).rows
    assert [(r["rank"], r["provision"], r["score"]) for r in rows] == [
        (1, L + "joint-works", 8),  # value-creating 4 + own integrative 2 + partial 1 + two principals 1
        (2, L + "boundary-line", 2),  # a compromise: partial 1 + two principals 1
    ]
    assert rows[0]["why"] == ("economic + sovereignty held by 2 principal(s) · bridging · value-creating · "
                              "partial strength")
    assert rows[0]["sources"] == ["doe-2011 @ p. 30", "lake-2001/treaty @ Art. 2(1)", "lake-2001/treaty @ Art. 2(2)"]


def test_precedents_filters_and_inputs(analysis_graph):
    g = analysis_graph
    assert {r["provision"] for r in kg.precedents("economic", mechanism="logrolling", graph=g).rows} == {
        L + "port-access", L + "transit-for-ports"}
    assert kg.precedents("economic", since="2005", graph=g).rows[0]["provision"] == "lake-2010/compensation-fund"
    assert all(r["negotiation"] == "lake-2001" for r in kg.precedents("economic", until="2000", graph=g).rows)
    # an interest: precedents for its category, from other negotiations only
    rows = kg.precedents(interest="lake-2010/east-redress", graph=g).rows
    assert rows and all(r["negotiation"] != "lake-2010" for r in rows)
    # an issue: the categories behind the parties' positions on it (security vs sovereignty at lake-2020)
    assert kg.precedents(issue="lake-2020/final-line", graph=g).rows == []
    with pytest.raises(UsageError, match="unknown interest category 'securty'"):
        kg.precedents("securty", graph=g)
    with pytest.raises(UsageError, match="give one or two interest categories"):
        kg.precedents(graph=g)


@pytest.mark.parametrize("lang", ["cypher", "sparql"])
def test_precedents_rank_the_same_on_every_engine(analysis_graph, lang):
    native = kg.precedents(["economic", "sovereignty"], graph=analysis_graph).rows
    assert kg.precedents(["economic", "sovereignty"], graph=analysis_graph, lang=lang).rows == native
    assert kg.potential("lake-2020", graph=analysis_graph, lang=lang).rows == kg.potential(
        "lake-2020", graph=analysis_graph).rows


def test_potential_of_an_open_negotiation(analysis_graph):
    rows = kg.potential("lake-2020", graph=analysis_graph).rows
    # one precedent per negotiation for a target: lake-2001's compromise (boundary-line) gives way to its bridge
    assert [(r["kind"], r["target"], r["provision"]) for r in rows] == [
        ("unmet", "lake-2020/north-security", L + "peace-council"),
        ("unmet", "lake-2020/south-shore-control", L + "joint-works"),
    ]
    assert all(r["sources"] and r["why"] and r["negotiation"] != "lake-2020" for r in rows)


def test_potential_suggests_bridges_and_trades(tmp_path):
    """A twin of lake-2001 settled in 1999 is the precedent; lake-2001, its provisions hidden, gets its bridge."""
    import shutil

    from kg import api

    root = tmp_path / "data"
    shutil.copytree(ANALYSIS, root)
    text = (root / "cases" / "lake-2001.yaml").read_text()
    (root / "cases" / "lake-1999.yaml").write_text(text.replace("lake-2001", "lake-1999").replace("start_date: 1999",
                                                                                                 "start_date: 1997"))
    g = integrative.without_provisions(api.graph(api.load(data_dir=root)), "lake-2001")
    rows = kg.potential("lake-2001", graph=g).rows
    assert {"unmet", "bridging"} <= {r["kind"] for r in rows}
    assert all(r["negotiation"] != "lake-2001" for r in rows)
    bridge = next(r for r in rows if r["kind"] == "bridging" and r["provision"] == "lake-1999/joint-works")
    assert bridge["target"] == L + "water" and bridge["categories"] == ["economic", "sovereignty"]
    assert bridge["why"] == ("economic + sovereignty held by 2 principal(s) · bridging (the bridging sought) · "
                             "value-creating · partial strength · same domain (commons)")


def test_cli(capsys, monkeypatch):
    monkeypatch.setenv("NEGKG_DATA", str(ANALYSIS))
    main(["precedents", "economic", "sovereignty", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert [r["provision"] for r in rows] == [L + "joint-works", L + "boundary-line"]
    main(["potential", "--case", "lake-2020", "--format", "csv"])
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("rank,kind,target,") and "lake-2001/peace-council" in out
    main(["precedents", "economic", "sovereignty"])
    assert "csv or json for all 16 columns" in capsys.readouterr().out


def test_order_gives_every_target_an_answer_first(analysis_graph):
    from kg.integrative import Suggestion, order

    def sug(target: str, provision: str, score: int, mechs: list[str], cats: list[str]) -> Suggestion:
        return Suggestion("unmet", target, ["p"], cats, {"provision": provision, "score": score, "mechanisms": mechs})

    found = [sug("t1", "a", 9, ["bridging"], ["economic"]), sug("t1", "b", 8, ["bridging"], ["economic"]),
             sug("t1", "c", 7, ["logrolling"], ["economic"]), sug("t2", "a", 6, ["bridging"], ["security"]),
             sug("t2", "d", 5, ["bridging"], ["security"])]
    # t1's best; then t2's best not yet used (a is); then t1's next showing something new (c: another mechanism)
    assert [(s.target, s.precedent["provision"]) for s in order(found)] == [("t1", "a"), ("t2", "d"), ("t1", "c"),
                                                                            ("t1", "b")]


def test_score_is_documented():
    doc = integrative.__doc__ or ""
    row = {"provision": "x/y", "negotiation": "x", "start_date": "2000", "mechanisms": ["logrolling"],
           "value_creating": True, "strength": "partial", "parties": ["a", "b", "c", "d", "e"]}
    assert integrative.score(row, prefer="logrolling") == 4 + 2 + 1 + 3 + 3
    assert integrative.score({**row, "domain": "peace"}, domain="peace") == 4 + 2 + 1 + 3 + 2
    assert "+4 the precedent is value-creating" in doc and "+3 it uses the mechanism" in doc


def test_cli_shows_cards_in_a_narrow_terminal_and_a_table_in_a_wide_one(capsys, monkeypatch):
    monkeypatch.setenv("NEGKG_DATA", str(ANALYSIS))
    monkeypatch.setenv("COLUMNS", "80")
    main(["potential", "--case", "lake-2020"])
    narrow = capsys.readouterr().out
    assert narrow.splitlines()[1].startswith("1 ──") and "\nprovision_name  " in narrow
    assert max(len(line) for line in narrow.splitlines()) <= 80
    monkeypatch.setenv("COLUMNS", "200")
    main(["potential", "--case", "lake-2020"])
    wide = capsys.readouterr().out
    assert "┃ rank" in wide and "provision_name" in wide and "\nprovision_name  " not in wide
