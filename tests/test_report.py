"""Reports: content from the graph, deterministic bytes, escaping of hostile data, the PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg import api, report
from kg.errors import RuntimeFailure, UsageError
from kg.select import select
from tests.conftest import MINI, ROOT

PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "payloads"
CASE = {"case": "river-1990"}


def _render(data_dir: Path, fmt: str, **kw):
    g = select(api.graph(api.load(data_dir=data_dir)), case="river-1990")
    return report.render(g, fmt, criteria=CASE, timestamp=None, **kw)


class Tags(HTMLParser):
    """Every element and attribute of an HTML document, and its text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


HTML_TAGS = {
    "html",
    "nav",
    "div",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "h2",
    "h3",
    "p",
    "dl",
    "dt",
    "dd",
    "section",
    "ul",
    "ol",
    "li",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "pre",
    "code",
    "span",
    "strong",
    "a",
    "footer",
    "br",
    "svg",
    "rect",
    "text",
    "path",
    "g",
    "line",
}


def assert_inert(html: str, allowed: set[str]) -> Tags:
    """No element but the template's, no event handler, no javascript: URL."""
    t = Tags(html)
    assert {tag for tag, _ in t.tags} <= allowed, {tag for tag, _ in t.tags} - allowed
    for tag, attrs in t.tags:
        assert not any(a.startswith("on") for a in attrs), (tag, attrs)
        for a in ("href", "src"):
            assert not (attrs.get(a) or "").strip().lower().startswith("javascript"), (tag, attrs)
    return t


# --- content -------------------------------------------------------------------------------------------------


def test_markdown_report_content():
    md = _render(MINI, "md")
    assert md.startswith("# River Treaty talks: interests and value creation\n")
    # parties and roles; positions against interests; shared; value-creating with mechanisms; unmet
    assert "3 parties took part: Alphaland (principal), Betaland (principal) and Gamma Union (mediator)." in md
    assert "Alphaland, on Sharing the water: “Alpha demands all the water”. Behind it: “Water for irrigation”." in md
    assert "- Regional stability (Security): held by Alphaland and Betaland." in md
    assert "2 of 3 provisions created value" in md
    assert (
        "- Dam upstream, canals downstream (Art. 2; bridging) serves “Water for irrigation” (Alphaland) and "
        "“Hydropower” (Betaland) (partial). As part of a package with “Joint commission”, it serves Alphaland and "
        "Betaland."
    ) in md
    assert "- Betaland: Prestige (Recognition, salience 2/5; served by no provision)." in md
    # tables
    assert "| Regional stability | Security | Alphaland; Betaland | " in md
    assert "| Bridging | integrative | 1 | 1 | " in md
    # the figure, embedded
    assert "![Figure: graph of the selection](data:image/svg+xml;base64," in md
    # the query, both languages, with its parameter
    assert "**interest-provision-links**" in md and "Parameters: case = 'river-1990'" in md
    assert "### Cypher (queries/cypher/interest-provision-links.cypher)" in md
    assert "### SPARQL (queries/sparql/interest-provision-links.rq)" in md
    # bibliography: every source, every locator, the claims it supports
    assert "1. \\[river-1990/treaty\\] River Treaty (1990)." in md
    assert "2. \\[smith-2001\\] J. Smith (2001). A Study of the Alpha-Beta Talks." in md
    assert "    - **p. 12**: Alphaland holds the interest “Regional stability”; Betaland holds the interest" in md
    assert "    - **p. 40**: “Joint commission” was traded for “Dam upstream, canals downstream”" in md


def test_query_text_from_the_library_or_a_note_when_missing(tmp_path, monkeypatch):
    import kg.queries

    (tmp_path / "sparql").mkdir()
    (tmp_path / "sparql" / "unmet-interests.rq").write_text(
        "# name: unmet-interests\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8"
    )
    monkeypatch.setattr(kg.queries, "queries_dir", lambda: tmp_path)
    g = select(api.graph(api.load(data_dir=MINI)), query="unmet-interests")
    md = report.render(g, "md", criteria={"query": "unmet-interests"}, timestamp=None)
    assert "```\n# name: unmet-interests\nSELECT * WHERE { ?s ?p ?o }\n```" in md
    assert "*The Cypher text of this query (queries/cypher/unmet-interests.cypher) is missing from this installation.*" in md
    html = report.render(g, "html", criteria={"query": "unmet-interests"}, timestamp=None)
    assert "SELECT * WHERE { ?s ?p ?o }" in html
    assert "(queries/cypher/unmet-interests.cypher) is missing from this installation." in html


def test_selection_report():
    g = select(api.graph(api.load(data_dir=MINI)), party="gamma")
    md = report.render(g, "md", criteria={"party": ["gamma"]}, timestamp=None)
    assert "- **Selection:** party=gamma (" in md
    assert "[smith-2001]" in md.replace("\\", "")
    with pytest.raises(UsageError, match="unknown report format"):
        report.render(g, "odt")


# --- determinism -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("data", [MINI, PAYLOADS], ids=["mini", "payloads"])
def test_same_input_same_bytes(fmt, data):
    assert _render(data, fmt) == _render(data, fmt)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_cli_no_timestamp_gives_identical_files(tmp_path, fmt):
    from kg.cli import main

    a, b = tmp_path / "1" / f"r.{fmt}", tmp_path / "2" / f"r.{fmt}"
    for out in (a, b):
        main(["--data", str(MINI), "report", "--case", "river-1990", "--format", fmt, "--out", str(out), "--no-timestamp"])
    assert a.read_bytes() == b.read_bytes()
    assert b"Generated" not in a.read_bytes()
    if fmt == "md":
        assert (tmp_path / "1" / "r.svg").read_bytes() == (tmp_path / "2" / "r.svg").read_bytes()
        assert "![Figure: graph of the selection](r.svg)" in a.read_text(encoding="utf-8")


def test_timestamp_is_the_only_difference(monkeypatch):
    g = select(api.graph(api.load(data_dir=MINI)), case="river-1990")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = report.render(g, "md", criteria=CASE)
    plain = report.render(g, "md", criteria=CASE, timestamp=None)
    assert "- **Generated:** 2023-11-14 22:13 UTC\n" in stamped
    assert stamped.replace("- **Generated:** 2023-11-14 22:13 UTC\n", "").replace(" · 2023-11-14 22:13 UTC", "") == plain


# --- escaping --------------------------------------------------------------------------------------------------


def test_html_escapes_hostile_data():
    html = _render(PAYLOADS, "html")
    t = assert_inert(html, HTML_TAGS)
    text = "".join(t.text)
    # the payloads are there, as text
    assert "Alpha<script>alert(1)</script>land" in text
    assert "[Betaland](javascript:alert(1))" in text
    assert "![img](javascript:alert(1)) Alpha demands <all> the water." in text
    assert "<script>alert('a')</script>" in text
    assert "&lt;script&gt;" in html and "<script" not in html
    # a hostile URL stays inside its attribute
    links = [a for tag, a in t.tags if tag == "a" and not a["href"].startswith("#sec-")]  # not the contents
    assert links == [{"href": "https://example.org/x?a=1&b=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"}]
    assert "Content-Security-Policy" in html


def test_markdown_escapes_hostile_data():
    from markdown_it import MarkdownIt

    md = _render(PAYLOADS, "md", figure_href="report figure.svg")
    assert "<script" not in md and "<img" not in md and "<iframe" not in md
    # render it as a permissive Markdown renderer would (raw HTML on, tables on)
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    allowed = {
        "h1",
        "h2",
        "h3",
        "p",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "img",
        "pre",
        "code",
        "hr",
    }
    t = assert_inert(html, allowed)
    images = [a for tag, a in t.tags if tag == "img"]
    assert images == [{"src": "report%20figure.svg", "alt": "Figure: graph of the selection"}]
    text = "".join(t.text)
    for payload in (
        "Alpha<script>alert(1)</script>land",
        "[Betaland](javascript:alert(1))",
        "![img](javascript:alert(1)) Alpha demands <all> the water.",
        "Gamma | Ünion 🌊 *bold* _it_ `code` # not a heading",
        "River <Treaty> talks &amp; [more](javascript:alert(1))",
        "Line one. 1. not a list # not a heading <iframe src=x></iframe> end",
    ):
        assert payload in text, payload
    # table rows keep their cell count although names contain '|'
    rows = [tag for tag, _ in t.tags if tag == "tr"]
    assert rows


def test_svg_figure_is_escaped_xml():
    import xml.etree.ElementTree as ET

    from kg.report.figure import render_svg

    g = select(api.graph(api.load(data_dir=PAYLOADS)), case="river-1990")
    svg = render_svg(g)
    root = ET.fromstring(svg)  # well-formed XML
    texts = " ".join(e.text or "" for e in root.iter())
    assert "Alpha<script>alert(1)</script>land" in texts
    assert {e.tag.split("}")[1] for e in root.iter()} <= {"svg", "rect", "text", "path", "g", "title", "line"}


# --- PDF ---------------------------------------------------------------------------------------------------------


def _need(*tools: str) -> None:
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        msg = f"{', '.join(missing)} not found: apt-get install chromium poppler-utils; see docs/testing.md"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)


def test_pdf_report(tmp_path):
    _need("chromium", "pdftotext", "pdftoppm")
    from kg.cli import main

    out = tmp_path / "report.pdf"
    main(["--data", str(MINI), "report", "--case", "river-1990", "--format", "pdf", "--out", str(out)])
    assert out.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    for expected in (
        "River Treaty talks: interests and value creation",
        "Value-creating provisions",
        "Dam upstream, canals downstream",
        "Bibliography",
        "A Study of the Alpha-Beta Talks",
        "Art. 2(1)",
        "Generated",
    ):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png")).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    # the page is not blank: count dark pixels of a greyscale rendering
    subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "1", str(out), str(tmp_path / "grey")], check=True)
    pgm = next(tmp_path.glob("grey*.pgm")).read_bytes()
    w, h = (int(x) for x in pgm.split(b"\n")[1].split())
    dark = sum(1 for b in pgm[-w * h :] if b < 128)
    assert dark > 0.005 * w * h


def test_pdf_without_chromium_is_a_clear_error(monkeypatch):
    from kg.report.pdf import html_to_pdf

    monkeypatch.setenv("NEGKG_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(RuntimeFailure, match="NEGKG_CHROMIUM=/nonexistent/chromium is not an executable"):
        html_to_pdf("<p>x</p>")
    monkeypatch.delenv("NEGKG_CHROMIUM")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(RuntimeFailure, match="apt-get install chromium"):
        html_to_pdf("<p>x</p>")


def test_report_cli_errors(capsys):
    from kg.cli import main

    for args, message in (
        (["--format", "md"], "--case ID or --select"),
        (["--case", "nope"], "unknown case 'nope'"),
        (["--select", "party=nobody"], "unknown party 'nobody'"),
    ):
        with pytest.raises(SystemExit) as e:
            main(["--data", str(MINI), "report", *args, "--out", "-"])
        assert e.value.code == 2
        assert message in capsys.readouterr().err


# --- the shipped corpus ------------------------------------------------------------------------------------------


def test_camp_david_report(graph):
    if not (ROOT / "data" / "cases" / "camp-david-1978.yaml").exists():
        pytest.skip("data/cases/camp-david-1978.yaml is not written yet")
    sub = select(graph, case="camp-david-1978")
    md = report.render(sub, "md", criteria={"case": "camp-david-1978"}, timestamp=None)
    assert md.startswith("# ")
    for heading in (
        "## Summary",
        "## Figure",
        "## Positions and interests",
        "## Shared interests",
        "## Value-creating provisions",
        "## Unmet interests",
        "## The query",
        "## Bibliography",
    ):
        assert heading in md
    for party in ("Egypt", "Israel"):
        assert party in md
    # every source that a claim of the case cites is in the bibliography
    cited = {s for *_, d in sub.edges(data=True) for s in d.get("source_ids", [])}
    for s in cited:
        assert f"\\[{s}\\]" in md.replace("\\-", "-").replace("\\_", "_"), s


# --- sections, contents, several negotiations, DOCX ---------------------------------------------------------------


def test_sections_choose_the_parts():
    from kg.report.content import SECTIONS

    md = _render(MINI, "md", sections=["summary", "unmet", "bibliography"])
    assert [line for line in md.splitlines() if line.startswith("## ")] == ["## Summary", "## Unmet interests", "## Bibliography"]
    assert "**Contents:** 1. Summary · 2. Unmet interests · 3. Bibliography" in md
    assert "Figure" not in md and "```" not in md  # no figure, no query texts
    full = _render(MINI, "md")
    expected = [s.title for k, s in SECTIONS.items() if not s.multi_only and (s.needs is None or s.needs in kg_library())]
    assert [line[3:] for line in full.splitlines() if line.startswith("## ")] == expected
    with pytest.raises(UsageError, match="unknown report section 'summry'"):
        report.content.parse_sections("summary,summry")


def kg_library():
    from kg.queries import LIBRARY

    return LIBRARY


def test_a_section_waits_for_its_library_question(monkeypatch):
    """A section that needs a library question appears once the question exists, with no other change."""
    import kg.queries
    from kg.report import content

    md = _render(MINI, "md", sections=["contributions", "deferred"])
    assert "## Contributions" in md and "| Gamma Union | Mediator | Dam upstream, canals downstream (Art. 2) |" in md
    assert "## Deferred issues" in md and "A review conference in 2000" in md
    # a question taken out of the library takes its section with it, with a note when it was asked for
    monkeypatch.delitem(kg.queries.LIBRARY, "contributions")
    monkeypatch.delitem(content.LIBRARY, "contributions", raising=False)
    asked = _render(MINI, "md", sections=["contributions", "summary"])
    assert "*Contributions: left out, because the library question 'contributions' is not in this version.*" in asked
    assert "## Contributions" not in asked and "## Contributions" not in _render(MINI, "md")


def test_report_of_several_negotiations_compares_them(graph):
    sub = select(graph, mechanism="logrolling")
    negs = sorted(d["name"] for _, d in sub.nodes(data=True) if d["type"] == "Negotiation")
    assert len(negs) > 1
    md = report.render(sub, "md", criteria={"mechanism": ["logrolling"]}, timestamp=None,
                       sections=["comparison", "figure", "unmet"])
    assert [line for line in md.splitlines() if line.startswith("## ")] == [
        "## Negotiations compared", "## Figure", "## Unmet interests"]
    table = md.split("### Negotiations compared", 1)[1].split("###", 1)[0]
    assert "| Negotiation | Parties | Interests | Shared | Unmet | Provisions | Value-creating | Integrative | Distributive " \
           "| Deferral |" in table
    for name in negs:  # one row per negotiation, side by side
        assert f"| {report.md_escape(name)} | " in table
    assert "### Mechanism mix" in md and "| Logrolling |" in md.split("### Mechanism mix")[1].splitlines()[2]
    assert md.count("![Figure: graph of the selection]") == len(negs)  # one figure per negotiation
    # a single negotiation has no comparison
    assert "Negotiations compared" not in _render(MINI, "md")


def test_pdf_has_contents_and_page_numbers(tmp_path):
    _need("chromium", "pdftotext")
    from kg.cli import main

    out = tmp_path / "r.pdf"
    main(["report", "--case", "camp-david-1978", "--format", "pdf", "--out", str(out), "--sections",
          "summary,figure,shared,value-creating,bibliography"])
    pages = int(next(ln for ln in subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
                     .stdout.splitlines() if ln.startswith("Pages:")).split()[1])

    def text(first: int, last: int | None = None) -> str:
        args = ["pdftotext", "-layout", "-f", str(first), "-l", str(last or first), str(out), "-"]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout

    for p in range(1, pages + 1):
        assert f"Page {p} of {pages}" in text(p)
    contents = text(1).split("Contents", 1)[1]
    listed = {}
    for title in ("Summary", "Figure", "Shared interests", "Value-creating provisions", "Bibliography"):
        line = next(ln for ln in contents.splitlines() if ln.strip().startswith(title))
        listed[title] = int(line.split()[-1])
        assert f"\n{title}\n" in "\n" + "\n".join(ln.strip() for ln in text(listed[title]).splitlines()) + "\n", title
    assert list(listed.values()) == sorted(listed.values()) and listed["Bibliography"] <= pages
    assert "Unmet interests" not in text(1, pages)  # left out
    assert "Positions and interests" not in text(1, pages)


def test_docx_report(tmp_path):
    docx = pytest.importorskip("docx")
    from kg.cli import main

    out = tmp_path / "r.docx"
    main(["--data", str(PAYLOADS), "report", "--case", "river-1990", "--format", "docx", "--out", str(out)])
    doc = docx.Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[:3] == ["Contents", "Summary", "Figure"] and "Bibliography" in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Alpha<script>alert(1)</script>land" in text  # data is text
    assert len(doc.tables) >= 5 and doc.tables[0].rows[0].cells[0].text == "Party"
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    body = doc.element.body.xml
    assert 'TOC \\o "1-1"' in body
    if shutil.which("chromium"):
        assert doc.inline_shapes, "the figure as pictures"
