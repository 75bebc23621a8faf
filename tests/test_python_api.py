"""The notebook-first Python API at package level: names, the submodules they share a name with, results as tables
and DataFrames, ad-hoc Cypher and SPARQL, RDF, selection, reports, and kg.network (pyvis) without a browser."""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg import api
from kg.errors import RuntimeFailure, UsageError
from kg.viz.style import FAMILY_FILL, HEADLINE_COLOR
from tests.conftest import MINI
from tests.test_viz import XSS_IMG, XSS_TEXT, tags_of, xss_corpus

API = ("query", "cypher", "sparql", "graph", "rdf", "select", "network", "report", "load", "validate", "build",
       "summary", "Result", "load_corpus", "build_graph")


@pytest.fixture
def shell():
    """An IPython shell for this test only (viz.show displays inside IPython and returns otherwise)."""
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell

    yield InteractiveShell.instance()
    InteractiveShell.clear_instance()


@pytest.fixture(scope="module")
def xss_graph(tmp_path_factory):
    return api.graph(api.load(data_dir=xss_corpus(tmp_path_factory.mktemp("xss"))))


def test_dir_and_completion_show_the_api(shell):
    names = dir(kg)
    assert set(API) <= set(names) and "__version__" in names
    assert not [n for n in names if n.startswith("_") and n != "__version__"]
    from IPython.core.completer import IPCompleter, provisionalcompleter

    shell.user_ns["kg"] = kg
    for jedi in (True, False):  # tab completion, with and without jedi
        completer = IPCompleter(shell=shell, namespace=shell.user_ns, use_jedi=jedi)
        with provisionalcompleter():
            matches = {c.text.lstrip(".") for c in completer.completions("kg.", 3)}
        assert set(API) <= matches, (jedi, set(API) - matches)


def test_api_names_that_are_also_submodules():
    g = kg.graph(data_dir=MINI)
    assert isinstance(g, nx.MultiDiGraph) and g.number_of_nodes() == 34
    assert kg.build_graph(kg.load_corpus(data_dir=MINI)).number_of_nodes() == 34
    assert kg.graph.subgraph_for_case(g, "river-1990").number_of_nodes() > 10  # the module kg.graph behind the function
    from kg.graph import subgraph_for_case  # internal imports of the modules keep working
    from kg.load import read_yaml  # noqa: F401
    from kg.select import parse_select

    assert subgraph_for_case is kg.graph.subgraph_for_case and parse_select(["party=a"]) == {"party": ["a"]}
    ns: dict = {}  # importing a submodule leaves the function in place
    exec("import kg.graph\nimport kg.rdf.mapping\nn = kg.graph(data_dir=MINI).number_of_nodes()\n"
         "iri = kg.rdf.mapping.node_iri('Party', 'alpha')", {"MINI": MINI}, ns)
    assert ns["n"] == 34 and ns["iri"].endswith("/party/alpha")
    from kg import report

    assert callable(report) and callable(report.render)
    import inspect

    assert "data_dir" in inspect.signature(kg.graph).parameters and kg.graph.__doc__ == api.graph.__doc__
    assert kg.query is api.query and kg.Result is api.Result


def test_import_kg_stays_light():
    code = ("import sys, kg; dir(kg); heavy = [m for m in ('networkx', 'rdflib', 'pyvis', 'pydantic', 'ladybug',"
            " 'pyoxigraph', 'jinja2', 'pandas', 'polars', 'IPython') if m in sys.modules]; print(','.join(heavy))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == ""


def test_result_shows_as_an_escaped_table_and_converts(xss_graph):
    res = kg.query("interest-provision-links", graph=xss_graph)
    table = res._repr_html_()
    assert table.startswith('<table class="negkg-result">') and table.count("<tr>") == len(res.rows) + 1
    assert "<img" not in table and "<script" not in table
    assert html.escape(XSS_IMG) in table
    assert [t for t, _ in tags_of(table)] == ["table", "caption", "thead", "tr", *["th"] * len(res.columns), "tbody",
                                              *(["tr", *["td"] * len(res.columns)] * len(res.rows))]
    assert repr(res).startswith("Result('interest-provision-links', lang='native', ")
    df = res.to_pandas()
    assert list(df.columns) == list(res.columns) and df.to_dict("records") == res.rows
    pl = res.to_polars()
    assert pl.columns == list(res.columns) and pl.to_dicts() == res.rows
    empty = kg.query("party-profile", params={"party": "nobody"}, graph=xss_graph)
    assert empty.to_polars().columns == list(empty.columns) and empty.to_pandas().empty
    many = api.Result("x", ("n",), [{"n": i} for i in range(api.Result.HTML_ROWS + 5)])
    assert many._repr_html_().count("<tr>") == api.Result.HTML_ROWS + 1 and "5 more rows" in many._repr_html_()


def test_dataframes_need_their_optional_packages(monkeypatch):
    monkeypatch.setitem(sys.modules, "polars", None)  # import polars raises ImportError
    with pytest.raises(RuntimeFailure, match=r"negotiation-kg\[notebook\]"):
        api.Result("x", ("a",), [{"a": 1}]).to_polars()


def test_cypher_and_sparql_at_package_level(mini_graph):
    res = kg.cypher("MATCH (p:Party)-[:HAS_INTEREST]->(i:Interest) WHERE p.id = $p RETURN i.id AS interest "
                    "ORDER BY interest", {"p": "beta"}, graph=mini_graph)
    assert res.lang == "cypher" and res.columns == ("interest",)
    assert [r["interest"] for r in res.rows] == ["river-1990/beta-power", "river-1990/beta-prestige", "river-1990/stability"]
    with pytest.raises(UsageError):
        kg.cypher("MATCH (p:Party) DETACH DELETE p", graph=mini_graph)
    prefix = "PREFIX nkg: <https://w3id.org/negotiation-kg/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
    sel = kg.sparql(prefix + "SELECT ?id WHERE { ?p a nkg:Party ; dct:identifier ?id } ORDER BY ?id", graph=mini_graph)
    assert sel.lang == "sparql" and [r["id"] for r in sel.rows] == ["alpha", "beta", "gamma"]
    assert kg.sparql(prefix + "ASK { ?p a nkg:Party }", graph=mini_graph) is True
    built = kg.sparql(prefix + "CONSTRUCT { ?p a nkg:Party } WHERE { ?p a nkg:Party }", graph=mini_graph)
    assert len(built) == 3
    with pytest.raises(UsageError):
        kg.sparql(prefix + "INSERT DATA { <urn:a> <urn:b> <urn:c> }", graph=mini_graph)


def test_rdf_select_and_report_at_package_level(mini_graph, tmp_path):
    rdf = kg.rdf(mini_graph)
    ds = kg.rdf(mini_graph, dataset=True)
    assert len(rdf) > 100 and sum(len(g) for g in ds.graphs()) >= len(rdf)
    a = kg.select("party=beta", "category=recognition", graph=mini_graph)
    b = kg.select(party="beta", category="recognition", graph=mini_graph)
    assert sorted(a) == sorted(b) and "Interest:river-1990/beta-prestige" in a
    md = kg.report(case="river-1990", graph=mini_graph)
    assert md.startswith("# River Treaty talks")
    files = kg.report(select={"party": ["alpha"]}, graph=mini_graph, path=tmp_path / "alpha.html")
    assert files == [tmp_path / "alpha.html"] and "<html" in files[0].read_text()
    with pytest.raises(UsageError, match="say what to report on"):
        kg.report(graph=mini_graph)


def test_shared_graph_is_reused_until_a_file_changes(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    first = api.shared_graph(data)
    assert api.shared_graph(data) is first
    assert kg.query("shared-interests", data_dir=data).rows == kg.query("shared-interests", graph=first).rows
    case = data / "cases" / "river-1990.yaml"
    case.write_text(case.read_text().replace("name: River Treaty talks", "name: River Treaty negotiations"))
    os.utime(case, ns=(case.stat().st_atime_ns, case.stat().st_mtime_ns + 1_000_000_000))
    second = api.shared_graph(data)
    assert second is not first and second.nodes["Negotiation:river-1990"]["name"] == "River Treaty negotiations"
    assert kg.graph(data_dir=data) is not second  # kg.graph() always builds a new graph


def test_network_is_a_styled_offline_pyvis_network(mini_graph, tmp_path):
    from pyvis.network import Network

    from kg.graph import subgraph_for_case

    net = kg.network(case="river-1990", graph=mini_graph)
    assert isinstance(net, Network)
    case = set(subgraph_for_case(mini_graph, "river-1990"))
    story = {n for n in case if mini_graph.nodes[n]["type"] in ("Party", "Position", "Interest", "Provision", "Agreement")}
    assert {n["id"] for n in net.nodes} == story  # vocabulary, issues and sources as colour, badges and tooltips
    node = {n["id"]: n for n in net.nodes}["Provision:river-1990/dam-and-canals"]
    assert node["color"]["border"] == HEADLINE_COLOR and node["borderWidth"] == 5
    assert node["color"]["background"] == FAMILY_FILL["integrative"] and node["label"].endswith("[Bridging · 2 sources]")
    assert node["title"].startswith("Dam upstream, canals downstream\ntype: Provision\n")
    assert "source: River Treaty (1990) — Art. 2" in node["title"] and {"col", "lane", "rank"} <= set(node)
    assert json.loads(json.dumps(net.options))["physics"]["enabled"] is False
    wider = kg.network(case="river-1990", graph=mini_graph, context=True)
    assert {n["id"] for n in wider.nodes} == case
    force = kg.network(case="river-1990", graph=mini_graph, layout="force")
    assert force.options["physics"]["enabled"] is True and force.options["edges"]["smooth"] == {"enabled": False}
    res = kg.query("shared-interests", graph=mini_graph)
    assert "Interest:river-1990/stability" in {n["id"] for n in kg.network(select=res, graph=mini_graph).nodes}
    sel = kg.network(select="party=gamma", graph=mini_graph)
    assert "Party:gamma" in {n["id"] for n in sel.nodes}
    with pytest.raises(UsageError, match="unknown layout"):
        kg.network(case="river-1990", graph=mini_graph, layout="circle")
    with pytest.raises(UsageError, match="unknown case"):
        kg.network(case="nope", graph=mini_graph)

    # pyvis's own methods write our self-contained page
    page = net.generate_html()
    tags = tags_of(page)
    assert [t for t, _ in tags].count("script") == 3 and not [t for t, _ in tags if t in ("link", "img", "iframe")]
    assert not [a for _, a in tags if a.get("src") or a.get("href")]
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and csp.count("'sha256-") == 2 and "unsafe-inline" not in csp.split("style-src")[0]
    out = tmp_path / "river.html"
    net.write_html(str(out))
    assert out.read_text() == page
    net.save_graph(str(tmp_path / "saved.html"))
    assert (tmp_path / "saved.html").read_text() == page
    frame = net._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!doctype html&gt;') and 'sandbox="allow-scripts"' in frame
    assert "<script" not in frame


def test_network_keeps_data_as_text(xss_graph):
    net = kg.network(case="river-1990", graph=xss_graph)
    titles = "\n".join(n["title"] for n in net.nodes) + "\n".join(e["title"] for e in net.edges)
    assert XSS_TEXT in titles and XSS_IMG in titles  # vis-network shows string titles as text
    net.heading = XSS_TEXT
    page = net.generate_html()
    assert "<img" not in page and "<script>window" not in page
    assert [t for t, _ in tags_of(page)].count("script") == 3
    net.height = "1px; } body { background: url(http://x) "  # not a CSS length: replaced by the default
    assert "url(http" not in net.generate_html()


def test_viz_show_never_prints_the_page(mini_graph, capsys, shell):
    from kg import viz

    inline = viz.pages.Inline(viz.case_page(mini_graph, "river-1990", nav=False))
    assert len(repr(inline)) < 200 and "River Treaty talks" in repr(inline) and "<" not in repr(inline)[1:-1]
    # IPython running: show() displays, and a plain-text front end prints one line
    formatted, _ = shell.display_formatter.format(inline)
    assert len(formatted["text/plain"]) < 200 and formatted["text/html"].startswith("<iframe srcdoc=")
    capsys.readouterr()
    assert viz.show(mini_graph, "river-1990") is None
    printed = capsys.readouterr().out
    assert 0 < len(printed) < 200 and "<script" not in printed


@pytest.mark.skipif(shutil.which("negkg") is None and not (Path(sys.executable).parent / "negkg").exists(),
                    reason="negkg is not installed")
def test_negkg_help_is_still_fast():
    exe = shutil.which("negkg") or str(Path(sys.executable).parent / "negkg")
    r = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True)
    assert "Usage" in r.stdout
