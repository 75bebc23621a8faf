"""SVG picture: the report's layered figure (:mod:`kg.report.figure`) of any graph or selection, as one
standalone, self-contained SVG file (vector: any size in print). Not a data format: nothing reads it back."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "svg"


def dumps(graph: nx.MultiDiGraph) -> str:
    """The SVG text of the layered picture of ``graph`` (deterministic)."""
    from kg.report.figure import render_svg

    return '<?xml version="1.0" encoding="UTF-8"?>\n' + render_svg(graph)


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write the picture of ``graph`` as SVG, atomically."""
    atomic_write(path, dumps(graph))
