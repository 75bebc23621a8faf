"""Golden answers for Camp David (issue 12), written from the case file and the texts it cites.

The expectations below are derived by hand from data/cases/camp-david-1978.yaml and its sources (treaty articles,
FRUS, Carter's letter to Congress of 2 April 1979, the accounts), not copied from the code's output:

- the withdrawal (Art. I(2)) was traded for normal relations (Art. III(3)) and free passage (Art. V), and the US
  paid for two replacement air bases in the Negev to make the evacuation of the Sinai bases acceptable; as one
  package (logrolling plus cost cutting) it serves Egypt and Israel, so each member is value-creating although
  each half alone serves one side;
- standalone integrative provisions that serve both principals in substance: limited-force zones and civilian
  airfields (bridging), phasing (cost cutting), the end of the war, the multinational-force assurance and Art. VII
  (expanding the pie);
- the UN force (never provided) and the agreed minute on the priority of obligations (it did not save Egypt's
  Arab standing) are integrative on paper but serve only Israel in substance: neither value-creating nor
  distributive;
- the Palestinians, not at the table, and Egypt's Arab standing are served on paper only (nominal); Israel's
  commitment to the Sinai settlers is served by nothing;
- the only contribution is the US grant of USD 800 million (1979) for the air bases;
- four deferrals: the autonomy framework, the autonomy talks timetable, Gaza's status under Art. II and the
  Knesset vote on the settlements.

Native engine only: the equivalence tests (tests/test_cypher.py, tests/test_sparql.py) cover the other engines.
"""

from __future__ import annotations

import pytest

import kg

CASE = "camp-david-1978"
PACKAGE = f"{CASE}/free-navigation"  # the smallest provision id of the withdrawal package


def _id(slug: str) -> str:
    return f"{CASE}/{slug}"


def _rows(name: str, graph) -> list[dict]:
    return kg.query(name, case=CASE, graph=graph).rows


@pytest.fixture(scope="module")
def value_creating(graph) -> dict[str, dict]:
    return {r["provision"]: r for r in _rows("value-creating-provisions", graph)}


# provision -> (mechanisms, package, principals served in substance by the provision itself)
VALUE_CREATING = {
    "withdrawal-to-international-boundary": (["logrolling"], PACKAGE, ["egypt"]),
    "normal-relations": (["logrolling"], PACKAGE, ["israel"]),
    "free-navigation": (["logrolling"], PACKAGE, ["israel"]),
    "negev-replacement-airbases": (["cost-cutting"], PACKAGE, ["israel"]),
    "limited-force-zones": (["bridging"], None, ["egypt", "israel"]),
    "airfields-civilian-use": (["bridging"], None, ["egypt", "israel"]),
    "phased-withdrawal-early-normalization": (["cost-cutting"], None, ["egypt", "israel"]),
    "end-of-war-non-use-of-force": (["expanding-the-pie"], None, ["egypt", "israel"]),
    "us-multinational-force-assurance": (["expanding-the-pie"], None, ["egypt", "israel"]),
    "disputes-negotiation-arbitration": (["expanding-the-pie"], None, ["egypt", "israel"]),
}


def test_value_creating_provisions_and_their_mechanisms(value_creating):
    assert set(value_creating) == {_id(p) for p in VALUE_CREATING}
    for slug, (mechanisms, package, parties) in VALUE_CREATING.items():
        row = value_creating[_id(slug)]
        assert row["mechanisms"] == mechanisms, slug
        assert row["package"] == package, slug
        assert row["parties"] == parties, slug
        assert row["package_parties"] == ["egypt", "israel"], slug


def test_the_withdrawal_package_is_one_unit(graph, value_creating):
    """Each half serves one side; only as a package does the logroll serve both (Lax and Sebenius; Raiffa)."""
    members = {p for p, r in value_creating.items() if r["package"] == PACKAGE}
    assert members == {_id(p) for p in ("withdrawal-to-international-boundary", "normal-relations",
                                        "free-navigation", "negev-replacement-airbases")}
    trades = {(r["provision"], r["traded_for"]) for r in _rows("trades", graph)}
    assert (_id("free-navigation"), _id("withdrawal-to-international-boundary")) in trades
    assert (_id("negev-replacement-airbases"), _id("withdrawal-to-international-boundary")) in trades
    assert (_id("withdrawal-to-international-boundary"), _id("normal-relations")) in trades
    assert all(r["sources"] for r in _rows("trades", graph))


def test_strengths_of_the_headline_links(graph):
    """Sovereignty came back with force limits Egypt resisted (partial); Israel's security was met in full."""
    links = {(r["provision"], r["interest"]): r for r in _rows("interest-provision-links", graph)}
    lfz = _id("limited-force-zones")
    assert links[(lfz, _id("israel-security-sinai"))]["strength"] == "full"
    assert links[(lfz, _id("egypt-sinai-sovereignty"))]["strength"] == "partial"
    assert links[(_id("normal-relations"), _id("israel-recognition-normal-relations"))]["strength"] == "partial"
    assert links[(_id("free-navigation"), _id("israel-sea-trade-routes"))]["strength"] == "full"
    assert all(r["sources"] and r["strength"] in ("partial", "full") for r in links.values())
    # the headline lists every substantive link of a value-creating provision, the mediator's too; the only one
    # is the US interest in a durable peace, met by the multinational force (which is value-creating for Egypt
    # and Israel, not because of it)
    assert {k for k, r in links.items() if "usa" in r["parties"]} == {
        (_id("us-multinational-force-assurance"), _id("usa-regional-stability"))
    }


def test_no_distributive_provision_and_the_integrative_ones_that_serve_one_side(graph, value_creating):
    assert _rows("distributive-provisions", graph) == []
    assert _id("un-forces-and-observers") not in value_creating  # never provided by the UN: nominal
    assert _id("priority-of-obligations") not in value_creating  # Egypt's standing served on paper only


UNMET = {
    # (party, interest slug): (role, best strength)
    ("egypt", "egypt-arab-standing"): ("principal", "nominal"),
    ("israel", "israel-settler-commitment"): ("principal", "none"),
    ("palestinians", "palestinian-self-determination"): ("affected", "nominal"),
    ("palestinians", "palestinian-end-of-occupation"): ("affected", "nominal"),
    ("palestinians", "palestinian-refugee-return"): ("affected", "nominal"),
    ("palestinians", "palestinian-own-voice"): ("affected", "nominal"),
}


def test_unmet_interests_with_best_strength(graph):
    rows = _rows("unmet-interests", graph)
    got = {(r["party"], r["interest"]): (r["role"], r["best_strength"]) for r in rows}
    assert got == {(p, _id(i)): v for (p, i), v in UNMET.items()}
    # the mediator's unmet wish for a comprehensive peace is not listed: only principals and affected parties
    assert all(r["party"] != "usa" for r in rows)


def test_palestinians_are_affected_and_never_count_towards_value(graph, value_creating):
    prof = kg.query("party-profile", params={"party": "palestinians", "case": CASE}, graph=graph).rows
    assert {r["role"] for r in prof} == {"affected"}
    assert {r["interest"] for r in prof} == {_id(i) for p, i in UNMET if p == "palestinians"}
    assert all("palestinians" not in r["parties"] for r in value_creating.values())


def test_contributions(graph):
    rows = _rows("contributions", graph)
    assert len(rows) == 1
    row = rows[0]
    assert (row["funder"], row["funder_role"], row["provision"]) == ("usa", "mediator", _id("negev-replacement-airbases"))
    assert (row["amount"], row["currency"], row["year"]) == (800_000_000, "USD", 1979)
    assert row["interests"] == [_id("israel-security-sinai")] and row["parties"] == ["israel"]
    assert any(s.startswith(f"{CASE}/carter-congress-letter-1979 @") for s in row["sources"])


DEFERRED = {
    # (provision, issue) -> words that must appear in deferred_to
    ("palestinian-autonomy-framework", "palestinian-question"): "five years",
    ("autonomy-talks-timetable", "palestinian-question"): "one month of ratification",
    ("autonomy-talks-timetable", "linkage"): "one month of ratification",
    ("permanent-boundary", "palestinian-question"): "Gaza Strip",
    ("permanent-boundary", "sinai-sovereignty"): "Gaza Strip",
    ("sinai-settlements-to-knesset", "sinai-settlements-airfields"): "Knesset",
    ("sinai-settlements-to-knesset", "sinai-sovereignty"): "Knesset",
}


def test_deferred_issues(graph):
    rows = _rows("deferred-issues", graph)
    got = {(r["provision"], r["issue"]): r for r in rows}
    assert set(got) == {(_id(p), _id(i)) for p, i in DEFERRED}
    for (p, i), words in DEFERRED.items():
        assert words in got[(_id(p), _id(i))]["deferred_to"], (p, i)
    # the negotiations that followed Camp David: the MFO protocol (Sinai) and Oslo (the Palestinian question)
    assert all(r["followed_by"] == ["mfo-protocol-1981", "oslo-1993"] for r in rows)


def test_integrative_share(graph):
    from kg.stats import case_stats

    s = next(r for r in case_stats(graph) if r["case"] == CASE)
    assert (s["provisions"], s["value_creating_provisions"], s["deferred_provisions"],
            s["distributive_provisions"], s["other_provisions"]) == (16, 10, 4, 0, 2)
