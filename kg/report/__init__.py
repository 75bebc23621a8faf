"""Reports: a readable, cited account of a (sub)graph, as Markdown, self-contained HTML or PDF.

:func:`render` gives the report's text (``md``, ``html``) or bytes (``pdf``); :func:`write` writes
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

FORMATS = ("md", "html", "pdf")
_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
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
    figure_href: str | None = None,
) -> str | bytes:
    """The report of ``graph`` (typically a :func:`kg.select.select` subgraph) in ``fmt``: md, html or pdf.

    ``criteria`` are the selection that produced the graph (shown, and its ``query`` is the query
    printed in Cypher and SPARQL; the headline query otherwise). ``timestamp``: ``"now"``, a
    string or datetime, or None for none. ``figure_href`` (Markdown only): where the figure is;
    by default it is embedded as a data URI. Returns str for md/html, bytes for pdf.
    """
    from markupsafe import Markup

    from kg.errors import UsageError
    from kg.report import content, figure
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
    r = content.build(graph, case=case, criteria=criteria, title=title)
    svg = figure.render_svg(graph)
    if fmt == "md":
        href = (
            Md(urllib.parse.quote(figure_href))
            if figure_href
            else Md("data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii"))
        )
        md = _env("md").get_template("report.md.j2").render(r=r, timestamp=stamp, figure_href=href)
        return check_document(md, "the report (Markdown)")
    html = check_document(_env("html").get_template("report.html.j2").render(r=r, timestamp=stamp, svg=Markup(svg)),
                          "the report (HTML)")
    if fmt == "html":
        return html
    from kg.report.pdf import html_to_pdf

    return html_to_pdf(html)


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str], fmt: str | None = None, **options: Any) -> list[Path]:
    """Write the report to ``path`` (format from ``fmt`` or the suffix), atomically; return the files written.

    A Markdown report gets its figure beside it (``NAME.svg``), linked by a relative path. Like every
    output, neither replaces a file negkg did not write (:mod:`kg.io`).
    """
    from kg.errors import UsageError
    from kg.io import atomic_write, check_target
    from kg.report import figure
    from kg.sinks import well_formed

    path = Path(path)
    fmt = fmt or _SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the report format from {path.name!r}: use --format md|html|pdf")
    files = [path] + ([path.with_suffix(".svg")] if fmt == "md" else [])
    for f in files:  # all targets checked before anything is written
        check_target(f)
    body = render(graph, fmt, **({"figure_href": files[-1].name} if fmt == "md" else {}) | options)
    if fmt == "md":
        atomic_write(files[1], well_formed(figure.render_svg(graph), "the report's figure (SVG)"))
    atomic_write(path, body)
    return files
