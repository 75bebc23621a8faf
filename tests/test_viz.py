"""The gallery's pages without a browser: data, emphasis, filters' tags, safety of the HTML, the CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import kg
from kg import api, viz
from kg.cli import main
from kg.graph import subgraph_for_case
from kg.viz import pages
from kg.viz import payload as pl
from kg.viz.html import script_json
from tests.conftest import MINI

#: payloads placed in names, descriptions, locators and source titles of the XSS corpus
XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_SCRIPT = "</script><script>window.__xss=2</script>"
XSS_TEXT = f"Alpha {XSS_IMG} & {XSS_SCRIPT} \u2028 end"


def xss_corpus(root: Path) -> Path:
    """A copy of the mini corpus whose texts carry script payloads; returns its data directory."""
    data = root / "xss-data"
    shutil.copytree(MINI, data)
    parties = yaml.safe_load((data / "parties.yaml").read_text())
    parties["parties"][0]["name"] = XSS_TEXT
    parties["parties"][1]["description"] = XSS_IMG
    (data / "parties.yaml").write_text(yaml.safe_dump(parties, allow_unicode=True))
    sources = yaml.safe_load((data / "sources.yaml").read_text())
    sources["sources"][0]["title"] = XSS_TEXT
    (data / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True))
    case_file = data / "cases" / "river-1990.yaml"
    case = yaml.safe_load(case_file.read_text())
    case["name"] = f"River {XSS_SCRIPT}"
    case["description"] = XSS_TEXT
    case["interests"][0]["name"] = XSS_TEXT
    case["interests"][0]["description"] = XSS_SCRIPT
    prov = case["agreements"][0]["provisions"][0]
    prov["name"] = XSS_TEXT
    prov["locator"] = XSS_IMG
    prov["serves"][0]["sources"][0]["locator"] = XSS_SCRIPT
    case_file.write_text(yaml.safe_dump(case, allow_unicode=True))
    return data


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(page)
    return p.tags


def page_data(page: str) -> dict:
    """The JSON data a page embeds."""
    m = re.search(r'<script type="application/json" id="negkg-data">(.*?)</script>', page, re.S)
    assert m, "no data element"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def xss_graph(tmp_path_factory):
    return api.graph(api.load(data_dir=xss_corpus(tmp_path_factory.mktemp("xss"))))


def test_script_json_escapes_everything_that_could_end_the_element():
    obj = {"a": XSS_TEXT, "b": ["\u2029", "&amp;"]}
    s = script_json(obj)
    assert not set(s) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(s) == obj


def test_case_page_holds_exactly_the_case_subgraph(mini_graph):
    page = viz.case_page(mini_graph, "river-1990")
    data = page_data(page)
    sub = subgraph_for_case(mini_graph, "river-1990")
    assert {n["id"] for n in data["nodes"]} == set(sub.nodes)
    assert sorted((e["from"], e["to"], e["rel"]) for e in data["edges"]) == sorted(sub.edges(keys=True))
    assert data["meta"]["physics"] is True and "x" not in data["nodes"][0]


def test_pages_are_self_contained(mini_graph):
    for page in (viz.case_page(mini_graph, "river-1990"), viz.overview_page(mini_graph),
                 viz.query_page(mini_graph, api.query("trades", graph=mini_graph))):
        tags = tags_of(page)
        scripts = [a for t, a in tags if t == "script"]
        assert len(scripts) == 3 and not any("src" in a for a in scripts)
        assert not [t for t, _ in tags if t in ("link", "img", "iframe", "object", "embed", "base")]
        assert all(a.get("href") == "index.html" for t, a in tags if t == "a")
        csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
        script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "default-src 'none'" in csp and script_src.count("'sha256-") == 2 and "unsafe" not in script_src


def test_headline_emphasis_on_mini(mini_graph):
    nodes, edges = pl.headline(mini_graph)
    p, i = "Provision:river-1990/", "Interest:river-1990/"
    assert nodes[p + "dam-and-canals"] == nodes[p + "joint-commission"] == 2  # value-creating
    assert p + "review" not in nodes  # serves alpha only
    assert nodes[i + "stability"] == 2  # shared
    assert nodes[i + "alpha-irrigation"] == 2  # served by a value-creating provision
    assert i + "beta-prestige" not in nodes
    assert nodes["Party:alpha"] == nodes["Party:beta"] == 1 and "Party:gamma" not in nodes
    assert edges[(p + "dam-and-canals", i + "beta-power", "SERVES")] == 2
    assert (p + "review", i + "alpha-irrigation", "SERVES") not in edges
    assert edges[("Party:alpha", i + "alpha-irrigation", "HAS_INTEREST")] == 1


def test_headline_paths_run_from_parties_to_agreements(mini_graph):
    nodes, edges = pl.headline(mini_graph)
    p, i = "Provision:river-1990/", "Interest:river-1990/"
    assert nodes["Agreement:river-1990/river-treaty"] == 1
    assert edges[("Agreement:river-1990/river-treaty", p + "dam-and-canals", "CONTAINS")] == 1
    assert ("Agreement:river-1990/river-treaty", p + "review", "CONTAINS") not in edges
    assert nodes["Position:river-1990/beta-dam"] == 1
    assert edges[("Position:river-1990/beta-dam", i + "beta-power", "REFLECTS")] == 1
    assert edges[("Party:beta", "Position:river-1990/beta-dam", "HOLDS")] == 1


def test_headline_asks_the_analysis_which_provisions_create_value(mini_graph, monkeypatch):
    """The emphasis follows kg.analysis.is_value_creating, whatever its definition."""
    from kg import analysis

    g = mini_graph.copy()  # a new graph object: the emphasis is cached per graph
    monkeypatch.setattr(analysis, "is_value_creating", lambda g, n: n.endswith("/review"))
    nodes, edges = pl.headline(g)
    assert nodes["Provision:river-1990/review"] == 2 and "Provision:river-1990/dam-and-canals" not in nodes
    assert edges[("Provision:river-1990/review", "Interest:river-1990/alpha-irrigation", "SERVES")] == 2


def test_layered_slots_read_left_to_right(graph):
    from kg.viz.layout import LANE_COLUMNS

    data = page_data(viz.case_page(graph, "camp-david-1978"))
    by_type: dict[str, set[int]] = {}
    for n in data["nodes"]:
        by_type.setdefault(n["type"], set()).add(n["col"])
        assert LANE_COLUMNS[n["col"]] == n["type"] and n["lane"] == 0 and n["group"] is None
    story = [min(by_type[t]) for t in ("Party", "Position", "Interest", "Provision", "Agreement")]
    assert story == sorted(story) and len(set(story)) == 5
    ranks = [(n["col"], n["rank"]) for n in data["nodes"]]
    assert len(ranks) == len(set(ranks))  # one node per slot
    assert data["meta"]["hidden"] == ["InterestCategory", "Issue", "Mechanism", "Negotiation", "Source"]
    assert not data["meta"]["groups"] and data["meta"]["lanes"] == ["camp-david-1978"]


def test_labels_wrap_the_whole_name_and_carry_badges(graph):
    data = page_data(viz.case_page(graph, "good-friday-1998"))
    longest = max(data["nodes"], key=lambda n: len(n["name"]))
    assert len(longest["name"]) > 150 and longest["label"].startswith(longest["name"])  # wrapped by the box, not cut
    style = data["meta"]["styles"][longest["style"]]
    assert style["widthConstraint"]["maximum"] <= 240 and style["font"]["size"] == 14
    interest = next(n for n in data["nodes"] if n["type"] == "Interest")
    category = graph.nodes[interest["id"]]["category"]
    assert interest["label"].split("\n[")[1].startswith(kg.model.INTEREST_CATEGORIES[category].label)
    assert data["meta"]["styles"][interest["style"]]["color"]["background"] == viz.payload.category_fill(category)


def test_query_pages_group_by_negotiation(graph):
    res = api.query("value-creating-provisions", graph=graph)
    data = page_data(viz.query_page(graph, res))
    lanes = data["meta"]["lanes"]
    assert data["meta"]["groups"] and len(lanes) == len({r["negotiation"] for r in res.rows}) > 5
    starts = [str(graph.nodes[f"Negotiation:{c}"]["start_date"]) for c in lanes]
    assert starts == sorted(starts)  # lanes in date order
    handles = {n["handle"]: n for n in data["nodes"] if n.get("handle")}
    assert set(handles) == set(lanes)
    for n in data["nodes"]:
        if n["group"]:
            assert graph.nodes[n["id"]].get("negotiation", n["group"]) == n["group"] and n["lane"] == lanes.index(n["group"])
        elif n["type"] == "Party":  # parties of several negotiations lie between the lanes, in column 0
            assert n["lane"] == -1 and n["col"] == 0
    first = lanes[0]
    assert handles[first]["members"] == sum(1 for n in data["nodes"] if n["group"] == first)
    assert data["meta"]["hidden"] == ["Mechanism"]


def test_overview_opens_each_negotiation_on_its_own_parties(graph):
    data = page_data(viz.overview_page(graph))
    assert data["meta"]["hidden"] == [] and data["meta"]["groups"]
    for n in data["nodes"]:
        if n["type"] == "Party":
            cases = {v for _, v, k in graph.out_edges(n["id"], keys=True) if k == "PARTICIPATED_IN"}
            assert (n["group"] is None) == (len(cases) > 1)
            assert n["col"] == (0 if len(cases) > 1 else 2)


def test_filter_tags_on_mini(mini_graph):
    def t(k):
        return pl.tags(mini_graph, k)

    assert t("Interest:river-1990/beta-power") == (["beta"], ["bridging"])
    assert t("Provision:river-1990/dam-and-canals") == (["alpha", "beta", "gamma"], ["bridging"])
    assert t("Party:alpha")[0] == ["alpha"]
    assert t("Party:alpha")[1] == ["bridging", "deferral", "expanding-the-pie"]
    assert t("Party:gamma")[1] == ["bridging"]  # it funds the dam
    assert t("Negotiation:river-1990") == (["alpha", "beta", "gamma"],
                                            ["bridging", "deferral", "expanding-the-pie"])
    assert t("Mechanism:deferral") == (["alpha"], ["deferral"])
    assert t("Position:river-1990/beta-dam")[0] == ["beta"]


def test_tooltips_carry_description_locator_and_sources(mini_graph):
    data = page_data(viz.case_page(mini_graph, "river-1990"))
    node = {n["id"]: dict(n["tip"]) for n in data["nodes"]}["Provision:river-1990/dam-and-canals"]
    assert node["locator"] == "Art. 2" and node["source"] == "River Treaty (1990) — Art. 2"
    assert node["mechanisms"] == "Bridging"
    serves = next(e for e in data["edges"] if e["rel"] == "SERVES" and e["to"].endswith("beta-power"))
    assert sorted(v for k, v in serves["tip"] if k == "source") == [
        "A Study of the Alpha-Beta Talks (2001) — p. 30", "River Treaty (1990) — Art. 2(2)"]
    assert serves["hl"] == 2 and serves["label"] == "SERVES"


def test_query_page_selects_the_nodes_its_rows_name(mini_graph):
    res = api.query("interest-provision-links", graph=mini_graph)
    data = page_data(viz.query_page(mini_graph, res))
    ids = {n["id"] for n in data["nodes"]}
    assert ids == pl.query_nodes(mini_graph, res.rows)
    assert {"Provision:river-1990/dam-and-canals", "Interest:river-1990/stability", "Party:alpha",
            "Mechanism:bridging", "Source:river-1990/treaty", "Source:smith-2001", "Negotiation:river-1990"} <= ids
    assert "Provision:river-1990/review" not in ids
    assert len(data["edges"]) == mini_graph.subgraph(ids).number_of_edges()
    ev = api.query("evidence", params={"id": "river-1990/joint-commission"}, graph=mini_graph)
    ev_ids = pl.query_nodes(mini_graph, ev.rows)
    assert {"Provision:river-1990/joint-commission", "Provision:river-1990/dam-and-canals", "Source:river-1990/treaty"} <= ev_ids


def test_overview_links_parties_and_negotiations(mini_graph):
    data = page_data(viz.overview_page(mini_graph))
    assert {n["id"] for n in data["nodes"]} == {"Negotiation:river-1990", "Party:alpha", "Party:beta", "Party:gamma"}
    assert {e["label"] for e in data["edges"]} == {"principal", "mediator"}
    neg = {n["id"]: dict(n["tip"]) for n in data["nodes"]}["Negotiation:river-1990"]
    assert neg["shared interests"] == "1" and neg["value-creating provisions"] == "2"


def test_xss_payloads_never_reach_the_markup(xss_graph):
    res = api.query("interest-provision-links", graph=xss_graph)
    for page in (viz.case_page(xss_graph, "river-1990"), viz.overview_page(xss_graph), viz.query_page(xss_graph, res)):
        assert "<img" not in page
        assert "<script>window" not in page
        tags = tags_of(page)
        assert [t for t, _ in tags].count("script") == 3
        assert not [t for t, _ in tags if t == "img"]
        text = json.dumps(page_data(page), ensure_ascii=False)
        assert json.dumps(XSS_TEXT, ensure_ascii=False)[1:-1] in text  # the data keeps the payload as text
    table_page = viz.query_page(xss_graph, res)
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in table_page  # autoescaped in the table


def test_large_graphs_get_a_precomputed_layout_and_no_physics():
    g = viz.synthetic_graph(1200, seed=3)
    assert g.number_of_nodes() == 1200
    data = pl.payload(g)
    assert data["meta"]["physics"] is False
    xy = [(n["x"], n["y"]) for n in data["nodes"]]
    assert len(xy) == 1200 and len(set(xy)) > 1190  # nodes spread out
    assert pl.payload(g) == data  # deterministic
    small = pl.payload(viz.synthetic_graph(400, seed=3))
    assert small["meta"]["physics"] is True and small["meta"]["iterations"] == 150 and "x" in small["nodes"][0]


def test_focus_resolves_ids_and_rejects_unknown(mini_graph):
    data = page_data(viz.case_page(mini_graph, "river-1990", focus="river-1990/dam-and-canals"))
    assert data["meta"]["focus"] == "Provision:river-1990/dam-and-canals"
    with pytest.raises(kg.errors.UsageError, match="no node"):
        viz.case_page(mini_graph, "river-1990", focus="nope")
    with pytest.raises(kg.errors.UsageError, match="unknown case"):
        viz.case_page(mini_graph, "nope")


def test_cli_writes_the_gallery(tmp_path, capsys):
    from kg.io import MANIFEST

    main(["--data", str(MINI), "viz", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    files = sorted(p.name for p in tmp_path.iterdir() if p.name != MANIFEST)
    assert files == sorted(["index.html", "overview.html", "case-river-1990.html", "potential-river-1990.html",
                            *(f"query-{q}.html" for q in viz.GALLERY_QUERIES)])
    assert err.count("wrote ") == len(files)  # status on standard error
    mask = os.umask(0)
    os.umask(mask)
    assert {p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {0o666 & ~mask}  # not mkstemp's 0600
    links = [a["href"] for t, a in tags_of((tmp_path / "index.html").read_text()) if t == "a"]
    assert sorted(links) == sorted(f for f in files if f != "index.html")
    main(["--data", str(MINI), "viz", "--out", str(tmp_path), "--query", "shared-interests", "--case", "river-1990"])
    assert (tmp_path / "query-shared-interests-river-1990.html").exists()
    # one file per parameter value, never the same file for every party
    for party in ("alpha", "beta"):
        main(["--data", str(MINI), "viz", "--out", str(tmp_path), "--query", "party-profile", "--param", f"party={party}"])
        page = tmp_path / f"query-party-profile-party-{party}.html"
        assert f"Party:{party}" in {n["id"] for n in page_data(page.read_text())["nodes"]}
    assert not (tmp_path / "query-party-profile.html").exists()
    hostile = pages.query_page_file("party-profile", params={"party": "../../etc/passwd"})
    assert "/" not in hostile and ".." not in hostile
    assert hostile != pages.query_page_file("party-profile", params={"party": "etc-passwd"})


@pytest.mark.parametrize(("args", "needle"), [
    (["--case", "river-1990", "--focus", "nope"], "no node"),
    (["--focus", "x"], "--focus needs --case"),
    (["--case", "nope"], "unknown case"),
    (["--query", "nope"], "unknown query"),
    (["--lang", "sparql"], "need --query"),
])
def test_cli_usage_errors(tmp_path, capsys, args, needle):
    with pytest.raises(SystemExit) as e:
        main(["--data", str(MINI), "viz", "--out", str(tmp_path), *args])
    assert e.value.code == 2
    assert needle in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_show_embeds_the_page_in_a_sandboxed_srcdoc(mini_graph):
    obj = viz.show(mini_graph, "river-1990")  # outside IPython: an object notebooks render
    html = obj._repr_html_()
    assert html.startswith('<iframe srcdoc="&lt;!doctype html&gt;') and 'sandbox="allow-scripts"' in html
    assert "<script" not in html and "&lt;script&gt;" in html  # the whole page is one attribute value
    assert 'href="index.html"' not in obj.page  # no gallery link inside a notebook


@pytest.mark.parametrize("lang", ["sparql", "cypher"])
def test_query_pages_from_other_engines_draw_the_same_nodes(mini_graph, lang):
    native = api.query("value-creating-provisions", graph=mini_graph)
    other = api.query("value-creating-provisions", lang=lang, graph=mini_graph)
    assert other.lang == lang
    page = viz.query_page(mini_graph, other)
    assert page_data(page)["nodes"] == page_data(viz.query_page(mini_graph, native))["nodes"]
    assert f"({len(native.rows)} rows, {lang})" in page
