"""Pictures for notebooks: :func:`network` gives a styled :class:`pyvis.network.Network` of a case or a selection.

The Network has the gallery pages' look (:mod:`kg.viz.payload`: label boxes coloured by type, interest
category and mechanism family, the headline paths in gold), their plain-text tooltips and their layered
layout (``templates/layered.js``), or vis-network's physics with ``layout="force"``. It renders through our
own template (``templates/pyvis.html.j2``) rather than pyvis's, which loads Bootstrap from a CDN in every
mode and turns tooltips containing "href" into markup: the page is self-contained (vis-network inline),
offline, and has a Content-Security-Policy that admits only its own two scripts. pyvis's own methods
(``generate_html``, ``write_html``, ``save_graph``, ``show``) use it; in Jupyter and JupyterLab the Network
displays itself (``_repr_html_``) as a sandboxed ``<iframe srcdoc>``.

>>> from kg import api
>>> net = network(api.graph(data_dir="tests/fixtures/mini"), case="river-1990")
>>> type(net).__mro__[1].__module__, len(net.nodes) > 5
('pyvis.network', True)
>>> import re
>>> re.findall(r"<[a-z]+ [^>]*(?:src|href)=", net.generate_html())   # no element loads anything
[]
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

    from kg.api import Result

__all__ = ["network", "tip_text", "LAYOUTS"]

LAYOUTS = ("layered", "force")
_LENGTH = re.compile(r"^\d+(\.\d+)?(px|%|vh|vw|em|rem)$")


def tip_text(item: dict[str, Any]) -> str:
    """A tooltip as plain text: the name, then one ``key: value`` line per row.

    >>> tip_text({"name": "<b>x</b>", "tip": [["type", "Party"]]})
    '<b>x</b>\\ntype: Party'
    """
    return "\n".join([str(item.get("name") or item.get("label", "")), *(f"{k}: {v}" for k, v in item["tip"])])


def _length(value: Any, default: str) -> str:
    """A CSS length from ``value`` when it is one (e.g. ``650px``, ``100%``), else ``default``."""
    text = f"{value}px" if isinstance(value, int | float) else str(value).strip()
    return text if _LENGTH.match(text) else default


@functools.cache
def _boot_js() -> str:
    from kg.viz.html import _asset

    return _asset("layered.js") + "\n" + _asset("pyvis.js")


def _legend(data: dict[str, Any]) -> list[dict[str, Any]]:
    meta = data["meta"]
    shown = {n["type"] for n in data["nodes"]}
    rows = [{"label": r["label"], "fill": r["fill"], "border": r["color"]} for r in meta["legend"] if r["type"] in shown]
    rows += [{"label": f"{f['what']}: {f['label']}", "fill": f["fill"]} for f in meta["fills"]]
    if meta["kind"] != "overview":
        rows.append({"label": "gold: shared interest, value-creating provision, and their paths",
                     "fill": "#ffffff", "border": meta["headlineColor"]})
    return rows


def _network_class() -> type:
    import jinja2
    from markupsafe import Markup
    from pyvis.network import Network

    from kg import __version__
    from kg.viz.html import _HERE, _csp_hash, script_json, vis_assets

    class KGNetwork(Network):  # type: ignore[misc]
        """A pyvis Network rendered by negotiation-kg's self-contained template (see :mod:`kg.viz.notebook`)."""

        def __init__(self, legend: list[dict[str, Any]], min_scale: float, **kwargs: Any) -> None:
            super().__init__(cdn_resources="in_line", directed=True, **kwargs)
            vis_js, vis_css = vis_assets()
            boot = _boot_js()

            def data(nodes: Any, edges: Any, options: Any) -> Markup:
                opts = json.loads(options) if isinstance(options, str) else options
                return Markup(script_json({"nodes": nodes, "edges": edges, "options": opts, "legend": legend,
                                           "minScale": min_scale}))

            env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_HERE)), autoescape=True,
                                     undefined=jinja2.ChainableUndefined)
            env.filters["kg_length"] = _length
            env.globals["kg"] = {"data": data, "vis_js": Markup(vis_js), "vis_css": Markup(vis_css),
                                 "boot_js": Markup(boot), "version": __version__,
                                 "script_hashes": Markup(" ".join(_csp_hash(s) for s in (vis_js, boot)))}
            self.templateEnv = env
            self.path = "pyvis.html.j2"
            self.template = env.get_template(self.path)

        def _repr_html_(self) -> str:
            from kg.viz.pages import notebook_html

            px = _length(self.height, "650px")
            height = int(float(px[:-2])) + 60 if px.endswith("px") else 700
            return notebook_html(self.generate_html(), height)

    return KGNetwork


def network(g: nx.MultiDiGraph, case: str | None = None, select: dict[str, Any] | Result | None = None, *,
            layout: str = "layered", context: bool = False, height: str | int = "650px",
            heading: str | None = None) -> Any:
    """A styled pyvis Network of ``g``: a negotiation's subgraph (``case``), a selection (``select``: keyword
    arguments of :func:`kg.select.select`, or a query :class:`~kg.api.Result`, which draws the nodes its rows
    name), both (AND), or all of ``g``.

    As on the pages, the vocabulary (interest categories, mechanisms), issues and sources are colour, badges
    and tooltip lines; ``context=True`` draws them as nodes too.
    """
    from kg.api import Result, check_case
    from kg.viz import payload as pl
    from kg.viz.style import FONT_PX, MIN_LABEL_PX

    if layout not in LAYOUTS:
        raise UsageError(f"unknown layout {layout!r} (known: {', '.join(LAYOUTS)})")
    keep: set[str] | None = None
    kind = "case"
    if case is not None:
        check_case(g, case)
    if isinstance(select, Result):
        keep = pl.query_nodes(g, select.rows)
        kind = "query"
        if case is not None:
            from kg.graph import subgraph_for_case

            keep &= set(subgraph_for_case(g, case))
    elif select or case is not None:
        from kg.select import select as _select

        keep = set(_select(g, **{**(select or {}), **({"case": case} if case is not None else {})}))
    title = heading if heading is not None else (f"{g.nodes[f'Negotiation:{case}'].get('name', case)}" if case else "")
    data = pl.payload(g, keep, kind=kind, title=title)
    hidden = set() if context else set(data["meta"]["hidden"])
    nodes = [n for n in data["nodes"] if n["type"] not in hidden]
    ids = {n["id"] for n in nodes}
    net = _network_class()(_legend({**data, "nodes": nodes}), MIN_LABEL_PX / FONT_PX + 0.001, height=_length(height, "650px"),
                           width="100%", heading=title)
    styles = data["meta"]["styles"]
    for n in nodes:
        vis = dict(styles[n["style"]])
        extra = {"x": n["x"], "y": n["y"]} if layout == "force" and "x" in n else {}
        net.add_node(n["id"], label=n["label"], shape=vis.pop("shape"), color=vis.pop("color"), title=tip_text(n),
                     col=n["col"], lane=n["lane"], rank=n["rank"], **vis, **extra)
    for e in data["edges"]:
        if e["from"] in ids and e["to"] in ids:
            net.add_edge(e["from"], e["to"], title=tip_text({"name": e["label"], "tip": e["tip"]}), **styles[e["style"]])
    physics = layout == "force" and data["meta"]["physics"]
    options: dict[str, Any] = {
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150, "multiselect": True},
        "edges": {"smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.45}
                  if layout == "layered" else {"enabled": False}},
        "physics": {"enabled": True, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -12000, "centralGravity": 0.2, "springLength": 200,
                                  "springConstant": 0.03, "damping": 0.45, "avoidOverlap": 0.6},
                    "stabilization": {"enabled": True, "iterations": data["meta"]["iterations"], "fit": True}}
        if physics else {"enabled": False},
    }
    net.set_options(json.dumps(options))
    return net
