"""The corpus as a citable dataset (issue 20): one version and licence, in CITATION.cff, the exports and stats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from kg import api, sinks
from kg.rdf import mapping

ROOT = Path(__file__).resolve().parent.parent


def test_citation_and_dataset_agree():
    ds = yaml.safe_load((ROOT / "data" / "dataset.yaml").read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == ds["version"] and str(cff["date-released"]) == str(ds["date"])
    assert cff["license"] == ds["license"]["id"] == "CC-BY-4.0"
    assert "CC BY 4.0" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "creativecommons.org/licenses/by/4.0" in (ROOT / "data" / "LICENSE").read_text(encoding="utf-8")
    assert f"### {ds['version']}" in (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")


DATASET_QUERY = """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?v ?lic ?book WHERE { %s }"""
PATTERN = (f"<{mapping.DATASET}> a dcat:Dataset ; owl:versionInfo ?v ; dct:license ?lic ; dct:title ?title ; "
           "dct:conformsTo ?book ; dct:creator ?c ; dct:issued ?d")


def test_rdf_exports_describe_the_dataset(graph, tmp_path):
    import rdflib

    ds = yaml.safe_load((ROOT / "data" / "dataset.yaml").read_text(encoding="utf-8"))
    parse = {"turtle": "turtle", "jsonld": "json-ld", "trig": "trig", "ntriples": "nt"}
    for fmt, rdf_format in parse.items():
        path = tmp_path / f"x.{sinks.sink(fmt).EXTENSION}"
        sinks.write(graph, fmt, path)
        g = rdflib.Dataset(default_union=True) if fmt == "trig" else rdflib.Graph()
        g.parse(path, format=rdf_format)
        rows = list(g.query(DATASET_QUERY % PATTERN))
        assert [(str(r.v), str(r.lic), str(r.book)) for r in rows] == [
            (ds["version"], ds["license"]["url"], ds["codebook"])], fmt


def test_graph_exports_carry_version_and_licence(graph, tmp_path):
    import networkx as nx

    sinks.write(graph, "nodelink", tmp_path / "g.json")
    doc = json.loads((tmp_path / "g.json").read_text())
    assert doc["graph"]["dataset_version"] == graph.graph["dataset_version"]
    assert doc["graph"]["license"] == "https://creativecommons.org/licenses/by/4.0/"
    sinks.write(graph, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert back.graph["license"] == graph.graph["license"]


def test_a_corpus_without_dataset_file_has_no_dataset_description(mini_graph):
    assert "dataset_version" not in mini_graph.graph and list(mapping.dataset_quads(mini_graph)) == []


def test_stats_prints_the_corpus_version():
    res = subprocess.run([sys.executable, "-m", "kg", "stats", "--case", "paris-2015", "--format", "json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    version = api.load(data_dir=ROOT / "data").dataset.version
    assert res.returncode == 0 and f"negotiation-kg corpus {version} (Creative Commons" in res.stderr
    assert json.loads(res.stdout)[0]["case"] == "paris-2015"
