"""Reports: a readable, cited account of a (sub)graph, as Markdown, self-contained HTML, PDF or DOCX.

:func:`render` gives the report's text (``md``, ``html``) or bytes (``pdf``, ``docx``); :func:`write` writes
it to a file atomically. Output is deterministic: the same graph gives the same bytes, except
the timestamp, which ``timestamp=None`` leaves out (``SOURCE_DATE_EPOCH`` fixes it when set).

Data is text, never markup: HTML is rendered by jinja2 with autoescaping (and a
Content-Security-Policy that forbids scripts); Markdown escapes every value with :func:`md_escape`
through the template's ``finalize`` hook, so no value reaches the output unescaped.

>>> md_escape("[x](javascript:alert(1)) <img src=x onerror=alert(1)>")
'\\\\[x\\\\](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;'
>>> md_escape("1. not a list")
'1\\\\. not a list'
"""

from __future__ import annotations

import base64
import datetime as _dt
import os
import re
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["render", "write", "md_escape", "FORMATS", "timestamp_now"]

FORMATS = ("md", "html", "pdf", "docx")
_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|~#!$])")
_MD_LEADING = re.compile(r"^(\d+)([.)])|^([-+=])")


class Md(str):
    """Markdown that is already safe (built by this module), passed through unescaped."""

    __slots__ = ()


def md_escape(value: Any) -> str:
    """Plain text as inert Markdown: one line, HTML-escaped, Markdown punctuation backslash-escaped."""
    if value is None:
        return ""
    if isinstance(value, Md):
        return value
    s = " ".join(str(value).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return _MD_LEADING.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", s)


def _fence(text: str) -> Md:
    ticks = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, ticks + 1)
    return Md(f"{fence}\n{text}\n{fence}")


def timestamp_now() -> str:
    """The current UTC time for a report (``SOURCE_DATE_EPOCH`` when set, for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = _dt.datetime.fromtimestamp(int(epoch), _dt.UTC) if epoch and epoch.isdigit() else _dt.datetime.now(_dt.UTC)
    return now.strftime("%Y-%m-%d %H:%M UTC")


def _env(fmt: str) -> Any:
    import jinja2

    if fmt == "html":
        return jinja2.Environment(
            loader=jinja2.PackageLoader("kg.report", "templates"),
            autoescape=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
        )
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kg.report", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=md_escape,
    )
    env.globals["fence"] = _fence
    env.globals["md_heading"] = lambda level: Md("#" * int(level))
    return env


def render(
    graph: nx.MultiDiGraph,
    fmt: str = "html",
    *,
    case: str | None = None,
    criteria: dict[str, Any] | None = None,
    title: str | None = None,
    timestamp: str | _dt.datetime | None = "now",
    figure_href: str | list[str] | None = None,
    sections: list[str] | None = None,
    corpus: nx.MultiDiGraph | None = None,
) -> str | bytes:
    """The report of ``graph`` (typically a :func:`kg.select.select` subgraph) in ``fmt``: md, html, pdf or docx.

    ``corpus``: the whole graph, from which the *potential* section draws other negotiations' precedents (the
    selected graph when not given). ``criteria`` are the selection that produced the graph (shown, and its ``query`` is the query
    printed in Cypher and SPARQL; the headline query otherwise). ``sections``: the parts to include
    (keys of :data:`kg.report.content.SECTIONS`; all by default). ``timestamp``: ``"now"``, a string
    or datetime, or None for none. ``figure_href`` (Markdown only): where the figure is (a list: one per
    figure); by default figures are embedded as data URIs. Returns str for md/html, bytes for pdf/docx.
    """
    from kg.errors import UsageError
    from kg.report import content
    from kg.text import check_document

    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})")
    if criteria and criteria.get("case"):
        from kg.api import check_case

        check_case(graph, criteria["case"])
    stamp = (
        timestamp_now()
        if timestamp == "now"
        else (timestamp.strftime("%Y-%m-%d %H:%M UTC") if isinstance(timestamp, _dt.datetime) else timestamp)
    )
    r = content.build(graph, case=case, criteria=criteria, title=title, sections=sections, corpus=corpus)
    if fmt == "md":
        hrefs = [figure_href] if isinstance(figure_href, str) else list(figure_href or [])
        figure_hrefs = {
            b.full: Md(urllib.parse.quote(hrefs[i])) if i < len(hrefs)
            else Md("data:image/svg+xml;base64," + base64.b64encode(b.full.encode("utf-8")).decode("ascii"))
            for i, b in enumerate(r.figures)
        }
        md = _env("md").get_template("report.md.j2").render(r=r, timestamp=stamp, figure_hrefs=figure_hrefs)
        return check_document(md, "the report (Markdown)")
    if fmt == "docx":
        from kg.report.docx import render_docx

        return render_docx(r, stamp)
    html = check_document(_html(r, stamp, {}), "the report (HTML)")
    if fmt == "html":
        return html
    from kg.report.pdf import dest_pages, html_to_pdf

    first = html_to_pdf(html)
    pages = {k: str(v) for k, v in dest_pages(first).items()}
    return html_to_pdf(_html(r, stamp, pages)) if pages else first  # the contents, now with page numbers


def _html(r: Any, stamp: str | None, pages: dict[str, str]) -> str:
    """The HTML of a report; ``pages``: section anchor -> page number, for the printed contents."""
    return _env("html").get_template("report.html.j2").render(r=r, timestamp=stamp, pages=pages)


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str], fmt: str | None = None, **options: Any) -> list[Path]:
    """Write the report to ``path`` (format from ``fmt`` or the suffix), atomically; return the files written.

    A Markdown report gets its figures beside it (``NAME.svg``, then ``NAME-2.svg``, ...), linked by relative
    paths. Like every output, none replaces a file negkg did not write (:mod:`kg.io`); all targets are checked
    before anything is written.
    """
    from kg.errors import UsageError
    from kg.io import atomic_write, check_target
    from kg.report import content
    from kg.sinks import well_formed

    path = Path(path)
    fmt = fmt or _SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the report format from {path.name!r}: use --format md|html|pdf|docx")
    files = [path]
    figures: list[tuple[Path, str]] = []
    if fmt == "md":
        r = content.build(graph, case=options.get("case"), criteria=options.get("criteria"), sections=options.get("sections"),
                          corpus=options.get("corpus"))
        figures = [(path.with_name(f"{path.stem}{'' if i == 0 else f'-{i + 1}'}.svg"), b.full)
                   for i, b in enumerate(r.figures)]
        files += [f for f, _ in figures]
        options.setdefault("figure_href", [f.name for f, _ in figures])
    for f in files:
        check_target(f)
    body = render(graph, fmt, **options)
    for f, svg in figures:
        atomic_write(f, well_formed(svg, "the report's figure (SVG)"))
    atomic_write(path, body)
    return files
