"""A static SVG figure of a subgraph: a layered drawing, parties → positions → interests → provisions.

The layout is computed here, in pure Python, so that the figure is the same bytes on every
machine: one column per node type, nodes ordered within a column by the mean row of their
neighbours in the columns before (the barycenter heuristic of layered graph drawing, in
:func:`kg.viz.layout.layered`, shared with the interactive pages), which
keeps most edges short and uncrossed. Labels are wrapped, never cut: a box is as tall as its
label needs, and a row as tall as its tallest box. The drawing is as wide as the text column of
an A4 page (:data:`WIDTH` CSS pixels, 180 mm), so that printed at that width its text is 7.5 pt.
A long drawing can be cut between rows into bands that each fit a page (:func:`render_bands`).
Every text is XML-escaped; coordinates are integers.

>>> svg = render_svg(_demo())
>>> svg.startswith("<svg") and "&lt;b&gt;" in svg and "<b>" not in svg
True
>>> long = "A provision whose name is long enough to need several lines in its box"
>>> lines = wrap(long, 170)
>>> len(lines) > 1 and " ".join(lines) == long
True
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["render_svg", "render_bands", "layout", "wrap", "COLUMNS", "WIDTH", "BAND_HEIGHT"]

#: node types drawn, one column each, left to right
COLUMNS = ("Party", "Position", "Interest", "Provision")
WIDTH = 680  #: CSS pixels: the text width of an A4 page with 15 mm margins
BAND_HEIGHT = 900  #: the tallest band that fits an A4 page below a heading, in CSS pixels
_HEAD = {
    "Party": "Parties",
    "Position": "Positions",
    "Interest": "Interests",
    "Provision": "Provisions",
    "Negotiation": "Negotiations",
    "Issue": "Issues",
    "Agreement": "Agreements",
    "Mechanism": "Mechanisms",
    "InterestCategory": "Categories",
    "Source": "Sources",
}
_ALL = ("Negotiation", "Party", "Position", "Issue", "Interest", "Agreement", "Provision", "Mechanism",
        "InterestCategory", "Source")
_EDGE = {
    "HAS_INTEREST": ("#8a94a6", ""),
    "HOLDS": ("#8a94a6", ""),
    "REFLECTS": ("#5b7db1", "4 3"),
    "SERVES": ("#2e8b57", ""),
    "FUNDS": ("#c77c02", "2 3"),
    "TRADED_FOR": ("#8e44ad", "6 3"),
}
_LEGEND = [("#2e8b57", "", "serves"), ("#8a94a6", "", "holds"), ("#5b7db1", "4 3", "reflects"),
           ("#c77c02", "2 3", "funds"), ("#8e44ad", "6 3", "traded for")]
_FONT, _LINE = 10, 12  # px: 7.5 pt at print width
_PAD, _GAP, _ARC, _TOP, _VGAP, _INSET = 6, 16, 22, 30, 6, 5
_CHAR = 0.56  # mean advance of a DejaVu Sans character, in em (generous, so text stays inside its box)
_LEGEND_H = 28


def _columns(g: nx.MultiDiGraph) -> list[str]:
    present = {t for _, t in g.nodes(data="type")}
    cols = [t for t in COLUMNS if t in present]
    return cols or [t for t in _ALL if t in present]


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[int, int]]:
    """Node key -> (column, row) for the drawn nodes: the layered order the interactive pages use too."""
    from kg.viz.layout import layered

    return layered(g, _columns(g))


def wrap(text: str, width_px: int) -> list[str]:
    """The lines of a label in a box ``width_px`` wide: all of it, broken at spaces (a word longer than
    a line is broken too)."""
    chars = max(6, int((width_px - 2 * _INSET) / (_FONT * _CHAR)))
    return textwrap.wrap(" ".join(text.split()), chars) or [""]


@dataclass
class _Geometry:
    cols: list[str]
    pos: dict[str, tuple[int, int]]
    xs: list[int]
    widths: list[int]
    row_top: list[int]  # y of each row
    row_h: list[int]  # height of each row
    lines: dict[str, list[str]]
    width: int

    def box(self, n: str) -> tuple[int, int, int, int]:
        c, r = self.pos[n]
        h = len(self.lines[n]) * _LINE + 2 * _INSET
        return self.xs[c], self.row_top[r], self.widths[c], h

    @property
    def bottom(self) -> int:
        return self.row_top[-1] + self.row_h[-1] if self.row_top else _TOP


def _geometry(g: nx.MultiDiGraph) -> _Geometry:
    cols = _columns(g)
    pos = layout(g)
    first = 92 if cols and cols[0] == "Party" and len(cols) > 1 else 0
    rest = len(cols) - (1 if first else 0)
    free = WIDTH - 2 * _PAD - _ARC - _GAP * max(0, len(cols) - 1) - first
    each = free // max(1, rest)
    widths = [first if (i == 0 and first) else each for i in range(len(cols))]
    xs = [_PAD + sum(widths[:i]) + _GAP * i for i in range(len(cols))]
    lines = {n: wrap(str(g.nodes[n].get("name") or g.nodes[n].get("id")), widths[c]) for n, (c, _) in pos.items()}
    rows = max((r for _, r in pos.values()), default=-1) + 1
    row_h = [0] * rows
    for n, (_, r) in pos.items():
        row_h[r] = max(row_h[r], len(lines[n]) * _LINE + 2 * _INSET)
    row_top, y = [], _TOP
    for h in row_h:
        row_top.append(y)
        y += h + _VGAP
    return _Geometry(cols, pos, xs, widths, row_top, row_h, lines, WIDTH)


def _highlights(g: nx.MultiDiGraph, shared: set[str] | None, value_creating: set[str] | None) -> tuple[set[str], set[str]]:
    from kg import analysis

    if shared is None:
        shared = {n for n, d in g.nodes(data=True) if d["type"] == "Interest" and len(analysis.holders(g, n)) >= 2}
    if value_creating is None:
        value_creating = {n for n, d in g.nodes(data=True) if d["type"] == "Provision" and analysis.is_value_creating(g, n)}
    return shared, value_creating


def _draw(g: nx.MultiDiGraph, geo: _Geometry, rows: range, shared: set[str], value_creating: set[str],
          legend: bool) -> str:
    """The SVG of the rows ``rows`` (with the column headings above them, and the legend below when asked)."""
    top = geo.row_top[rows.start] - _TOP if len(rows) else 0
    bottom = (geo.row_top[rows.stop - 1] + geo.row_h[rows.stop - 1]) if len(rows) else _TOP
    height = bottom - top + _VGAP + (_LEGEND_H if legend else 0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {top} {geo.width} {height}" width="{geo.width}" '
        f'height="{height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="{_FONT}" role="img" '
        f'aria-label="Graph of the selection">',
        f'<rect x="0" y="{top}" width="{geo.width}" height="{height}" fill="#ffffff"/>',
    ]
    for c, t in enumerate(geo.cols):
        out.append(f'<text x="{geo.xs[c]}" y="{top + 20}" font-weight="bold" font-size="11">{escape(_HEAD.get(t, t))}</text>')
    inside = {n for n, (_, r) in geo.pos.items() if r in rows}
    lo, hi = top + _TOP, bottom
    for u, v, k in sorted((u, v, k) for u, v, k in g.edges(keys=True) if u in geo.pos and v in geo.pos and k in _EDGE):
        (xu, yu, wu, hu), (xv, yv, wv, hv) = geo.box(u), geo.box(v)
        if geo.pos[u][0] > geo.pos[v][0]:  # draw left to right
            (xu, yu, wu, hu), (xv, yv, wv, hv) = (xv, yv, wv, hv), (xu, yu, wu, hu)
        x1, y1, y2 = xu + wu, yu + hu // 2, yv + hv // 2
        if max(y1, y2) < lo or min(y1, y2) > hi:
            continue  # the edge does not cross this band
        if geo.pos[u][0] == geo.pos[v][0]:  # same column: an arc on the right
            x2, bend = xv + wv, x1 + _ARC - 2
            d = f"M{x1},{y1} C{bend},{y1} {bend},{y2} {x2},{y2}"
        else:
            x2 = xv
            mid = (x1 + x2) // 2
            d = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
        colour, dash = _EDGE[k]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{"1.6" if k == "SERVES" else "1"}"'
                   f'{dash_attr} opacity="0.8"><title>{escape(k)}</title></path>')
    for n in sorted(inside, key=lambda n: geo.pos[n]):
        d = g.nodes[n]
        x, y, w, h = geo.box(n)
        fill, stroke, sw = "#f4f6fa", "#5f6b7a", "1"
        if d["type"] == "Party":
            fill, stroke = "#dbe8fb", "#3b6db3"
        elif d["type"] == "Position":
            fill = "#f1f1f1"
        elif n in shared:
            fill, stroke, sw = "#fff4cc", "#b8860b", "2.5"
        elif d["type"] == "Interest":
            fill = "#fffaf0"
        if n in value_creating:
            fill, stroke, sw = "#d9f2e3", "#2e8b57", "2"
        label = str(d.get("name") or d.get("id"))
        out.append(f"<g><title>{escape(d['type'] + ': ' + label)}</title>"
                   f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"/>')
        for i, line in enumerate(geo.lines[n]):
            out.append(f'<text x="{x + _INSET}" y="{y + _INSET + _FONT + i * _LINE - 1}">{escape(line)}</text>')
        out.append("</g>")
    if legend:
        ly, lx = bottom + _VGAP + 14, _PAD
        for colour, dash, text in _LEGEND:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
            out.append(f'<text x="{lx + 30}" y="{ly + 4}">{escape(text)}</text>')
            lx += 40 + 7 * len(text)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_svg(g: nx.MultiDiGraph, shared: set[str] | None = None, value_creating: set[str] | None = None) -> str:
    """The SVG text of the whole figure. ``shared`` / ``value_creating``: node keys to highlight
    (computed from the graph when not given)."""
    return render_bands(g, shared, value_creating, max_height=None)[0]


def render_bands(
    g: nx.MultiDiGraph,
    shared: set[str] | None = None,
    value_creating: set[str] | None = None,
    max_height: int | None = BAND_HEIGHT,
) -> list[str]:
    """The figure cut between rows into SVGs no taller than ``max_height`` (None: one SVG), each with the
    column headings; the last has the legend. Placed one under the other they show the whole figure."""
    shared, value_creating = _highlights(g, shared, value_creating)
    geo = _geometry(g)
    n = len(geo.row_top)
    bands, start = [], 0
    while start < n or not bands:
        stop = start + 1
        while stop < n and (max_height is None or geo.row_top[stop] + geo.row_h[stop] - geo.row_top[start] + _TOP
                            + _LEGEND_H <= max_height):
            stop += 1
        bands.append(range(start, min(stop, n)))
        start = stop
    return [_draw(g, geo, rows, shared, value_creating, i == len(bands) - 1) for i, rows in enumerate(bands)]


def _demo() -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("Party:a", type="Party", id="a", name="<b>A</b>")
    g.add_node("Interest:n/i", type="Interest", id="n/i", name="I & J")
    g.add_edge("Party:a", "Interest:n/i", key="HAS_INTEREST")
    return g
