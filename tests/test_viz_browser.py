"""The gallery in a real headless Chromium, offline: pages load cleanly, counts match, controls work, no XSS runs.

Skips without Chromium (see tests/plugins/browser.py), fails under CI=true.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kg import api, viz
from kg.graph import subgraph_for_case
from kg.viz import payload as pl
from tests.plugins.browser import load_page
from tests.test_viz import XSS_IMG, XSS_SCRIPT, XSS_TEXT, xss_corpus

pytestmark = pytest.mark.timeout(300)


def expected_nodes(g, page: Path) -> set[str]:
    """The nodes a gallery page must draw, computed from the graph (not from the page)."""
    name = page.stem
    if name == "overview":
        return pl.overview_nodes(g)
    if name.startswith("case-"):
        return set(subgraph_for_case(g, name.removeprefix("case-")))
    res = api.query(name.removeprefix("query-"), graph=g)
    return pl.query_nodes(g, res.rows)


def counts(driver) -> dict[str, int]:
    return driver.execute_script(
        "return {nodes: negkg.nodes.length, edges: negkg.edges.length, "
        "visibleNodes: negkg.visibleNodes(), visibleEdges: negkg.visibleEdges()}")


def wait_visible(driver, n: int, timeout: float = 10) -> int:
    """Wait until the network shows ``n`` nodes (controls apply after a short debounce); return the count."""
    end = time.monotonic() + timeout
    while True:
        got = driver.execute_script("return negkg.visibleNodes()")
        if got == n or time.monotonic() > end:
            return got
        time.sleep(0.05)


def check_gallery(browser, g, out: Path) -> list[str]:
    """Load every page of a gallery; return one line per page with its ready time."""
    from selenium.webdriver.common.by import By

    report = []
    for page in sorted(out.glob("*.html")):
        if page.name == "index.html":
            loaded = load_page(browser, page, ready=False)
            links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a")]
            assert all((out / Path(u).name).exists() for u in links) and len(links) == len(list(out.glob("*.html"))) - 1
        else:
            loaded = load_page(browser, page)
            keep = expected_nodes(g, page)
            got = counts(browser)
            want = {"nodes": len(keep), "edges": g.subgraph(keep).number_of_edges()}
            assert got == {**want, "visibleNodes": want["nodes"], "visibleEdges": want["edges"]}, page.name
            assert browser.execute_script("return negkg.network.body.data.nodes.length") == len(keep)
        assert loaded.errors == [], (page.name, loaded.errors)
        assert loaded.external == [], (page.name, loaded.external)
        report.append(f"{page.name}: ready {loaded.ready_ms} ms")
    return report


@pytest.fixture(scope="module")
def mini_gallery(tmp_path_factory, mini_graph):
    out = tmp_path_factory.mktemp("gallery-mini")
    viz.gallery(mini_graph, out)
    return out


def test_every_mini_page_loads_offline_with_the_right_counts(browser, mini_graph, mini_gallery):
    assert len(check_gallery(browser, mini_graph, mini_gallery)) == 2 + 1 + len(viz.GALLERY_QUERIES)


def test_every_shipped_page_loads_offline_with_the_right_counts(browser, graph, tmp_path):
    viz.gallery(graph, tmp_path)
    report = check_gallery(browser, graph, tmp_path)
    print("\n".join(report))


def test_search_and_filters_change_what_is_shown(browser, mini_graph, mini_gallery):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    load_page(browser, mini_gallery / "case-river-1990.html")
    sub = subgraph_for_case(mini_graph, "river-1990")
    total = sub.number_of_nodes()
    data = pl.payload(mini_graph, set(sub))
    tagged = {n["id"]: n for n in data["nodes"]}

    # search: the matches and their neighbours
    box = browser.find_element(By.ID, "search")
    box.send_keys("Betaland")
    hits = {n for n in sub if "betaland" in (sub.nodes[n].get("name", "") + " " + sub.nodes[n]["id"]).lower()}
    want = hits | {m for n in hits for m in (*sub.successors(n), *sub.predecessors(n))}
    assert hits == {"Party:beta"}
    assert wait_visible(browser, len(want)) == len(want)
    assert set(browser.execute_script("return negkg.nodeView.getIds()")) == want
    assert browser.execute_script("return negkg.network.getSelectedNodes()") == ["Party:beta"]
    box.clear()
    box.send_keys(" ")  # an input event with an empty query
    assert wait_visible(browser, total) == total

    # node type: hide the sources
    browser.find_element(By.CSS_SELECTOR, '#types input[data-type="Source"]').click()
    n_sources = sum(1 for n in sub if sub.nodes[n]["type"] == "Source")
    assert n_sources and wait_visible(browser, total - n_sources) == total - n_sources
    browser.find_element(By.CSS_SELECTOR, '#types input[data-type="Source"]').click()
    assert wait_visible(browser, total) == total

    # party
    Select(browser.find_element(By.ID, "party")).select_by_visible_text("Betaland")
    want = {k for k, n in tagged.items() if "beta" in n["parties"]}
    assert wait_visible(browser, len(want)) == len(want) < total
    ids = set(browser.execute_script("return negkg.nodeView.getIds()"))
    assert "Interest:river-1990/beta-power" in ids and "Interest:river-1990/alpha-irrigation" not in ids
    Select(browser.find_element(By.ID, "party")).select_by_value("")

    # mechanism
    Select(browser.find_element(By.ID, "mechanism")).select_by_visible_text("Deferral")
    ids = {"Provision:river-1990/review", "Mechanism:deferral", "Interest:river-1990/alpha-irrigation"}
    want = {k for k, n in tagged.items() if "deferral" in n["mechs"]}
    assert ids <= want and wait_visible(browser, len(want)) == len(want)
    assert set(browser.execute_script("return negkg.nodeView.getIds()")) == want

    # headline only, combined with nothing else
    browser.find_element(By.ID, "reset").click()
    assert wait_visible(browser, total) == total
    browser.find_element(By.ID, "headline").click()
    want = {k for k, n in tagged.items() if n["hl"]}
    assert wait_visible(browser, len(want)) == len(want)
    assert "Provision:river-1990/review" not in set(browser.execute_script("return negkg.nodeView.getIds()"))
    edges = browser.execute_script("return negkg.edgeView.get().map(e => [e.from, e.to, e.width])")
    assert ["Provision:river-1990/dam-and-canals", "Interest:river-1990/beta-power", 6] in edges
    browser.find_element(By.ID, "reset").click()
    assert wait_visible(browser, total) == total


def test_xss_payloads_do_not_run_and_show_as_text(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    g = api.graph(api.load(data_dir=xss_corpus(tmp_path)))
    out = tmp_path / "gallery"
    viz.gallery(g, out)
    check_gallery(browser, g, out)  # loads, counts, no console errors
    for page in sorted(out.glob("*.html")):
        load_page(browser, page, ready=page.name != "index.html")
        assert browser.execute_script("return typeof window.__xss") == "undefined", page.name
        assert browser.execute_script("return document.querySelectorAll('img').length") == 0, page.name
        assert len(browser.find_elements(By.TAG_NAME, "script")) == (0 if page.name == "index.html" else 3)
        if page.name == "index.html":
            assert XSS_SCRIPT in browser.find_element(By.TAG_NAME, "body").text

    load_page(browser, out / "case-river-1990.html")
    key = "Provision:river-1990/dam-and-canals"
    tip = browser.execute_script("return negkg.nodes.get(arguments[0]).title.textContent", key)
    assert XSS_TEXT in tip and f"locator: {XSS_IMG}" in tip
    assert browser.execute_script("return negkg.nodes.get(arguments[0]).label", key).startswith("Alpha <img src=x")
    assert browser.title == f"River {XSS_SCRIPT} (1988–1990)"
    party_names = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#party option")]
    assert XSS_TEXT.replace("\u2028", " ").split()[0] in party_names[1] and "<img" in party_names[1]
    # a real hover over the node opens vis-network's tooltip, with the payload as text
    xy = browser.execute_script(
        "var p = negkg.network.getPositions([arguments[0]])[arguments[0]]; var d = negkg.network.canvasToDOM(p);"
        "var r = document.getElementById('network').getBoundingClientRect(); return [d.x - r.width / 2, d.y - r.height / 2];",
        key)
    ActionChains(browser).move_to_element_with_offset(browser.find_element(By.ID, "network"), int(xy[0]), int(xy[1])).perform()
    shown = ""
    for _ in range(60):
        shown = browser.execute_script("var t = document.querySelector('div.vis-tooltip');"
                                       "return t && t.style.visibility !== 'hidden' ? t.textContent : ''")
        if shown:
            break
        time.sleep(0.05)
    assert XSS_TEXT in shown
    browser.execute_script("negkg.showNode(arguments[0])", key)
    details = browser.find_element(By.ID, "details")
    assert XSS_IMG in details.get_attribute("textContent")
    assert not details.find_elements(By.CSS_SELECTOR, "img, script")
    serves = browser.execute_script(
        "return negkg.edges.get().filter(e => e.from === arguments[0] && e.to.endsWith('alpha-irrigation'))"
        ".map(e => e.title.textContent)", key)
    assert len(serves) == 1 and XSS_SCRIPT in serves[0] and XSS_TEXT in serves[0]  # locator and source title
    assert browser.execute_script("return typeof window.__xss") == "undefined"

    load_page(browser, out / "query-interest-provision-links.html")
    cells = [td.get_attribute("textContent") for td in browser.find_elements(By.CSS_SELECTOR, "#result td")]
    assert XSS_TEXT in cells and XSS_IMG in cells
    assert browser.execute_script("return typeof window.__xss") == "undefined"


@pytest.mark.parametrize("n", [2000, 5000])
def test_large_graph_settles_fast(browser, tmp_path, n, record_property):
    g = viz.synthetic_graph(n, seed=7)
    page = tmp_path / f"synthetic-{n}.html"
    t0 = time.perf_counter()
    page.write_text(viz.graph_page(g, title=f"synthetic {n}"), encoding="utf-8")
    build_s = time.perf_counter() - t0
    loaded = load_page(browser, page, timeout=60)
    assert loaded.errors == [] and loaded.external == []
    got = counts(browser)
    assert got["nodes"] == n and got["edges"] == g.number_of_edges() == got["visibleEdges"]
    assert browser.execute_script("return negkg.data.meta.physics") is False
    # still usable: a filter applies quickly
    t1 = time.perf_counter()
    browser.execute_script("document.querySelector('#types input[data-type=\"Source\"]').click()")
    n_src = sum(1 for _, t in g.nodes(data="type") if t == "Source")
    assert wait_visible(browser, n - n_src) == n - n_src
    filter_s = time.perf_counter() - t1
    figures = {"nodes": n, "edges": g.number_of_edges(), "build_s": round(build_s, 2),
               "ready_ms": round(loaded.ready_ms), "filter_s": round(filter_s, 2)}
    record_property("viz_scale", json.dumps(figures))
    print(f"\nscale {figures}")
    assert loaded.ready_ms < 15000, figures


def test_camp_david_shows_the_limited_force_zones_serving_both_parties(browser, graph, tmp_path):
    case, prov = "camp-david-1978", "Provision:camp-david-1978/limited-force-zones"
    if prov not in graph:
        pytest.skip(f"{prov} is not in the shipped corpus yet")
    page = tmp_path / "camp.html"
    page.write_text(viz.case_page(graph, case, focus=prov), encoding="utf-8")
    loaded = load_page(browser, page)
    assert loaded.errors == []
    border = browser.execute_script("var n = negkg.nodes.get(arguments[0]); return [n.borderWidth, n.color.border]", prov)
    assert border == [5, "#d4a017"]  # a value-creating provision, emphasised in gold
    assert browser.execute_script("return negkg.network.getSelectedNodes()") == [prov]
    serves = browser.execute_script(
        "return negkg.edges.get().filter(e => e.from === arguments[0] && e.label === 'SERVES').map(e => [e.to, e.width])",
        prov)
    assert serves and all(w == 6 for _, w in serves)
    holders = {u.split(":", 1)[1] for i, _ in serves for u, _, k in graph.in_edges(i, keys=True) if k == "HAS_INTEREST"}
    assert {"egypt", "israel"} <= holders


def test_focus_and_empty_result(browser, mini_graph, tmp_path):
    from selenium.webdriver.common.by import By

    key = "Provision:river-1990/dam-and-canals"
    page = tmp_path / "focus.html"
    page.write_text(viz.case_page(mini_graph, "river-1990", focus="river-1990/dam-and-canals"), encoding="utf-8")
    assert load_page(browser, page).errors == []
    assert browser.execute_script("return negkg.network.getSelectedNodes()") == [key]
    assert "Dam upstream, canals downstream" in browser.find_element(By.ID, "details").text
    empty = api.query("party-profile", params={"party": "nobody"}, graph=mini_graph)
    assert empty.rows == []
    page = tmp_path / "empty.html"
    page.write_text(viz.query_page(mini_graph, empty), encoding="utf-8")
    loaded = load_page(browser, page)
    assert loaded.errors == [] and counts(browser) == {"nodes": 0, "edges": 0, "visibleNodes": 0, "visibleEdges": 0}


def test_realistic_synthetic_corpus_of_about_2000_nodes(browser, tmp_path):
    """kg.synth writes case files shaped like the curated ones; they go through the real loader."""
    synth = pytest.importorskip("kg.synth")
    g = api.graph(api.load(data_dir=synth.generate(60, seed=2, out_dir=tmp_path / "corpus")))
    assert g.number_of_nodes() > 1500
    page = tmp_path / "realistic.html"
    page.write_text(viz.graph_page(g, title="realistic"), encoding="utf-8")
    loaded = load_page(browser, page, timeout=60)
    assert loaded.errors == [] and loaded.external == []
    assert counts(browser)["nodes"] == g.number_of_nodes()
    print(f"\nrealistic {g.number_of_nodes()} nodes, {g.number_of_edges()} edges: ready {round(loaded.ready_ms)} ms")
    assert loaded.ready_ms < 15000
