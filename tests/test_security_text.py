"""Text that validates must build: every writer gives valid output or one line; data cannot drive the terminal.

Property-based: any text (control characters, characters XML cannot hold, bidirectional overrides,
astral characters, unpaired surrogates) in names, descriptions and locators goes through every sink.
Each either writes output that its format's own parser reads back (lxml for GraphML and GEXF, json,
rdflib and pyoxigraph for RDF, the project's readers for CSV) or refuses with one line (InvalidInput):
nothing invalid is ever written. What negkg prints for a person (tables, CSV, JSON, errors) never
carries a control character, an escape sequence or a bidi override.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import api, output, sinks
from kg.errors import InvalidInput
from tests.conftest import MINI
from tests.security_helpers import cli, one_line_error

pytestmark = [pytest.mark.timeout(300), pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")]

TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = ["a\x00b", "\x1b[2J\x1b]0;pwned\x07", "bell\x07", "csi\x9b31m", "rtl\u202etxt.exe", "cr\roverwrite",
           "del\x7f", "bom\ufeff", "nonchar\uffff", "astral \U0001f30a", "tab\tnewline\n", "quote\"'<&>"]
_BASE = None


def _base() -> nx.MultiDiGraph:
    global _BASE
    if _BASE is None:
        _BASE = api.graph(data_dir=MINI)
    return _BASE


def _with(text: str) -> nx.MultiDiGraph:
    """The mini graph with ``text`` in a name, a description and a locator (past validation, as the API allows)."""
    g = _base().copy()
    g.nodes["Party:alpha"]["name"] = text
    g.nodes["Negotiation:river-1990"]["description"] = "x" + text
    u, v, k, _d = next((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if "locators" in d)
    g.edges[u, v, k]["locators"] = [text, "p. 1"]
    return g


def _strings(doc: object) -> set[str]:
    if isinstance(doc, str):
        return {doc}
    if isinstance(doc, dict):
        return set().union(*map(_strings, doc.values()), *map(_strings, doc))
    if isinstance(doc, list):
        return set().union(*map(_strings, doc))
    return set()


def _reads_back(fmt: str, text: str, tmp_path) -> None:
    """Parse what the sink wrote with the format's own reader and find ``text`` in it."""
    g = _with(text)
    path = tmp_path / f"g.{fmt}"
    sinks.write(g, fmt, path)
    raw = b"" if path.is_dir() else path.read_bytes()
    if fmt in ("graphml", "gexf"):
        from lxml import etree

        etree.fromstring(raw)  # well-formed XML
        back = (sinks.graphml.read if fmt == "graphml" else sinks.gexf.read)(path)
        assert back.nodes["Party:alpha"]["name"] == text.replace("\r", "\n") or back.nodes["Party:alpha"]["name"] == text
    elif fmt in ("nodelink", "jsonld"):
        assert text in _strings(json.loads(raw))
    elif fmt in ("turtle", "ntriples", "trig"):
        import pyoxigraph

        rdf_format = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                      "trig": pyoxigraph.RdfFormat.TRIG}[fmt]
        values = {q.object.value for q in pyoxigraph.parse(raw, format=rdf_format) if isinstance(q.object, pyoxigraph.Literal)}
        assert text in values
    elif fmt == "csv":
        back = sinks.neo4j_csv.read(path)
        assert back.nodes["Party:alpha"]["name"] == text
    elif fmt == "cypher":
        from kg.sinks.cypher_script import statements

        assert len(statements(raw.decode())) == len(statements(sinks.cypher_script.dumps(_base())))


FORMATS = sorted(sinks.SINKS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_sink_writes_valid_output_or_refuses_in_one_line(fmt, tmp_path):
    refused = []
    for i, text in enumerate(HOSTILE):
        where = tmp_path / str(i)
        try:
            _reads_back(fmt, text, where)
        except InvalidInput as e:
            assert "\n" not in str(e) and fmt in ("graphml", "gexf", "yed"), (fmt, repr(text), e)
            assert not where.exists() or not any(where.iterdir())  # nothing written
            refused.append(text)
    assert refused == (["a\x00b", "\x1b[2J\x1b]0;pwned\x07", "bell\x07", "nonchar\uffff"]
                       if fmt in ("graphml", "gexf") else [])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(codec="utf-8"), min_size=1, max_size=12), st.sampled_from(FORMATS))
def test_any_text_in_any_sink(tmp_path, text, fmt):
    try:
        _reads_back(fmt, text, tmp_path)
    except InvalidInput as e:
        assert "\n" not in str(e) and "XML cannot represent" in str(e)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unpaired_surrogates_are_refused_in_one_line(fmt, tmp_path):
    with pytest.raises(InvalidInput, match=r"not valid Unicode|U[+]DCFF at character 2, which XML cannot") as e:
        sinks.write(_with("x\udcffy"), fmt, tmp_path / "g")
    assert "\n" not in str(e.value)
    assert not (tmp_path / "g").exists()


def test_issue_example_nul_in_a_name(tmp_path, capsys, monkeypatch):
    """`name: "a\\0b"` validated, then build failed with a traceback and GEXF was written invalid with exit 0.
    Now: refused in one line, exit 2, and nothing written (by validation once it refuses control characters,
    or else by the writers)."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    case = data / "cases" / "river-1990.yaml"
    case.write_text(case.read_text().replace("name: River Treaty talks", 'name: "River\\0 Treaty"', 1))
    monkeypatch.chdir(tmp_path)
    for args in (["build", "--out", "out"], ["export", "--format", "gexf", "--out", "g.gexf"],
                 ["export", "--format", "graphml", "--out", "-"], ["report", "--case", "river-1990", "--format", "md"]):
        code, out, err = cli(["--data", str(data), *args], capsys)
        assert code == 2 and out == "", (args, err)
        one_line_error(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


# ------------------------------------------------------------------------ the terminal


def _clean(*texts: str) -> None:
    for t in texts:
        assert not TERMINAL.search(t), repr(t)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_rendered_results_escape_control_characters(fmt):
    res = api.Result("x", ("a", "b"), [{"a": t, "b": [t, "y"]} for t in HOSTILE])
    rendered = output.render(res, fmt)
    if fmt == "table":
        from rich.console import Console

        console = Console(record=True, width=200, force_terminal=True, color_system=None)
        console.print(rendered)
        rendered = console.export_text()
    from kg.text import escape

    _clean(escape(rendered) if fmt != "table" else rendered)


def test_cli_output_never_drives_the_terminal(capsys, tmp_path):
    """Ad-hoc Cypher and SPARQL return data that no validation saw; errors echo file names and arguments."""
    esc = "\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202e"
    runs = []
    for fmt in ("table", "csv", "json"):
        runs.append(["cypher", f"RETURN '{esc}' AS x, ['{esc}'] AS y", "--format", fmt])
        runs.append(["sparql", f'SELECT ?x WHERE {{ BIND("{esc}" AS ?x) }}', "--format", fmt])
    runs.append(["sparql", f'CONSTRUCT {{ <urn:a> <urn:b> "{esc}" }} WHERE {{}}'])
    runs.append(["sparql", f'SELECT ?x WHERE {{ BIND("{esc}" AS ?x) }}', "--format", "sparql-json"])
    for args in runs:
        code, out, err = cli(["--data", str(MINI), *args], capsys)
        assert code == 0 and out, (args, err)
        _clean(out, err)
        if args[-1] == "json":
            assert "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202e" in _strings(json.loads(out))  # escaped, not lost
    for args in (["validate", str(tmp_path / "\x1b[2Jx\x07.yaml")], ["query", "shared-interests", "--case", "\x1b[31m"],
                 ["export", "--format", "gexf", "--out", str(tmp_path / "\x1b]0;t\x07" / "x\x9b.gexf"), "--quiet"]):
        code, out, err = cli(["--data", str(MINI), *args], capsys)
        _clean(out, err)


def test_case_data_with_escape_sequences_is_escaped_or_refused(tmp_path, capsys):
    """A case whose name holds escape sequences: refused by validation (one line), or printed escaped."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    case = data / "cases" / "river-1990.yaml"
    text = case.read_text()
    text = text.replace("name: Water for irrigation", 'name: "Water\\e[2J\\e]0;pwned\\a for \\u202eirrigation"', 1)
    case.write_text(text)
    for args in (["query", "interest-provision-links", "--format", "csv"], ["query", "interest-provision-links"],
                 ["query", "interest-provision-links", "--format", "json"], ["stats"], ["build", "--out", str(tmp_path / "o")]):
        code, out, err = cli(["--data", str(data), *args], capsys)
        assert code in (0, 2), err
        if code == 2:
            one_line_error(err)
        _clean(out, err)
