"""Golden tests for Paris 2015, written from the sources, not from the code's output.

Each expectation was derived from the case file (data/cases/paris-2015.yaml) read against the texts it cites:
the Paris Agreement and decision 1/CP.21 (read in full), decisions 2/CMA.3 and 3/CMA.3, and the accounts named
in the case. The reasoning, provision by provision:

- Value is created where an integrative mechanism serves, at strength partial or full, interests of two or more
  principals: the bridges of Art. 4.2-4.9 (NDCs), Art. 4.4 (calibrated differentiation) and Art. 14 (stocktake);
  the cost cutting of Art. 13 (one transparency framework, with flexibility for developing countries) and
  Art. 15 (non-punitive compliance); the nonspecific compensation of Art. 9 and para. 53 (finance 'in the
  context of meaningful mitigation actions and transparency'); the markets of Art. 6 (expanding the pie,
  Brazil and the EU); and the loss-and-damage logroll, Art. 8 traded for para. 51, judged as one package.
- Distributive: the temperature goal (a 2 °C / 1.5 °C split), the adaptation and technology concessions, the
  response-measures clause and the entry-into-force numbers.
- Unmet: the vulnerable states' interest in redress and compensation, which para. 51 mentions only to exclude
  (nominal), and Saudi Arabia's oil revenues, which Art. 4.15 only 'takes into consideration' (nominal).
- Deferred: the Article 6 rules (paras. 36-40) to the CMA, adopted at Glasgow in 2021; the next finance goal
  (para. 53); the 1.5 °C report and the 2018 dialogue (paras. 20-21).
- Contributions: the developed countries' collective finance (Art. 9, para. 53), recorded for the United States
  and the EU without an amount because no party's share was fixed.

Native engine only; the equivalence tests hold the other engines to the same rows.
"""

from __future__ import annotations

import pytest

import kg

P = "paris-2015/"


def q(graph, name):
    return kg.query(name, case="paris-2015", graph=graph).rows


def _strip(ids):
    return sorted(i.removeprefix(P) for i in ids)


@pytest.fixture(scope="module")
def value_rows(graph):
    return {r["provision"].removeprefix(P): r for r in q(graph, "value-creating-provisions")}


def test_value_creating_provisions_and_mechanisms(value_rows):
    got = {p: r["mechanisms"] for p, r in value_rows.items()}
    assert got == {
        "nationally-determined-contributions": ["bridging"],
        "differentiated-mitigation-expectations": ["bridging"],
        "global-stocktake": ["bridging"],
        "enhanced-transparency-framework": ["cost-cutting"],
        "facilitative-compliance": ["cost-cutting"],
        "finance-obligations": ["nonspecific-compensation"],
        "finance-goal-floor": ["cost-cutting", "deferral", "nonspecific-compensation"],
        "cooperative-approaches-and-mechanism": ["expanding-the-pie"],
        "loss-and-damage-article": ["logrolling"],
        "no-liability-clause": ["logrolling"],
    }


def test_loss_and_damage_logroll_is_one_value_creating_package(value_rows):
    art8, para51 = value_rows["loss-and-damage-article"], value_rows["no-liability-clause"]
    # each half serves one side only; the package serves both
    assert art8["package"] == para51["package"] == P + "loss-and-damage-article"
    assert art8["parties"] == ["aosis", "ldc-group"]
    assert _strip(art8["interests"]) == ["loss-and-damage-recognition"]
    assert para51["parties"] == ["usa"]
    assert _strip(para51["interests"]) == ["avoid-liability"]  # the nominal compensation link is not substantive
    assert art8["package_parties"] == para51["package_parties"] == ["aosis", "ldc-group", "usa"]
    assert (art8["strength"], para51["strength"]) == ("partial", "full")


def test_finance_is_compensation_and_transparency_is_cost_cutting(value_rows):
    fin = value_rows["finance-obligations"]
    assert _strip(fin["interests"]) == ["broaden-contributor-base", "support-for-developing-countries"]
    assert fin["parties"] == ["aosis", "eu", "g77", "india", "ldc-group", "usa"]
    floor = value_rows["finance-goal-floor"]
    assert _strip(floor["interests"]) == ["support-for-developing-countries", "usa-avoid-senate-approval"]
    etf = value_rows["enhanced-transparency-framework"]
    assert _strip(etf["interests"]) == ["common-transparency", "differentiation-cbdr"]
    assert etf["parties"] == ["china", "eu", "g77", "india", "usa"]
    assert etf["strength"] == "partial"


def test_headline_links_carry_strength_and_sources(graph):
    rows = q(graph, "interest-provision-links")
    assert {r["strength"] for r in rows} <= {"partial", "full"}
    ndc = {r["interest"].removeprefix(P): r for r in rows if r["provision"] == P + "nationally-determined-contributions"}
    assert set(ndc) == {"usa-avoid-senate-approval", "national-control-of-mitigation", "universal-durable-regime",
                        "ambition-over-time", "avoid-dangerous-warming"}
    assert ndc["national-control-of-mitigation"]["strength"] == "full"
    assert ndc["avoid-dangerous-warming"]["shared"] and ndc["avoid-dangerous-warming"]["parties"] == ["china", "eu", "usa"]
    assert any(s.startswith(P + "paris-agreement-text @ Art. 4.2") for s in ndc["national-control-of-mitigation"]["sources"])


def test_shared_interest_in_avoiding_dangerous_warming_is_tied_to_article_2(graph):
    shared = {r["interest"].removeprefix(P): r["parties"] for r in q(graph, "shared-interests")}
    assert shared["avoid-dangerous-warming"] == ["china", "eu", "usa"]
    # Art. 2.1(a) serves it, but as a compromise: distributive, never value-creating
    dist = {r["provision"].removeprefix(P): r for r in q(graph, "distributive-provisions")}
    goal = dist["temperature-goal-well-below-2"]
    assert goal["mechanisms"] == ["compromise"]
    assert _strip(goal["interests"]) == ["avoid-dangerous-warming", "survival-1-5c"]


def test_distributive_provisions(graph):
    rows = {r["provision"].removeprefix(P): r["mechanisms"] for r in q(graph, "distributive-provisions")}
    assert rows == {
        "temperature-goal-well-below-2": ["compromise"],
        "global-goal-on-adaptation": ["concession"],
        "technology-framework": ["concession"],
        "response-measures-consideration": ["concession"],
        "entry-into-force-threshold": ["compromise"],
    }


def test_unmet_interests_include_liability_and_compensation_at_nominal(graph):
    rows = {(r["party"], r["interest"].removeprefix(P)): r for r in q(graph, "unmet-interests")}
    assert set(rows) == {
        ("aosis", "loss-and-damage-compensation"),
        ("ldc-group", "loss-and-damage-compensation"),
        ("saudi-arabia", "protect-oil-revenues"),
    }
    comp = rows[("aosis", "loss-and-damage-compensation")]
    assert comp["best_strength"] == "nominal" and comp["role"] == "principal"
    assert comp["interest_name"] == "Redress, including compensation, for climate losses and damage they did little to cause"
    assert rows[("ldc-group", "loss-and-damage-compensation")]["best_strength"] == "nominal"
    assert rows[("saudi-arabia", "protect-oil-revenues")]["best_strength"] == "nominal"
    # recognition (Art. 8) was met in part: it is not unmet, and it keeps its id for the later cases
    assert ("aosis", "loss-and-damage-recognition") not in rows


def test_paragraph_51_serves_compensation_only_nominally(graph):
    e = graph.edges[f"Provision:{P}no-liability-clause", f"Interest:{P}loss-and-damage-compensation", "SERVES"]
    assert e["strength"] == "nominal"
    assert P + "decision-1-cp21" in e["source_ids"]


def test_deferred_issues(graph):
    rows = {(r["provision"].removeprefix(P), r["issue"].removeprefix(P)): r for r in q(graph, "deferred-issues")}
    assert set(rows) == {
        ("article-6-rules-deferred", "markets"),
        ("finance-goal-floor", "finance"),
        ("ipcc-1-5-report-and-2018-dialogue", "temperature-goal"),
        ("ipcc-1-5-report-and-2018-dialogue", "ambition-mechanism"),
    }
    art6 = rows[("article-6-rules-deferred", "markets")]
    assert art6["locator"] == "Decision 1/CP.21, paras. 36-40"
    assert "CMA" in art6["deferred_to"] and "Glasgow, 2021" in art6["deferred_to"]
    assert "2/CMA.3" in art6["deferred_to"] and "3/CMA.3" in art6["deferred_to"]
    assert "before 2025" in rows[("finance-goal-floor", "finance")]["deferred_to"]


def test_contributions(graph):
    rows = {(r["funder"], r["provision"].removeprefix(P)): r for r in q(graph, "contributions")}
    assert set(rows) == {
        ("usa", "finance-obligations"), ("eu", "finance-obligations"),
        ("usa", "finance-goal-floor"), ("eu", "finance-goal-floor"),
    }
    for r in rows.values():
        # a collective goal: no party's share was fixed, so no amount is recorded
        assert (r["amount"], r["currency"], r["year"]) == (None, None, None)
        assert r["funder_role"] == "principal"
        assert P + "support-for-developing-countries" in r["interests"]


def test_every_serves_has_a_strength(graph):
    edges = [e for u, v, k, e in graph.edges(keys=True, data=True)
             if k == "SERVES" and graph.nodes[u].get("negotiation") == "paris-2015"]
    assert edges and all(e.get("strength") in {"full", "partial", "nominal"} for e in edges)
