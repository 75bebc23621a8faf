"""Export formats: every file format reads back to the same graph (nodes, keyed edges, all attributes, types).

GraphML, GEXF and node-link JSON are read back with networkx's readers; the Neo4j CSV files with
:func:`kg.sinks.neo4j_csv.read` (and, in tests/test_export_neo4j.py, by a real Neo4j with LOAD CSV);
the Cypher script runs in a real Neo4j in tests/test_export_neo4j.py.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kg import api
from kg.errors import InvalidInput
from kg.sinks import SINKS, cypher_script, gexf, graphml, neo4j_csv, nodelink, sink
from tests.conftest import MINI

PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "payloads"
READERS = {"graphml": graphml.read, "gexf": gexf.read, "nodelink": nodelink.read, "csv": neo4j_csv.read}


def _typed(d: dict) -> dict:
    """Attributes with their Python types, so that 1 != True and '5' != 5."""
    return {k: (type(v).__name__, v) for k, v in d.items()}


def assert_same_graph(expected, got) -> None:
    """Same node set, same edge set with keys, same attributes (and attribute types) everywhere."""
    assert sorted(got.nodes) == sorted(expected.nodes)
    assert sorted(got.edges(keys=True)) == sorted(expected.edges(keys=True))
    for n, d in expected.nodes(data=True):
        assert _typed(got.nodes[n]) == _typed(d), n
    for u, v, k, d in expected.edges(keys=True, data=True):
        assert _typed(got.edges[u, v, k]) == _typed(d), (u, v, k)


@pytest.fixture(scope="module")
def payload_graph():
    return api.graph(api.load(data_dir=PAYLOADS))


@pytest.fixture(scope="module", params=["mini", "payloads"])
def any_graph(request, mini_graph, payload_graph):
    return {"mini": mini_graph, "payloads": payload_graph}[request.param]


def test_formats_are_registered():
    for fmt in ("graphml", "gexf", "nodelink", "csv", "cypher"):
        assert fmt in SINKS
        assert sink(fmt).EXTENSION


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "nodelink", "csv"])
def test_round_trip(tmp_path, any_graph, fmt):
    path = tmp_path / f"graph.{sink(fmt).EXTENSION}"
    sink(fmt).write(any_graph, path)
    assert_same_graph(any_graph, READERS[fmt](path))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "nodelink", "csv"])
def test_round_trip_of_a_selection(tmp_path, mini_graph, fmt):
    from kg.select import select

    sub = select(mini_graph, node="Party:gamma", hops=2)  # no parallel edges, a few types only
    path = tmp_path / f"sub.{sink(fmt).EXTENSION}"
    sink(fmt).write(sub, path)
    assert_same_graph(sub, READERS[fmt](path))


def test_round_trip_of_the_shipped_corpus(tmp_path, graph):
    for fmt in ("graphml", "gexf", "nodelink", "csv"):
        path = tmp_path / f"all.{sink(fmt).EXTENSION}"
        sink(fmt).write(graph, path)
        assert_same_graph(graph, READERS[fmt](path))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "nodelink", "csv", "cypher"])
def test_same_graph_same_bytes(tmp_path, payload_graph, fmt):
    ext = sink(fmt).EXTENSION
    a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
    sink(fmt).write(payload_graph, a)
    sink(fmt).write(api.graph(api.load(data_dir=PAYLOADS)), b)
    assert a.read_bytes() == b.read_bytes()


def test_gexf_is_for_gephi(tmp_path, mini_graph):
    path = tmp_path / "g.gexf"
    gexf.write(mini_graph, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<gexf")
    assert 'xmlns="http://www.gexf.net/1.2draft"' in text
    assert '<node id="Party:alpha" label="Alphaland">' in text  # readable labels in Gephi
    assert "lastmodifieddate" not in text  # no date stamp: same graph, same bytes on any day


def test_csv_headers_follow_neo4j_admin_import(tmp_path, mini_graph):
    out = tmp_path / "csv"
    neo4j_csv.write(mini_graph, out)
    head = {p.name: p.read_text(encoding="utf-8").splitlines()[0] for p in out.glob("*.csv")}
    assert head["nodes_Party.csv"] == "id:ID(Party),:LABEL,name,kind,wikidata"
    assert head["nodes_Source.csv"] == "id:ID(Source),:LABEL,name,kind,authors:string[],year:int"
    assert head["nodes_Mechanism.csv"] == "id:ID(Mechanism),:LABEL,name,description,integrative:boolean,family"
    assert head["rels_HAS_INTEREST_Party_Interest.csv"] == (
        ":START_ID(Party),:END_ID(Interest),:TYPE,salience:int,source_ids:string[],locators:string[]"
    )
    assert head["rels_CITES_Position_Source.csv"] == ":START_ID(Position),:END_ID(Source),:TYPE,locators:string[]"
    lines = (out / "rels_SERVES_Provision_Interest.csv").read_text(encoding="utf-8").splitlines()
    assert "river-1990/dam-and-canals,river-1990/beta-power,SERVES,partial,river-1990/treaty;smith-2001,Art. 2(2);p. 30" in lines
    script = (out / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in script and "--array-delimiter=';'" in script
    assert "--nodes=nodes_Party.csv" in script and "--relationships=rels_SERVES_Provision_Interest.csv" in script


def test_csv_array_delimiter_avoids_the_data(tmp_path, payload_graph):
    # a locator of the payload corpus contains ';': another delimiter is chosen, recorded, and read back
    out = tmp_path / "csv"
    neo4j_csv.write(payload_graph, out)
    assert neo4j_csv.array_delimiter(out) == "|"
    assert "--array-delimiter='|'" in (out / "import.sh").read_text(encoding="utf-8")
    assert_same_graph(payload_graph, neo4j_csv.read(out))


def test_csv_zip_is_deterministic_and_complete(tmp_path, mini_graph):
    path = tmp_path / "g.zip"
    neo4j_csv.write(mini_graph, path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert names == sorted(names) and "import.sh" in names and "nodes_Party.csv" in names
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_csv_directory_is_replaced_atomically(tmp_path, mini_graph, payload_graph):
    """An export replaces its own earlier export whole (its files that are gone now disappear); a file the
    user put there stops it (kg.io), unless forced."""
    from kg.io import MANIFEST, Refused, overwrite

    out = tmp_path / "csv"
    neo4j_csv.write(mini_graph, out)
    small = mini_graph.subgraph(n for n, t in mini_graph.nodes(data="type") if t != "Mechanism").copy()
    assert "nodes_Mechanism.csv" not in neo4j_csv.files(small)
    neo4j_csv.write(small, out)
    assert_same_graph(small, neo4j_csv.read(out))
    assert {p.name for p in out.iterdir()} == {*neo4j_csv.files(small), MANIFEST}  # nodes_Mechanism.csv went
    (out / "mine.csv").write_text("x", encoding="utf-8")
    with pytest.raises(Refused, match=r"mine\.csv"):
        neo4j_csv.write(payload_graph, out)
    assert (out / "mine.csv").read_text() == "x"
    assert_same_graph(small, neo4j_csv.read(out))
    with overwrite():
        neo4j_csv.write(payload_graph, out)
    assert not (out / "mine.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["csv"]  # no temporary directory left behind


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "'plain'"),
        ("O'Brien", "'O\\'Brien'"),
        ('say "hi"', "'say \"hi\"'"),
        ("back\\slash", "'back\\\\slash'"),
        ("two\nlines\r\n\ttab", "'two\\nlines\\r\\n\\ttab'"),
        ("nul\x00 bell\x07 del\x7f", "'nul\\u0000 bell\\u0007 del\\u007f'"),
        ("line\u2028sep", "'line\\u2028sep'"),
        ("Ünion 🌊", "'Ünion 🌊'"),
        ("\\u0041 is not A", "'\\\\u0041 is not A'"),
        (5, "5"),
        (True, "true"),
        (None, "null"),
        (["a", "b'"], "['a', 'b\\'']"),
    ],
)
def test_cypher_literal(value, expected):
    assert cypher_script.literal(value) == expected


def test_cypher_script_shape(payload_graph):
    text = cypher_script.dumps(payload_graph)
    stmts = cypher_script.statements(text)
    assert sum(s.startswith("CREATE CONSTRAINT") for s in stmts) == 10
    assert all("\n" not in s and s.startswith(("CREATE CONSTRAINT", "UNWIND [")) for s in stmts)
    # one statement per label, one per (type, from label, to label)
    assert sum(" MERGE (n:" in s for s in stmts) == len({t for _, t in payload_graph.nodes(data="type")})
    assert "{id: 'alpha', props: {`name`: 'Alpha<script>alert(1)</script>land'" in text
    assert text.splitlines()[13] == ":begin" and text.splitlines()[-1] == ":commit"


def test_cypher_script_checks_names_against_the_model(mini_graph):
    g = mini_graph.copy()
    g.add_node("Bogus:x", type="Bogus", id="x")
    with pytest.raises(InvalidInput, match=r"label 'Bogus' is not in kg\.model"):
        cypher_script.dumps(g)
    g = mini_graph.copy()
    g.add_edge("Party:alpha", "Party:beta", key="LIKES", rel="LIKES")
    with pytest.raises(InvalidInput, match=r"relationship type 'LIKES' is not in kg\.model"):
        cypher_script.dumps(g)
    g = mini_graph.copy()
    g.nodes["Party:alpha"]["bad name`) DETACH DELETE n //"] = "x"
    with pytest.raises(InvalidInput, match="is not a plain identifier"):
        cypher_script.dumps(g)
    with pytest.raises(InvalidInput):
        cypher_script.literal(float("nan"))


def test_export_cli_formats(tmp_path):
    from kg.cli import main

    for fmt, name in (("gexf", "g.gexf"), ("csv", "csvdir"), ("csv", "g.zip"), ("cypher", "g.cypher")):
        out = tmp_path / name
        main(["--data", str(MINI), "export", "--format", fmt, "--out", str(out), "--select", "case=river-1990"])
        assert out.exists()
    assert (tmp_path / "csvdir" / "import.sh").is_file()
    assert cypher_script.statements((tmp_path / "g.cypher").read_text(encoding="utf-8"))


# --- plain networkx, visual attributes, pictures ------------------------------------------------------------------


def test_graphml_reads_back_with_plain_networkx(tmp_path, graph):
    """The call docs/export.md gives: nx.read_graphml(path, force_multigraph=True), then json.loads of the list keys."""
    import json

    import networkx as nx

    path = tmp_path / "g.graphml"
    graphml.write(graph, path)
    g = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    for *_, d in [*g.nodes(data=True), *g.edges(data=True)]:
        d.update({k: json.loads(d[k]) for k in ("source_ids", "locators", "authors", "lint_waivers") if k in d})
    assert_same_graph(graph, g)
    # the file says which keys hold JSON arrays, and its key ids are unique (GraphML requires it)
    text = path.read_text(encoding="utf-8")
    lists = {k for *_, d in [*graph.nodes(data=True), *graph.edges(data=True)] for k, v in d.items() if isinstance(v, list)}
    assert lists >= {"source_ids", "locators", "authors"}
    assert text.count("<desc>JSON array") == len(lists)
    ids = [line.split('id="')[1].split('"')[0] for line in text.splitlines() if line.lstrip().startswith("<key ")]
    assert len(ids) == len(set(ids))


def test_gexf_carries_viz_data_that_networkx_reads(tmp_path, mini_graph):
    import networkx as nx

    from kg.viz.style import NODE_STYLE

    path = tmp_path / "g.gexf"
    gexf.write(mini_graph, path)
    g = nx.read_gexf(path)
    for n, d in mini_graph.nodes(data=True):
        viz = g.nodes[n]["viz"]
        colour = NODE_STYLE[d["type"]].color
        assert viz["color"] == {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}
        assert viz["size"] == NODE_STYLE[d["type"]].size
        assert set(viz["position"]) == {"x", "y", "z"}
    positions = {(v["viz"]["position"]["x"], v["viz"]["position"]["y"]) for _, v in g.nodes(data=True)}
    assert len(positions) == g.number_of_nodes()  # laid out, not piled up
    assert_same_graph(mini_graph, gexf.read(path))  # the project's reader leaves the drawing out


def test_yed_graphml_is_styled_and_still_data(tmp_path, mini_graph):
    import networkx as nx

    path = tmp_path / "y.graphml"
    sink("yed").write(mini_graph, path)
    text = path.read_text(encoding="utf-8")
    assert 'xmlns:y="http://www.yworks.com/xml/graphml"' in text and text.count("<y:ShapeNode>") == mini_graph.number_of_nodes()
    assert "<y:Fill color=\"#1F78B4\"" in text and text.count("<y:PolyLineEdge>") == mini_graph.number_of_edges()
    g = nx.read_graphml(path, force_multigraph=True)
    assert g.nodes["Party:alpha"]["label"] == "Alphaland" and g.nodes["Party:alpha"]["name"] == "Alphaland"


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_pictures_of_a_selection(tmp_path, graph, fmt):
    import os
    import re
    import shutil

    from kg.cli import main
    from kg.select import select

    if fmt == "png" and not shutil.which("chromium"):
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)("PNG needs Chromium: apt-get install chromium")
    out = tmp_path / f"cd.{fmt}"
    main(["export", "--format", fmt, "--select", "case=camp-david-1978", "--out", str(out)])
    data = out.read_bytes()
    if fmt == "svg":
        text = data.decode("utf-8")
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
        # labels are wrapped onto several lines, never cut
        label = "Limited-force zones in the Sinai and along the border, with Egypt sovereign over all of the Sinai"
        lines = re.findall(r"<text [^>]*>([^<]*)</text>", text)
        assert "…" not in text
        start = next(i for i, t in enumerate(lines) if label.startswith(t) and t)
        joined = ""
        for t in lines[start:]:
            joined = f"{joined} {t}".strip()
            if len(joined) >= len(label):
                break
        assert joined == label
        assert 'width="680"' in text  # the text width of an A4 page: labels print at 7.5 pt
    else:
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and b"pHYs" in data[:60]
        width = int.from_bytes(data[16:20], "big")
        assert width >= 2100  # 300 dpi at 180 mm
        # the labels are drawn where the SVG puts them: dark text pixels inside the box of "Egypt", none in empty margins
        from kg.sinks.png import SCALE
        from kg.sinks.svg import dumps as svg_text

        svg = svg_text(select(graph, case="camp-david-1978"))
        x, y = (int(v) for v in re.search(r'<text x="(\d+)" y="(\d+)">Egypt</text>', svg).groups())
        pixels, w = _png_grey(data, max_rows=int((y + 32) * SCALE))
        assert w == round(680 * SCALE)

        def dark(x0: float, y0: float, x1: float, y1: float) -> int:
            return sum(1 for yy in range(int(y0 * SCALE), int(y1 * SCALE)) for xx in range(int(x0 * SCALE), int(x1 * SCALE))
                       if pixels[yy][xx] < 100)

        assert dark(x, y - 9, x + 30, y + 2) > 40  # the word "Egypt"
        assert dark(x, y + 20, x + 30, y + 30) == 0  # the white between the party boxes


def _png_grey(data: bytes, max_rows: int) -> tuple[list[bytes], int]:
    """The first rows of grey values of an 8-bit RGB(A) PNG (enough of a decoder for a test)."""
    import struct
    import zlib

    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            width, _, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for r in range(min(max_rows, len(raw) // (stride + 1))):
        f, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)])
        for i in range(stride):
            a, b = line[i - bpp] if i >= bpp else 0, prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(min(line[i : i + 3]) for i in range(0, stride, bpp)))
        prev = line
    return rows, width
