"""Data quality of the shipped corpus, and golden answers for the flagship cases."""

from __future__ import annotations

import pytest

import kg
from kg.stats import case_stats

CASES = {
    # climate and ozone
    "montreal-1987",
    "kyoto-1997",
    "copenhagen-2009",
    "paris-2015",
    "kigali-2016",
    # peace and territory
    "camp-david-1978",
    "panama-canal-1977",
    "beagle-channel-1984",
    "ecuador-peru-1998",
    "good-friday-1998",
    "oslo-1993",
    # commons and resources
    "antarctic-1959",
    "indus-1960",
    "unclos-1982",
    # nuclear
    "jcpoa-2015",
}
FLAGSHIPS = {"camp-david-1978", "paris-2015"}
CONTRASTS = {"copenhagen-2009", "oslo-1993"}
SCHOLARLY = {"scholarly", "official", "memoir"}


@pytest.fixture(scope="module")
def stats(graph):
    return {r["case"]: r for r in case_stats(graph)}


def test_all_cases_present(corpus):
    assert {c.id for c in corpus.cases} == CASES


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_meets_minimums(case, stats, corpus, graph):
    if case not in stats:
        pytest.fail(f"case {case} is missing")
    s = stats[case]
    n_int, n_prov = (8, 10) if case in FLAGSHIPS else (6, 8)
    assert s["interests"] >= n_int
    assert s["provisions"] >= n_prov
    assert s["principals_without_positions"] == []
    assert s["principals"] >= 1
    # sources: the treaty text plus at least one scholarly or official account, actually cited
    c = corpus.case(case)
    cited = {corpus.source_id(case, ct.source) for a in c.agreements for p in a.provisions for ct in p.sources}
    cited |= {corpus.source_id(case, ct.source) for x in c.interests for h in x.holders for ct in h.sources}
    cited |= {corpus.source_id(case, ct.source) for p in c.positions for ct in p.sources}
    kinds = {corpus.sources[s].kind for s in cited}
    assert "treaty-text" in kinds, f"{case}: no treaty text cited"
    assert kinds & SCHOLARLY, f"{case}: no scholarly or official account cited"
    # every provision's mechanisms and locator are present (schema), and value was or was not created
    assert s["value_creating_provisions"] >= (0 if case in CONTRASTS else 2)


def test_contrast_cases_show_their_contrast(stats):
    for case in CONTRASTS:
        s = stats[case]
        others = [stats[c] for c in CASES - CONTRASTS if c in stats]
        share = s["value_creating_provisions"] / s["provisions"]
        typical = sorted(o["value_creating_provisions"] / o["provisions"] for o in others)[len(others) // 2]
        assert share < typical, f"{case}: {share:.2f} value-creating share, median of the others {typical:.2f}"
        assert s["unmet_interests"] >= 2, case


def test_oslo_defers_core_issues(graph):
    mix = {r["mechanism"]: r["provisions"] for r in kg.query("mechanism-mix", case="oslo-1993", graph=graph).rows}
    assert mix.get("deferral", 0) >= 1


def test_shared_parties_carry_wikidata(graph):
    for p in ("usa", "china", "eu", "india", "egypt", "israel", "uk", "france", "germany", "russia", "iran"):
        assert graph.nodes[f"Party:{p}"].get("wikidata", "").startswith("Q"), p
    assert graph.nodes["Party:egypt"]["wikidata"] == "Q79"
    assert graph.nodes["Party:israel"]["wikidata"] == "Q801"
    assert graph.nodes["Party:usa"]["wikidata"] == "Q30"


def test_camp_david_golden(graph):
    """The limited-force zones serve Egypt's sovereignty and Israel's security: value-creating, sourced."""
    rows = kg.query("interest-provision-links", case="camp-david-1978", graph=graph).rows
    lfz = [r for r in rows if r["provision"] == "camp-david-1978/limited-force-zones"]
    assert lfz, "the limited-force-zones provision is not value-creating"
    assert any("egypt" in r["parties"] and r["category"] == "sovereignty" for r in lfz)
    assert any("israel" in r["parties"] and r["category"] == "security" for r in lfz)
    assert all(r["sources"] and r["locator"] for r in rows)
    assert "bridging" in lfz[0]["mechanisms"]
    produced = [v for _, v, k in graph.out_edges("Negotiation:camp-david-1978", keys=True) if k == "PRODUCED"]
    assert len(produced) >= 2
    prof = kg.query("party-profile", params={"party": "usa", "case": "camp-david-1978"}, graph=graph).rows
    assert {r["role"] for r in prof} == {"mediator"}


def test_paris_golden(graph):
    parties = {r["role"] for r in kg.query("party-profile", params={"party": "china", "case": "paris-2015"}, graph=graph).rows}
    assert parties == {"principal"}
    for p in ("usa", "china", "eu", "india", "aosis"):
        assert kg.query("positions-and-interests", case="paris-2015", params={"party": p}, graph=graph).rows, p
    vc = kg.query("value-creating-provisions", case="paris-2015", graph=graph).rows
    assert len(vc) >= 3
    assert all(r["locator"] for r in vc)


def test_cross_case_usa_interests_in_climate(graph):
    rows = kg.query("party-profile", params={"party": "usa"}, graph=graph).rows
    climate = {r["negotiation"] for r in rows if r["domain"] == "climate" and r["interest"]}
    assert {"kyoto-1997", "copenhagen-2009", "paris-2015"} <= climate
    for r in rows:
        if r["interest"]:
            ev = kg.query("evidence", params={"id": r["interest"]}, graph=graph).rows
            assert any(e["claim"] == "HAS_INTEREST" and e["subject"] == "usa" for e in ev), r["interest"]


def test_mechanism_mix_across_climate_cases(graph):
    rows = kg.query("mechanism-mix", graph=graph).rows
    climate = {"montreal-1987", "kyoto-1997", "copenhagen-2009", "paris-2015", "kigali-2016"}
    assert climate <= {r["negotiation"] for r in rows}
    assert any(r["integrative"] and r["value_creating"] for r in rows if r["negotiation"] in climate)


def test_every_uncertain_flag_has_a_reason(graph):
    for _, d in graph.nodes(data=True):
        assert d.get("uncertain", "x").strip()
    for *_, d in graph.edges(data=True):
        assert d.get("uncertain", "x").strip()
