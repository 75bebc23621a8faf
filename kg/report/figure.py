"""A static SVG figure of a subgraph: a layered drawing, parties → positions → interests → provisions.

The layout is computed in pure Python, so that the figure is the same bytes on every machine:
one column per node type, nodes ordered within a column by the mean row of their neighbours in
the columns before (:func:`kg.viz.layout.layered`, shared with the interactive pages), which
keeps most edges short and uncrossed. Every text is XML-escaped; coordinates are integers.

>>> svg = render_svg(_demo())
>>> svg.startswith("<svg") and "&lt;b&gt;" in svg and "<b>" not in svg
True
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["render_svg", "layout", "COLUMNS"]

#: node types drawn, one column each, left to right
COLUMNS = ("Party", "Position", "Interest", "Provision")
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
_ALL = (
    "Negotiation",
    "Party",
    "Position",
    "Issue",
    "Interest",
    "Agreement",
    "Provision",
    "Mechanism",
    "InterestCategory",
    "Source",
)
_EDGE = {
    "HAS_INTEREST": ("#8a94a6", ""),
    "HOLDS": ("#8a94a6", ""),
    "REFLECTS": ("#5b7db1", "4 3"),
    "SERVES": ("#2e8b57", ""),
    "FUNDS": ("#c77c02", "2 3"),
    "TRADED_FOR": ("#8e44ad", "6 3"),
}
_BOX_W = {"Party": 130, "Position": 200, "Interest": 190, "Provision": 210}
_GAP, _ROW, _PAD, _TOP, _FONT = 56, 40, 12, 34, 10


def _columns(g: nx.MultiDiGraph) -> list[str]:
    present = {t for _, t in g.nodes(data="type")}
    cols = [t for t in COLUMNS if t in present]
    return cols or [t for t in _ALL if t in present]


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[int, int]]:
    """Node key -> (column, row) for the drawn nodes: the layered order the interactive pages use too."""
    from kg.viz.layout import layered

    return layered(g, _columns(g))


def _wrap(text: str, width_px: int) -> list[str]:
    chars = max(8, int((width_px - 2 * 6) / (_FONT * 0.58)))
    lines = textwrap.wrap(text, chars, max_lines=2, placeholder=" …") or [""]
    return lines


def render_svg(g: nx.MultiDiGraph, shared: set[str] | None = None, value_creating: set[str] | None = None) -> str:
    """The SVG text of the figure. ``shared`` / ``value_creating``: node keys to highlight
    (computed from the graph when not given)."""
    from kg import analysis

    if shared is None:
        shared = {n for n, d in g.nodes(data=True) if d["type"] == "Interest" and len(analysis.holders(g, n)) >= 2}
    if value_creating is None:
        value_creating = {n for n, d in g.nodes(data=True) if d["type"] == "Provision" and analysis.is_value_creating(g, n)}
    cols = _columns(g)
    pos = layout(g)
    widths = [_BOX_W.get(t, 160) for t in cols]
    xs = [_PAD + sum(widths[:i]) + _GAP * i for i in range(len(cols))]
    rows = max((r for _, r in pos.values()), default=-1) + 1
    width = xs[-1] + widths[-1] + _PAD + 36 if cols else 2 * _PAD  # room for same-column arcs
    height = _TOP + rows * _ROW + 44
    box_h = _ROW - 8

    def box(n: str) -> tuple[int, int, int, int]:
        c, r = pos[n]
        return xs[c], _TOP + r * _ROW, widths[c], box_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="{_FONT}" role="img" '
        f'aria-label="Graph of the selection">'
    ]
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')
    for c, t in enumerate(cols):
        out.append(f'<text x="{xs[c]}" y="20" font-weight="bold" font-size="12">{escape(_HEAD.get(t, t))}</text>')
    edges = sorted((u, v, k) for u, v, k in g.edges(keys=True) if u in pos and v in pos and k in _EDGE)
    for u, v, k in edges:
        colour, dash = _EDGE[k]
        (xu, yu, wu, hu), (xv, yv, wv, hv) = box(u), box(v)
        if pos[u][0] > pos[v][0]:  # draw left to right
            (xu, yu, wu, hu), (xv, yv, wv, hv) = (xv, yv, wv, hv), (xu, yu, wu, hu)
        x1, y1, y2 = xu + wu, yu + hu // 2, yv + hv // 2
        if pos[u][0] == pos[v][0]:  # same column: an arc on the right
            x2 = xv + wv
            bend = x1 + 30
            d = f"M{x1},{y1} C{bend},{y1} {bend},{y2} {x2},{y2}"
        else:
            x2 = xv
            mid = (x1 + x2) // 2
            d = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        width_attr = "1.6" if k == "SERVES" else "1"
        out.append(
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width_attr}"{dash_attr} opacity="0.8">'
            f"<title>{escape(k)}</title></path>"
        )
    for n in sorted(pos, key=lambda n: pos[n]):
        d = g.nodes[n]
        x, y, w, h = box(n)
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
        lines = _wrap(label, w)
        out.append(
            f"<g><title>{escape(d['type'] + ': ' + label)}</title>"
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{sw}"/>'
        )
        first = y + h // 2 - (len(lines) - 1) * 6 + 4
        for i, line in enumerate(lines):
            out.append(f'<text x="{x + 6}" y="{first + 12 * i}">{escape(line)}</text>')
        out.append("</g>")
    ly = height - 18
    legend = [
        ("#2e8b57", "", "serves"),
        ("#8a94a6", "", "holds"),
        ("#5b7db1", "4 3", "reflects"),
        ("#c77c02", "2 3", "funds"),
        ("#8e44ad", "6 3", "traded for"),
    ]
    lx = _PAD
    for colour, dash, text in legend:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(f'<text x="{lx + 30}" y="{ly + 4}">{escape(text)}</text>')
        lx += 40 + 7 * len(text)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _demo() -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("Party:a", type="Party", id="a", name="<b>A</b>")
    g.add_node("Interest:n/i", type="Interest", id="n/i", name="I & J")
    g.add_edge("Party:a", "Interest:n/i", key="HAS_INTEREST")
    return g
