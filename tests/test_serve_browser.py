"""The workbench in headless Chromium: a library query, a Cypher and a SPARQL query, a CSV download, a
subgraph export, a report and the graph view, with no console error (a CSP violation would be one).

Skips without Chromium (see tests/plugins/browser.py), fails under CI=true. The session's browser is
offline for the gallery tests; this module lets it reach 127.0.0.1 and puts it back offline afterwards.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from kg import api
from tests.plugins.browser import console
from tests.serve_helpers import serve, wait_for

_NET = {"latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


@pytest.fixture(scope="module")
def workbench(browser, tmp_path_factory):
    from selenium.webdriver.support.ui import WebDriverWait

    downloads = tmp_path_factory.mktemp("downloads")
    browser.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, **_NET})
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        with serve("--timeout", "20") as s:
            console(browser)
            browser.get(s.url)
            WebDriverWait(browser, 60, 0.05).until(lambda d: d.execute_script("return window.negkg && window.negkg.ready"))
            yield browser, downloads, s
    finally:
        browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "default"})
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": True, **_NET})


def _run(driver, button: str) -> None:
    runs = driver.execute_script("return window.negkg.runs")
    driver.find_element("id", button).click()
    assert wait_for(lambda: driver.execute_script("return window.negkg.runs") > runs, 60)


def _table(driver) -> tuple[list[str], list[list[str]]]:
    head = [th.text for th in driver.find_elements("css selector", "#table thead th")]
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#table tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent))")
    return head, rows


def _downloaded(folder: Path, name: str) -> Path:
    path = folder / name
    assert wait_for(lambda: path.exists() and not list(folder.glob("*.crdownload")), 30), sorted(folder.iterdir())
    return path


def _errors(driver) -> list:
    return [e for e in console(driver) if e.get("level") == "SEVERE"]


def test_library_query_download_export_report_and_graph(workbench, mini_graph):
    import networkx as nx
    from selenium.webdriver.support.ui import Select

    driver, downloads, _ = workbench
    Select(driver.find_element("id", "lib-name")).select_by_value("shared-interests")
    Select(driver.find_element("id", "param-case")).select_by_value("river-1990")
    Select(driver.find_element("id", "lib-lang")).select_by_value("sparql")
    _run(driver, "lib-run")
    expected = api.query("shared-interests", case="river-1990", graph=mini_graph)
    head, rows = _table(driver)
    assert head == list(expected.columns) and len(rows) == len(expected.rows)
    assert rows[0][-1] == "; ".join(expected.rows[0]["parties"])
    driver.find_element("css selector", "#table thead th").click()
    assert driver.find_element("css selector", "#table thead th").get_attribute("aria-sort") == "ascending"

    driver.find_element("id", "dl-csv").click()
    assert _downloaded(downloads, "shared-interests.csv").read_text() == expected.to_csv()

    Select(driver.find_element("id", "export-format")).select_by_value("graphml")
    driver.find_element("id", "export-link").click()
    g = nx.read_graphml(io.BytesIO(_downloaded(downloads, "shared-interests-subgraph.graphml").read_bytes()))
    assert "Interest:river-1990/stability" in g

    main = driver.current_window_handle
    driver.find_element("id", "report-link").click()
    assert wait_for(lambda: len(driver.window_handles) == 2, 30)
    driver.switch_to.window(next(h for h in driver.window_handles if h != main))
    assert wait_for(lambda: "Regional stability" in driver.page_source, 60)
    driver.close()
    driver.switch_to.window(main)

    driver.find_element("id", "graph-toggle").click()
    frame = driver.find_element("id", "graph")
    assert frame.is_displayed()
    driver.switch_to.frame(frame)
    try:
        assert wait_for(lambda: driver.execute_script("return !!(window.negkg && window.negkg.ready)"), 60)
        nodes = driver.execute_script("return window.negkg.nodes ? window.negkg.nodes.length : document.body.innerText.length")
        assert nodes
    finally:
        driver.switch_to.default_content()
    errors = _errors(driver)
    assert errors == [], errors


def test_cypher_and_sparql_consoles(workbench):
    driver, _, _ = workbench
    driver.find_element("id", "tab-cypher").click()
    text = driver.find_element("id", "cy-text")
    text.clear()
    text.send_keys("MATCH (p:Party {id: $id})-[h:HAS_INTEREST]->(i:Interest) RETURN p, h, i.id AS interest ORDER BY interest")
    driver.find_element("id", "cy-params").send_keys("id=alpha")
    _run(driver, "cy-run")
    head, rows = _table(driver)
    assert head == ["p", "h", "interest"] and rows
    assert '"labels":["Party"]' in rows[0][0] and '"start":"alpha"' in rows[0][1]
    assert "Party" in driver.find_element("id", "cy-schema").text

    driver.find_element("id", "tab-sparql").click()
    sp = driver.find_element("id", "sp-text")
    sp.clear()
    sp.send_keys("SELECT ?party ?name WHERE { ?party a nkg:Party ; dcterms:title ?name } ORDER BY ?name")
    _run(driver, "sp-run")
    head, rows = _table(driver)
    assert head == ["party", "name"] and [r[1] for r in rows] == ["Alphaland", "Betaland", "Gamma Union"]

    sp.clear()
    sp.send_keys("SELECT * WHERE {\n ?s foo:bar ?o }")
    _run(driver, "sp-run")
    status = driver.find_element("id", "status")
    assert status.get_attribute("class") == "error" and "(line 2, column" in status.text
    time.sleep(0.1)
    assert _errors(driver) == [] or all("400" in e["message"] for e in _errors(driver))
