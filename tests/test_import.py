"""Import (kg.sources, `negkg import`, `negkg fmt`): exported graph files come back as the same case files.

Round trips run on every shipped case (node-link JSON, GraphML, Turtle, JSON-LD) and on the hostile
strings of tests/fixtures/payloads (every format); hand-edited files are refused with the located
problems `negkg validate` gives; nothing existing is replaced without --force.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from kg import api, sources
from kg.errors import InvalidInput
from kg.sinks import sink
from kg.sources import canonical_files
from tests.conftest import MINI, ROOT

PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "payloads"


def _imported(res: sources.ImportResult, out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): t for p, t in res.files.items()}


def _export(g, fmt: str, path: Path) -> Path:
    sink(fmt).write(g, path)
    return path


def _sorted_authors(text: str) -> object:
    """A case file's data with every source's authors sorted (RDF keeps no order among them)."""
    data = yaml.safe_load(text)
    for s in data.get("sources", []):
        s["authors"] = sorted(s.get("authors", []))
    return data


@pytest.fixture(scope="module")
def shipped_canonical(corpus):
    return canonical_files(corpus)


@pytest.mark.parametrize("fmt", ["nodelink", "graphml", "turtle", "jsonld"])
def test_every_shipped_case_round_trips(tmp_path, graph, shipped_canonical, fmt):
    path = _export(graph, fmt, tmp_path / f"all.{sink(fmt).EXTENSION}")
    got = _imported(sources.import_file(path, tmp_path / "data"), tmp_path / "data")
    assert sorted(got) == sorted(shipped_canonical)
    assert len([f for f in got if f.startswith("cases/")]) == len(list((ROOT / "data" / "cases").glob("*.yaml")))
    for f, text in shipped_canonical.items():
        if fmt in ("turtle", "jsonld") and f.startswith("cases/"):  # dct:creator has no order: see docs/export.md
            assert _sorted_authors(got[f]) == _sorted_authors(text), f
        elif fmt not in ("turtle", "jsonld") or f != "sources.yaml":
            assert got[f] == text, f


@pytest.mark.parametrize("fmt", ["nodelink", "graphml", "yed", "gexf", "turtle", "ntriples", "jsonld", "trig"])
def test_hostile_strings_round_trip_in_every_format(tmp_path, fmt):
    expected = canonical_files(api.load(data_dir=PAYLOADS))
    path = _export(api.graph(data_dir=PAYLOADS), fmt, tmp_path / f"p.{sink(fmt).EXTENSION}")
    got = _imported(sources.import_file(path, tmp_path / "data", fmt=fmt), tmp_path / "data")
    for f in expected:
        if fmt in ("turtle", "ntriples", "jsonld", "trig") and f == "sources.yaml":
            assert _sorted_authors(got[f]) == _sorted_authors(expected[f])
        else:
            assert got[f] == expected[f], f


def test_a_case_selection_round_trips_through_the_cli(tmp_path, capsys):
    from kg.cli import main

    main(["export", "--format", "graphml", "--select", "case=camp-david-1978", "--out", str(tmp_path / "cd.graphml")])
    main(["import", str(tmp_path / "cd.graphml"), "--out", str(tmp_path / "data")])
    assert "cases/camp-david-1978.yaml" in capsys.readouterr().out
    main(["fmt", str(ROOT / "data" / "cases" / "camp-david-1978.yaml")])
    printed = capsys.readouterr().out
    assert printed.startswith("# cases/camp-david-1978.yaml\n")
    assert printed.split("\n", 1)[1] == (tmp_path / "data" / "cases" / "camp-david-1978.yaml").read_text(encoding="utf-8")
    assert api.validate(data_dir=tmp_path / "data") == []


def test_the_canonical_form_says_what_the_files_say(tmp_path, graph, shipped_canonical):
    """Canonical files build the same graph as the authored ones, validate, and are a fixed point."""
    for f, text in shipped_canonical.items():
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text(text, encoding="utf-8")
    again = api.graph(data_dir=tmp_path)
    assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
    assert list(again.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))
    assert canonical_files(api.load(data_dir=tmp_path)) == shipped_canonical


def test_field_maps_cover_the_schema():
    """Every field of every case-file model is found in the graph (none is silently dropped)."""
    from kg import model
    from kg.sources.cases import doc_class, fields_of

    for t in model.NODE_TYPES:
        cls = doc_class(t)
        if cls is not None:
            absent = [f.name for f in fields_of(cls, t) if f.kind == "absent"]
            assert absent == [], (t, absent)


# --- hand-edited files -------------------------------------------------------------------------------------------


@pytest.fixture
def mini_json(tmp_path, mini_graph) -> dict:
    return json.loads((_export(mini_graph, "nodelink", tmp_path / "m.json")).read_text(encoding="utf-8"))


def _problems(tmp_path: Path, data: dict | str, suffix: str = ".json") -> list[str]:
    path = tmp_path / f"edited{suffix}"
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=1), encoding="utf-8")
    with pytest.raises(InvalidInput) as e:
        sources.import_file(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing half-written
    return [str(p).replace(sources._display(path), "F") for p in e.value.problems]


def _node(data: dict, key: str) -> dict:
    return next(n for n in data["nodes"] if n["key"] == key)


def test_edited_values_are_validated_like_case_files(tmp_path, mini_json):
    _node(mini_json, "Interest:river-1990/stability")["category"] = "securty"
    _node(mini_json, "Issue:river-1990/water")["colour"] = "red"
    problems = _problems(tmp_path, mini_json)
    assert any(p.startswith("F:") and "nodes[" in p and "(Interest:river-1990/stability).category: unknown interest "
               "category 'securty'" in p and "(cases/river-1990.yaml: interests[3].category)" in p for p in problems), problems
    assert any("(Issue:river-1990/water).colour: unknown field 'colour'" in p for p in problems), problems


def test_what_a_case_file_cannot_hold_is_refused(tmp_path, mini_json):
    _node(mini_json, "Mechanism:bridging")["name"] = "Bridge"  # vocabulary comes from kg/model.py
    holds = next(e for e in mini_json["edges"] if e["key"] == "HOLDS")
    holds["source"] = "Party:gamma"  # disagrees with the position's party
    problems = _problems(tmp_path, mini_json)
    assert any("(Mechanism:bridging).name: value 'Bridge' would become 'Bridging'" in p for p in problems), problems
    assert any(f"(Party:gamma HOLDS {holds['target']}): is not kept in the case files" in p for p in problems), problems


def test_a_partial_selection_is_refused_with_reasons(tmp_path, mini_graph):
    from kg.select import select

    path = _export(select(mini_graph, node="Party:gamma", hops=2), "nodelink", tmp_path / "sel.json")
    with pytest.raises(InvalidInput, match="missing required field"):
        sources.import_file(path, tmp_path / "out")
    mini = json.loads(_export(mini_graph, "nodelink", tmp_path / "m.json").read_text(encoding="utf-8"))
    mini["nodes"] = [n for n in mini["nodes"] if n["type"] != "Agreement"]
    mini["edges"] = [e for e in mini["edges"] if "Agreement:" not in e["source"] + e["target"]]
    problems = _problems(tmp_path, mini)
    assert len(problems) == 3 and all("its agreement 'river-1990/river-treaty' is not in the file" in p for p in problems)


def test_syntax_and_hostile_inputs(tmp_path, mini_graph):
    assert _problems(tmp_path, '{"nodes": [\n  {"key": "Party:a",}\n]}')[0].startswith("F:2: JSON syntax error")
    dtd = '<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY a "aaaa">]>\n<graphml/>'
    assert "DTDs and entity declarations are not allowed" in _problems(tmp_path, dtd, ".graphml")[0]
    remote = {"@context": "https://example.org/ctx.jsonld", "@id": "x"}
    assert "remote JSON-LD context" in _problems(tmp_path, remote, ".jsonld")[0]
    bad_ttl = (_export(mini_graph, "turtle", tmp_path / "m.ttl")).read_text(encoding="utf-8") + "\n<x> <y> .\n"
    assert "turtle syntax error" in _problems(tmp_path, bad_ttl, ".ttl")[0]
    escape = (_export(mini_graph, "nodelink", tmp_path / "m.json")).read_text(encoding="utf-8").replace("river-1990", "../../x")
    assert any("not a valid case id '../../x' (it names a file)" in p for p in _problems(tmp_path, escape))


def test_existing_files_are_never_replaced_without_force(tmp_path, mini_graph):
    from kg.cli import main

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    authored = (data / "cases" / "river-1990.yaml").read_bytes()
    path = _export(mini_graph, "nodelink", tmp_path / "m.json")
    res = sources.import_file(path, data)  # the same content as the authored files, in canonical form
    assert res.files == {} and len(res.unchanged) == 3
    edited = json.loads(path.read_text(encoding="utf-8"))
    _node(edited, "Interest:river-1990/stability")["name"] = "Regional peace"
    path.write_text(json.dumps(edited), encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["import", str(path), "--out", str(data)])
    assert e.value.code == 2
    assert (data / "cases" / "river-1990.yaml").read_bytes() == authored
    main(["import", str(path), "--out", str(data), "--force"])
    assert "name: Regional peace" in (data / "cases" / "river-1990.yaml").read_text(encoding="utf-8")
    assert (data / "parties.yaml").read_bytes() == (MINI / "parties.yaml").read_bytes()  # unchanged, so not rewritten


def test_unknown_format_is_a_usage_error(tmp_path):
    from kg.errors import UsageError

    with pytest.raises(UsageError, match="cannot tell the format"):
        sources.import_file(tmp_path / "g.xyz", tmp_path / "out")
