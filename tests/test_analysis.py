"""The definitions of docs/model.md on an invented corpus built to exercise each branch (tests/fixtures/analysis).

Every expectation here is worked out by hand from the case files: packages judged as one unit, strengths,
principals only, affected parties in unmet interests, distributive and deferred provisions, contributions,
lineage. The engines are held to the same answers by the equivalence tests (test_cypher, test_sparql,
test_neo4j, test_fuseki), which run on this fixture too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg import analysis, api

ANALYSIS = Path(__file__).resolve().parent / "fixtures" / "analysis"
L = "lake-2001/"


@pytest.fixture(scope="module")
def g():
    return api.graph(api.load(data_dir=ANALYSIS))


def q(g, name, **params):
    return kg.query(name, graph=g, params=params).rows


def test_value_creating_units(g):
    rows = {r["provision"].removeprefix(L): r for r in q(g, "value-creating-provisions", case="lake-2001")}
    # bridging across two principals; a three-way package (a logroll plus a concession traded into it); an
    # integrative provision that also defers part of its issue
    assert sorted(rows) == ["joint-works", "peace-council", "port-access", "tariff-concession", "transit-for-ports"]
    assert rows["joint-works"] | {} == {
        "negotiation": "lake-2001", "agreement": L + "lake-treaty", "provision": L + "joint-works",
        "provision_name": "Jointly run works on the southern shore", "locator": "Art. 2", "mechanisms": ["bridging"],
        "package": None, "interests": [L + "north-water", L + "south-sovereignty"], "parties": ["north", "south"],
        "package_parties": ["north", "south"], "strength": "partial",
    }
    for half in ("port-access", "tariff-concession", "transit-for-ports"):
        assert rows[half]["package"] == L + "port-access"
        assert rows[half]["package_parties"] == ["east", "north", "south"]
        assert len(rows[half]["parties"]) == 1  # each half serves one side: the package creates the value
    assert rows["tariff-concession"]["mechanisms"] == ["concession"]
    # not value-creating: a compromise serving two principals, a nominal concession, an integrative provision
    # whose only substantive effect is the mediator's, and a pure deferral
    assert {analysis.classify(g, f"Provision:{L}{p}") for p in ("boundary-line", "fishing-quota")} == {"distributive"}
    assert analysis.classify(g, f"Provision:{L}broker-secretariat") == "other"
    assert analysis.classify(g, f"Provision:{L}status-talks") == "deferred"
    assert analysis.classify(g, f"Provision:{L}peace-council") == "value-creating"
    vc_2010 = q(g, "value-creating-provisions", case="lake-2010")
    assert [(r["provision"], r["mechanisms"], r["parties"]) for r in vc_2010] == [
        ("lake-2010/compensation-fund", ["nonspecific-compensation"], ["east", "north"])
    ]


def test_headline_lists_substantive_links_only(g):
    rows = q(g, "interest-provision-links", case="lake-2001")
    assert all(r["strength"] in ("partial", "full") for r in rows)
    assert (L + "broker-secretariat") not in {r["provision"] for r in rows}
    peace = next(r for r in rows if r["interest"] == L + "peace")
    assert peace["shared"] is True and peace["parties"] == ["north", "south"] and peace["package"] is None
    port = next(r for r in rows if r["provision"] == L + "port-access")
    assert (port["interest"], port["strength"], port["package"], port["sources"]) == (
        L + "north-ports", "partial", L + "port-access", ["lake-2001/treaty @ Art. 4"])
    assert len(rows) == 6


def test_unmet_interests_with_best_strength(g):
    got = [(r["negotiation"], r["party"], r["role"], r["interest"], r["salience"], r["best_strength"])
           for r in q(g, "unmet-interests")]
    assert got == [
        ("lake-2001", "east", "principal", L + "east-compensation", 3, "nominal"),
        ("lake-2001", "fishers", "affected", L + "fishers-livelihood", 5, "nominal"),
        ("lake-2001", "north", "principal", L + "north-recognition", None, "none"),
        ("lake-2020", "north", "principal", "lake-2020/north-security", None, "none"),
        ("lake-2020", "south", "principal", "lake-2020/south-shore-control", None, "none"),
    ]


def test_distributive_deferred_and_contributions(g):
    dist = q(g, "distributive-provisions")
    assert [(r["provision"], r["interests"], r["parties"]) for r in dist] == [
        (L + "boundary-line", [L + "north-water", L + "south-sovereignty"], ["north", "south"]),
        (L + "fishing-quota", [], []),
    ]
    deferred = [(r["issue"], r["provision"], r["deferred_to"], r["followed_by"]) for r in q(g, "deferred-issues")]
    later = ["lake-2010", "lake-2020"]
    assert deferred == [
        (L + "status", L + "peace-council", "Talks on the final line within five years", later),
        (L + "status", L + "status-talks", "A conference in 2010", later),
        (L + "transit", L + "status-talks", "A conference in 2010", later),
    ]
    money = [(r["funder"], r["funder_role"], r["provision"], r["amount"], r["currency"], r["year"], r["parties"])
             for r in q(g, "contributions")]
    assert money == [
        ("broker", "mediator", L + "peace-council", None, None, None, ["north", "south"]),
        ("donor", "guarantor", L + "joint-works", 250000000.0, "USD", 2001, ["north", "south"]),
        ("donor", "facilitator", "lake-2010/compensation-fund", 40.5, "EUR", 2010, ["east", "north"]),
    ]


def test_interest_lineage(g):
    rows = q(g, "interest-lineage", party="east")
    assert [(r["lineage"], r["negotiation"], r["interest"], r["best_strength"], r["first_served_in"],
             r["first_served_strength"]) for r in rows] == [
        (L + "east-compensation", "lake-2001", L + "east-compensation", "nominal", "lake-2010", "full"),
        (L + "east-compensation", "lake-2010", "lake-2010/east-redress", "full", "lake-2010", "full"),
    ]
    south = q(g, "interest-lineage", of="lake-2020/south-shore-control")
    assert [(r["interest"], r["best_strength"], r["first_served_in"]) for r in south] == [
        (L + "south-sovereignty", "partial", "lake-2001"),
        ("lake-2020/south-shore-control", "none", "lake-2001"),
    ]
    assert len(q(g, "interest-lineage")) == 4
    assert q(g, "interest-lineage", party="broker") == []


def test_mechanism_mix_counts_packages(g):
    mix = {r["mechanism"]: (r["family"], r["provisions"], r["value_creating"]) for r in q(g, "mechanism-mix", case="lake-2001")}
    assert mix == {
        "bridging": ("integrative", 1, 1),
        "logrolling": ("integrative", 2, 2),
        "concession": ("distributive", 2, 1),
        "compromise": ("distributive", 1, 0),
        "expanding-the-pie": ("integrative", 2, 1),
        "deferral": ("deferral", 2, 1),
    }


def test_trades_name_their_package(g):
    assert {(r["provision"], r["traded_for"], r["package"]) for r in q(g, "trades")} == {
        (L + "tariff-concession", L + "port-access", L + "port-access"),
        (L + "transit-for-ports", L + "port-access", L + "port-access"),
    }
