"""Data quality of the shipped corpus, and golden answers for the flagship cases."""

from __future__ import annotations

import pytest

import kg
from kg.lint import lint
from kg.stats import case_stats

ORIGINAL = {  # the first release's fifteen cases stay in the corpus
    "montreal-1987", "kyoto-1997", "copenhagen-2009", "paris-2015", "kigali-2016", "camp-david-1978",
    "panama-canal-1977", "beagle-channel-1984", "ecuador-peru-1998", "good-friday-1998", "oslo-1993",
    "antarctic-1959", "indus-1960", "unclos-1982", "jcpoa-2015",
}
MINIMUM_CASES = 30  #: issue 18
FLAGSHIPS = {"camp-david-1978", "paris-2015"}
CONTRASTS = {"copenhagen-2009", "oslo-1993"}
SCHOLARLY = {"scholarly", "official", "memoir"}


def _cases() -> list[str]:
    from pathlib import Path

    return sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "data" / "cases").glob("*.yaml"))


@pytest.fixture(scope="module")
def stats(graph):
    return {r["case"]: r for r in case_stats(graph)}


def test_all_cases_present(corpus):
    ids = {c.id for c in corpus.cases}
    assert ids >= ORIGINAL
    assert len(ids) >= MINIMUM_CASES, f"{len(ids)} cases; issue 18 asks for {MINIMUM_CASES}"


def test_corpus_is_lint_clean(corpus):
    """Every lint warning is fixed in the data or waived there with a written reason (docs/model.md, "The lint")."""
    assert [str(w) for w in lint(corpus)] == []


def test_every_serves_has_a_strength(graph):
    missing = [(u, v) for u, v, k, d in graph.edges(keys=True, data=True) if k == "SERVES" and not d.get("strength")]
    assert missing == []


@pytest.mark.parametrize("case", _cases())
def test_case_meets_minimums(case, stats, corpus, graph):
    if case not in stats:
        pytest.fail(f"case {case} is missing")
    s = stats[case]
    status = graph.nodes[f"Negotiation:{case}"].get("status", "concluded")
    n_int, n_prov = (8, 10) if case in FLAGSHIPS else (6, 8)
    assert s["interests"] >= n_int
    if status == "concluded":
        assert s["provisions"] >= n_prov
    assert s["principals_without_positions"] == []
    assert s["principals"] >= 1
    # sources: the treaty (or decision, or official record) text plus a scholarly or official account, cited
    c = corpus.case(case)
    cited = {corpus.source_id(case, ct.source) for a in c.agreements for p in a.provisions for ct in p.sources}
    cited |= {corpus.source_id(case, ct.source) for x in c.interests for h in x.holders for ct in h.sources}
    cited |= {corpus.source_id(case, ct.source) for p in c.positions for ct in p.sources}
    kinds = {corpus.sources[s].kind for s in cited}
    if status == "concluded":
        assert "treaty-text" in kinds, f"{case}: no treaty text cited"
    assert kinds & SCHOLARLY, f"{case}: no scholarly or official account cited"
    # a concluded case creates some value unless it is a contrast case
    if status == "concluded" and case not in CONTRASTS:
        assert s["value_creating_provisions"] >= 1, case


def test_contrast_cases_show_their_contrast(stats):
    """The contrasts create less value than the typical concluded case and leave interests unmet."""
    for case in CONTRASTS:
        s = stats[case]
        others = [stats[c] for c in stats if c not in CONTRASTS and stats[c]["provisions"]]
        share = s["integrative_share"]
        typical = sorted(o["integrative_share"] for o in others)[len(others) // 2]
        assert share < typical, f"{case}: {share:.2f} integrative share, median of the others {typical:.2f}"
        assert s["unmet_interests"] >= 2, case


def test_a_failed_negotiation_contrasts(graph, stats):
    failed = [d["id"] for _, d in graph.nodes(data=True) if d["type"] == "Negotiation" and d.get("status") == "failed"]
    assert failed, "the corpus holds at least one failed negotiation (issue 13)"
    for case in failed:
        assert stats[case]["value_creating_provisions"] == 0 and stats[case]["unmet_interests"] >= 3, case


def test_lineage_links_new_cases_to_earlier_ones(graph):
    follows = [(u, v) for u, v, k in graph.edges(keys=True) if k == "FOLLOWS"]
    into_original = {graph.nodes[u]["id"] for u, v in follows if graph.nodes[v]["id"] in ORIGINAL
                     and graph.nodes[u]["id"] not in ORIGINAL}
    assert len(into_original) >= 5, into_original  # issue 18: at least five new cases link to existing ones
    assert sum(1 for *_, k in graph.edges(keys=True) if k == "CONTINUES") >= 10


def test_loss_and_damage_from_paris_to_its_answer(graph):
    """The vulnerable states' loss-and-damage claim: excluded at Paris (para. 51), answered by the 2022 fund."""
    rows = kg.query("interest-lineage", params={"of": "paris-2015/loss-and-damage-compensation"}, graph=graph).rows
    by_case = {r["negotiation"]: r for r in rows}
    assert by_case["paris-2015"]["best_strength"] == "nominal"
    assert {"paris-2015", "cop27-2022"} <= set(by_case)
    assert rows[0]["first_served_in"] in {"glasgow-2021", "cop27-2022"} and rows[0]["first_served_in"] != "paris-2015"
    assert {r["lineage"] for r in rows} == {"paris-2015/loss-and-damage-compensation"}
    aosis = kg.query("interest-lineage", params={"party": "aosis"}, graph=graph).rows
    assert {r["interest"] for r in rows} <= {r["interest"] for r in aosis}


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
    assert "bridging" in lfz[0]["mechanisms"] and {r["strength"] for r in lfz} <= {"partial", "full"}
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
