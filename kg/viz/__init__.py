"""Interactive, self-contained, safe HTML views of the graph (vis-network, inlined).

>>> from kg import viz
>>> sorted(n for n in viz.__all__ if n.endswith("_page"))
['case_page', 'graph_page', 'overview_page', 'potential_page', 'query_page']

See docs/viz.md for what each page shows and how the pages are kept safe and fast.
"""

from __future__ import annotations

from kg.viz.pages import GALLERY_QUERIES, case_page, gallery, graph_page, overview_page, potential_page, query_page, show
from kg.viz.payload import PHYSICS_MAX_NODES
from kg.viz.synthetic import synthetic_graph

__all__ = ["case_page", "potential_page", "query_page", "overview_page", "graph_page", "gallery", "show",
           "synthetic_graph", "GALLERY_QUERIES", "PHYSICS_MAX_NODES"]
